import type { PipelineDeps } from '../../lambdas/pipeline/deps';
import { reportKeys } from '../../lambdas/pipeline/work-keys';
import { NotFoundError } from '../../lambdas/core/errors';

export interface ReportLocation {
  runId: string;
  files: { name: string; uri: string; url: string }[];
}

/** Where a run's report files are: S3 URIs and 15-minute presigned URLs. */
export async function locateReport(deps: PipelineDeps, runId: string): Promise<ReportLocation> {
  const bucket = deps.buckets.reports;
  const keys = await deps.objects.list(bucket, reportKeys.prefix(runId));
  if (keys.length === 0) throw new NotFoundError(`run "${runId}" has no report (did it fail before the report stage?)`);
  const files = [];
  for (const key of keys)
    files.push({
      name: key.slice(reportKeys.prefix(runId).length),
      uri: `s3://${bucket}/${key}`,
      url: await deps.objects.presignGet({ bucket, key }, 900),
    });
  return { runId, files };
}
