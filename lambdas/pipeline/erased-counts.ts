import type { PipelineDeps } from './deps';
import { workKeys } from './work-keys';

/**
 * Rows left out of a run because their person asked to be erased, per source. Written as small files under
 * runs/<run>/erased/ by whoever erases (the cluster stage, finalize for tombstones that arrived during the run, and
 * `forget` on a published run), so row accounting stays exact: read = in profiles + rejected + erased.
 */
export type ErasedCounts = Record<string, number>;

const prefix = (runId: string): string => `${workKeys.prefix(runId)}erased/`;

/** Records one erasure step's counts under a name unique to that step (re-running the step overwrites its file). */
export async function recordErased(deps: PipelineDeps, runId: string, name: string, counts: ErasedCounts): Promise<void> {
  await deps.objects.putText({ bucket: deps.buckets.work, key: `${prefix(runId)}${name}.json` }, JSON.stringify(counts), 'application/json');
}

/** Total erased rows per source of a run. */
export async function runErased(deps: PipelineDeps, runId: string): Promise<ErasedCounts> {
  const total: ErasedCounts = {};
  for (const key of await deps.objects.list(deps.buckets.work, prefix(runId))) {
    const counts = JSON.parse(await deps.objects.getText({ bucket: deps.buckets.work, key })) as ErasedCounts;
    for (const [source, n] of Object.entries(counts)) total[source] = (total[source] ?? 0) + n;
  }
  return total;
}

/** Counts a profile's members per source. */
export function countBySource(members: Iterable<{ source: string }>, into: ErasedCounts = {}): ErasedCounts {
  for (const member of members) into[member.source] = (into[member.source] ?? 0) + 1;
  return into;
}
