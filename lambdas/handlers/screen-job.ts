import { runScreenJob } from '../api/screen';
import { handlerDeps } from './deps';

/** A screening job failed; the job file holds the reason (GET /screen/{jobId}). */
export class ScreenJobFailedError extends Error {
  constructor(jobId: string, reason: string) {
    super(`screening job ${jobId} failed: ${reason}`);
    this.name = 'ScreenJobFailed';
  }
}

/**
 * The screening-job state machine's one task: screens the list of job `jobId` (lambdas/api/screen.ts) and fails the
 * execution when the job failed, so the failure is visible in Step Functions as well as in the job file.
 */
export async function handler(event: { jobId: string }): Promise<{ jobId: string; status: string }> {
  const deps = await handlerDeps();
  const started = Date.now();
  const job = await runScreenJob(deps, event.jobId);
  console.log(JSON.stringify({ level: job.status === 'failed' ? 'ERROR' : 'INFO', jobId: job.jobId, status: job.status, rows: job.summary?.rows ?? null, ms: Date.now() - started }));
  if (job.status === 'failed') throw new ScreenJobFailedError(job.jobId, job.error ?? 'unknown');
  return { jobId: job.jobId, status: job.status };
}
