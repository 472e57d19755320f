import type { Command } from 'commander';
import { NotFoundError } from '../../lambdas/core/errors';
import type { PipelineDeps } from '../../lambdas/pipeline/deps';
import { runPipeline } from '../../lambdas/pipeline/run-pipeline';
import { summariseRun } from '../../lambdas/pipeline/run-summary';
import { withContext } from '../context';
import { printJson, printLine, Progress } from '../output';
import type { RunCommandResult } from './run';

/** Continues a crashed or failed run from its finished stages and partitions (see lambdas/pipeline/resume.ts). */
export async function resumeMerge(deps: PipelineDeps, runId: string, options: { concurrency: number; progress: boolean }): Promise<RunCommandResult> {
  const record = await deps.runs.get(runId);
  if (!record) throw new NotFoundError(`no run "${runId}"`);
  const progress = new Progress(process.stderr.isTTY === true);
  const outcome = await runPipeline(deps, { runId, sources: record.sources }, {
    concurrency: options.concurrency,
    resume: true,
    onProgress: options.progress ? ({ stage, done, total }) => progress.update(stage, done, total) : undefined,
  });
  return { outcome, summary: await summariseRun(deps, runId) };
}

export function registerResume(program: Command): void {
  program
    .command('resume')
    .description('continue a crashed or failed run: finished stages and partitions are not redone')
    .requiredOption('--run <RUN>', 'the run id')
    .option('--concurrency <N>', 'partitions processed at once', (v) => Number.parseInt(v, 10), 2)
    .option('--json', 'print the summary as JSON')
    .action(async (options: { run: string; concurrency: number; json?: boolean }) =>
      withContext(async ({ deps }) => {
        const { outcome, summary } = await resumeMerge(deps, options.run, { concurrency: options.concurrency, progress: !options.json });
        if (options.json) return printJson({ ...summary, timings: outcome.timings, reportPrefix: outcome.reportPrefix });
        printLine(`run ${summary.runId} succeeded (resumed; stages redone: ${Object.keys(outcome.timings).join(', ') || 'none'})`);
        printLine(`  rows read ${summary.rowsRead}, rejected ${summary.rowsRejected}, erased ${summary.rowsErased}, in profiles ${summary.rowsInProfiles}`);
        printLine(`  profiles ${summary.profiles}; report: crm-merge report --run ${summary.runId}`);
      }),
    );
}
