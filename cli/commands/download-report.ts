import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PipelineDeps } from '../../lambdas/pipeline/deps';
import { reportKeys } from '../../lambdas/pipeline/work-keys';

/** Copies a run's report files to a local folder (the embedded servers stop when a command ends, URLs with them). */
export async function downloadReport(deps: PipelineDeps, runId: string, directory: string): Promise<string[]> {
  await mkdir(directory, { recursive: true });
  const bucket = deps.buckets.reports;
  const written: string[] = [];
  for (const key of await deps.objects.list(bucket, reportKeys.prefix(runId))) {
    const path = join(directory, key.slice(reportKeys.prefix(runId).length));
    await writeFile(path, await deps.objects.getBytes({ bucket, key }));
    written.push(path);
  }
  return written;
}
