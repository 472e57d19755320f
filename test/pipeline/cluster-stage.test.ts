import { readNdjson } from '../../lambdas/pipeline/ndjson';
import { runPipeline } from '../../lambdas/pipeline/run-pipeline';
import { clusterRun, type ClusterSummary } from '../../lambdas/pipeline/stages/cluster';
import { loadPlan } from '../../lambdas/pipeline/stages/compare';
import { workKeys } from '../../lambdas/pipeline/work-keys';
import { startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';

/** The cluster job's record index (a StringIndex of every record key of the run) against the files it reads. */

let h: PipelineHarness;
const runId = 'cluster-stage';
const work = (): string => h.deps.buckets.work;

beforeAll(async () => {
  h = await startPipelineHarness(120, 17);
  await runPipeline(h.deps, { runId, sources: h.sources }, { concurrency: 2 });
});
afterAll(async () => h.dispose());

it('numbers every record of the run once and gives each source one assignment line per record', async () => {
  const plan = await loadPlan(h.deps, runId);
  const summary = JSON.parse(await h.deps.objects.getText({ bucket: work(), key: workKeys.clusterSummary(runId) })) as ClusterSummary;
  expect(summary.records).toBe(plan.records);
  expect(summary.links).toBeGreaterThan(0);
  for (const result of plan.ingested) {
    let lines = 0;
    for await (const profileId of readNdjson<string | null>(h.deps.objects, { bucket: work(), key: workKeys.assignments(runId, result.source) })) {
      expect(typeof profileId).toBe('string');
      lines++;
    }
    expect(lines).toBe(result.rowsRead - result.rowsRejected);
  }
});

it('refuses an edges file naming a record that no source of the run has, instead of linking an undefined record', async () => {
  const stray = { bucket: work(), key: workKeys.edges(runId, 9_999) };
  await h.deps.objects.putText(stray, `${JSON.stringify(['link', 'telco:NOT-IN-THE-RUN', 'satellite:ALSO-NOT', 12.5])}\n`);
  try {
    await expect(clusterRun(h.deps, { runId })).rejects.toThrow(`edges file ${stray.key} names a record no source of the run has`);
  } finally {
    await h.deps.objects.deletePrefix(work(), stray.key);
  }
  // Without the stray file the same job runs again.
  await expect(clusterRun(h.deps, { runId })).resolves.toMatchObject({ runId });
});
