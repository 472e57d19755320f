import type { StageName } from '../../lambdas/pipeline/contracts';
import { youngGenerationMb } from '../../lambdas/pipeline/heap-sizing';
import { runPipeline } from '../../lambdas/pipeline/run-pipeline';
import { workKeys } from '../../lambdas/pipeline/work-keys';
import { StageWorkers, type JobFigures } from '../../lambdas/pipeline/workers/pool';
import { startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';

/**
 * The benchmark's worker threads run the same stage functions as the calling thread: a run through them writes the
 * same files. Each job kind runs in a worker started with its stage's young generation (heap-sizing.ts).
 */

let h: PipelineHarness;
let workers: StageWorkers;
const jobs: JobFigures[] = [];

beforeAll(async () => {
  // Small partitions: several compare and score jobs.
  const settings = { recordsPerPartition: 40 };
  h = await startPipelineHarness(120, 8, settings);
  workers = await StageWorkers.create({
    env: h.harness.env,
    settings: { asOf: h.sample.options.asOf, ...settings },
    threads: 2,
    onJob: (job) => jobs.push(job),
  });
  await runPipeline(h.deps, { runId: 'in-thread', sources: h.sources }, { concurrency: 2, stopAfter: 'distribute' });
  await runPipeline(h.deps, { runId: 'in-workers', sources: h.sources }, { concurrency: 2, workers, stopAfter: 'distribute' });
});
afterAll(async () => {
  await workers.close();
  await h.dispose();
});

const text = (key: string): Promise<string> => h.deps.objects.getText({ bucket: h.deps.buckets.work, key });

it('writes the same plan, pairs and cluster assignments in worker threads as in the calling thread', async () => {
  const planText = await text(workKeys.plan('in-workers'));
  expect(planText.replaceAll('in-workers', 'in-thread')).toBe(await text(workKeys.plan('in-thread')));
  const plan = JSON.parse(planText) as { partitions: number; sources: string[] };
  expect(plan.partitions).toBeGreaterThan(2);
  for (let partition = 0; partition < plan.partitions; partition++) {
    const ref = (runId: string) => ({ bucket: h.deps.buckets.work, key: workKeys.pairs(runId, partition) });
    expect(Buffer.from(await h.deps.objects.getBytes(ref('in-workers'))).equals(Buffer.from(await h.deps.objects.getBytes(ref('in-thread'))))).toBe(true);
  }
  for (const source of plan.sources) expect(await text(workKeys.assignments('in-workers', source))).toBe(await text(workKeys.assignments('in-thread', source)));
});

it("runs every job kind's jobs in a worker with that stage's young generation, and reports their memory and CPU", () => {
  const kinds = [...new Set(jobs.map((job) => job.kind))].sort();
  expect(kinds).toEqual(['compare', 'distribute', 'ingest', 'route', 'score']);
  const defaultYoung = jobs.find((job) => youngGenerationMb(job.kind as StageName) === undefined)?.youngGenerationMb;
  expect(defaultYoung).toBeGreaterThan(0);
  for (const job of jobs) {
    expect(job.youngGenerationMb).toBe(youngGenerationMb(job.kind) ?? defaultYoung);
    expect(job.peakMb).toBeGreaterThan(0);
    expect(job.cpuMs).toBeGreaterThan(0);
  }
  expect(jobs.filter((job) => job.kind === 'ingest').map((job) => job.youngGenerationMb)).toEqual([384, 384]);
});
