import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { csvRow } from '../../lambdas/core/ingest/csv-writer';
import { NotFoundError } from '../../lambdas/core/errors';
import type { PipelineDeps } from '../../lambdas/pipeline/deps';
import { runProfiles } from '../../lambdas/pipeline/run-files';

/** "latest" means the active run: the one whose profiles marketing sees. */
export async function resolveRunId(deps: PipelineDeps, run: string): Promise<string> {
  if (run !== 'latest') {
    const found = await deps.runs.get(run);
    if (!found) throw new NotFoundError(`no run "${run}"`);
    return run;
  }
  const active = await deps.profiles.activeRunId();
  if (!active) throw new NotFoundError('no run has been published yet: run `crm-merge run` first');
  return active;
}

/** Writes source,record_id,profile_id for every input row that is in a profile, sorted by source and record id. */
export async function exportMembers(deps: PipelineDeps, runId: string, out: string): Promise<number> {
  const rows: [string, string, string][] = [];
  for await (const profile of runProfiles(deps, runId))
    for (const member of profile.members) rows.push([member.source, member.recordId, profile.profileId]);
  rows.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
  const file = createWriteStream(out);
  file.write(csvRow(['source', 'record_id', 'profile_id']));
  for (const row of rows) if (!file.write(csvRow(row))) await once(file, 'drain');
  file.end();
  await once(file, 'finish');
  return rows.length;
}
