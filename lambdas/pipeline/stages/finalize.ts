import { StageError } from '../../core/errors';
import { accountRows, RowsInProfiles } from '../accounting';
import type { FinalizeEvent, FinalizeResult, MarkFailedEvent } from '../contracts';
import type { PipelineDeps } from '../deps';
import { runErased } from '../erased-counts';
import { eraseTombstoned } from '../forget';
import { runProfileMembers } from '../profile-files';
import { loadPlan } from './compare';

/**
 * Finalize: erase people whose tombstones arrived while the run was under way, check that every row is accounted
 * for (read = in profiles + rejected + erased on request, per source), then flip the active-run pointer so the run's
 * profiles become visible all at once, and mark the run succeeded.
 * A run that fails any check is never activated: readers keep the previous run's profiles.
 */
export async function finalizeRun(deps: PipelineDeps, event: FinalizeEvent): Promise<FinalizeResult> {
  const { runId } = event;
  const started = performance.now();
  const plan = await loadPlan(deps, runId);
  await eraseTombstoned(deps, runId);
  // Counted as they stream: holding every profile's members cost memory in proportion to the run.
  const inProfiles = new RowsInProfiles();
  for await (const profile of runProfileMembers(deps, runId)) inProfiles.add(profile);
  const accounts = accountRows(plan.ingested, inProfiles, await runErased(deps, runId));
  const unbalanced = accounts.filter((account) => !account.balanced);
  if (unbalanced.length > 0)
    throw new StageError(
      'finalize',
      `rows not accounted for: ${unbalanced
        .map((a) => `${a.source} read ${a.rowsRead}, in profiles ${a.rowsInProfiles}, rejected ${a.rowsRejected}, erased ${a.rowsErased ?? 0}`)
        .join('; ')}`,
    );
  const previous = await deps.profiles.activeRunId();
  await deps.profiles.activateRun(runId, previous);
  const counts: Record<string, number> = { profiles: inProfiles.profiles };
  for (const a of accounts) {
    counts[`${a.source}.rowsRead`] = a.rowsRead;
    counts[`${a.source}.rowsRejected`] = a.rowsRejected;
    if (a.rowsErased) counts[`${a.source}.rowsErased`] = a.rowsErased;
  }
  const timings = event.timings && { timings: { ...event.timings, finalize: Math.round(performance.now() - started) } };
  await deps.runs.update(runId, { status: 'succeeded', stage: 'finalize', finishedAt: deps.now().toISOString(), counts, ...timings });
  return { runId, status: 'succeeded' };
}

/**
 * The Catch target: records the failure; the pointer was never flipped, so the previous profiles stay served.
 * Except when finalize failed after the flip (recording the success failed): the run is live, and calling it failed
 * would contradict what readers see, so it is recorded as succeeded, with the error kept for the operator.
 */
export async function markRunFailed(deps: PipelineDeps, event: MarkFailedEvent): Promise<{ runId: string; status: 'failed' | 'succeeded' }> {
  const reason = [event.error.Error, event.error.Cause].filter(Boolean).join(': ').slice(0, 2000) || 'unknown error';
  // An unreadable pointer must not stop the failure from being recorded: then it is recorded as failed.
  const live = await deps.profiles.activeRunId().then((active) => active === event.runId, () => false);
  const status = live ? 'succeeded' : 'failed';
  await deps.runs.update(event.runId, { status, finishedAt: deps.now().toISOString(), error: reason });
  return { runId: event.runId, status };
}
