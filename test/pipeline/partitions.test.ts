import { defaultComparisons } from '../../lambdas/core/matching/comparisons';
import { mergeLevelCounts, sampleLevelCounts, type USample } from '../../lambdas/core/matching/estimate-u';
import type { PipelineDeps } from '../../lambdas/pipeline/deps';
import { readNdjson } from '../../lambdas/pipeline/ndjson';
import { runPipeline } from '../../lambdas/pipeline/run-pipeline';
import { decodePairs } from '../../lambdas/pipeline/pairs-file';
import { loadPlan, splitPartitionLine, type PairRecords, type PartitionHistogram } from '../../lambdas/pipeline/stages/compare';
import type { PartitionLine } from '../../lambdas/pipeline/stages/plan';
import type { StoredModel } from '../../lambdas/pipeline/stages/train';
import { workKeys } from '../../lambdas/pipeline/work-keys';
import { faultyDeps } from '../support/faults';
import { startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';

/**
 * How plan spreads the work over partitions: every record is home in exactly one of its partitions (the random
 * pairs for u are drawn there, so the partitions' samples add up to one sample without repeats), and score reads
 * only what compare left for it, never a partition again.
 */

let h: PipelineHarness;
const runId = 'partitioned';
/** Several partitions from a small sample. */
const small = (deps: PipelineDeps): PipelineDeps => ({ ...deps, settings: { ...deps.settings, recordsPerPartition: 120 } });
const calls: ReturnType<typeof faultyDeps>['calls'] = [];

beforeAll(async () => {
  h = await startPipelineHarness(150, 3);
  const f = faultyDeps(small(h.deps));
  await runPipeline(f.deps, { runId, sources: h.sources }, { concurrency: 2, stopAfter: 'cluster' });
  calls.push(...f.calls);
});
afterAll(async () => h.dispose());

async function partitionLines(partitions: number): Promise<PartitionLine[][]> {
  const all: PartitionLine[][] = [];
  for (let p = 0; p < partitions; p++) {
    const lines: PartitionLine[] = [];
    for await (const line of readNdjson<PartitionLine>(h.deps.objects, { bucket: h.deps.buckets.work, key: workKeys.partition(runId, p) }))
      lines.push(line);
    all.push(lines);
  }
  return all;
}

it('marks every record as home in exactly one partition, also a record that shares no key (routed for u alone)', async () => {
  const plan = await loadPlan(h.deps, runId);
  expect(plan.partitions).toBeGreaterThanOrEqual(4);
  const homes = new Map<string, number>();
  const routed = new Set<string>();
  for (const lines of await partitionLines(plan.partitions))
    for (const line of lines) {
      routed.add(line.features.key);
      if (line.home) homes.set(line.features.key, (homes.get(line.features.key) ?? 0) + 1);
    }
  expect(routed.size).toBe(plan.records);
  expect([...homes.keys()].sort()).toEqual([...routed].sort());
  expect([...homes.values()].every((count) => count === 1)).toBe(true);
});

it("draws each partition's share of the u sample in proportion to its home records, and adds them up", async () => {
  const plan = await loadPlan(h.deps, runId);
  const bucket = h.deps.buckets.work;
  const samples: USample[] = [];
  for (let p = 0; p < plan.partitions; p++)
    samples.push((JSON.parse(await h.deps.objects.getText({ bucket, key: workKeys.histogram(runId, p) })) as PartitionHistogram).uSample);
  const lines = await partitionLines(plan.partitions);
  const wanted = h.deps.settings.link.uSamplePairs;
  samples.forEach((sample, p) => {
    const home = lines[p].filter((line) => line.home).length;
    // A partition's share of the wanted pairs, capped by how many distinct pairs its home records make.
    expect(sample.pairs).toBe(Math.min(Math.round((wanted * home) / plan.records), (home * (home - 1)) / 2));
  });
  const merged = mergeLevelCounts(samples);
  expect(merged.pairs).toBe(samples.reduce((sum, s) => sum + s.pairs, 0));
  expect(merged.pairs).toBeGreaterThan(0);
  // Every pair lands on exactly one level of each comparison.
  for (const levels of merged.counts) expect(levels.reduce((a, b) => a + b, 0)).toBe(merged.pairs);
  const { model } = JSON.parse(await h.deps.objects.getText({ bucket, key: workKeys.model(runId) })) as StoredModel;
  expect(model.comparisons.length).toBe(merged.counts.length);
});

it('mergeLevelCounts adds counts level by level', () => {
  const comparisons = defaultComparisons([]);
  const a = sampleLevelCounts(comparisons, [], 10, 1);
  const b: USample = { pairs: 2, counts: a.counts.map((levels) => levels.map((_, l) => (l === 0 ? 2 : 0))) };
  const c: USample = { pairs: 3, counts: a.counts.map((levels) => levels.map((_, l) => (l === 1 ? 3 : 0))) };
  const merged = mergeLevelCounts([b, c]);
  expect(merged.pairs).toBe(5);
  for (const levels of merged.counts) expect(levels.slice(0, 2)).toEqual([2, 3]);
});

it('score reads the pairs and their records compare left, never a partition file', () => {
  const scoreReads = calls.filter((call) => call.stage === 'score' && call.key !== null).map((call) => call.key as string);
  expect(scoreReads.some((key) => key.includes('/pairs/') && key.endsWith('.records.json'))).toBe(true);
  expect(scoreReads.filter((key) => key.includes('/partitions/'))).toEqual([]);
});

it('routes no key that is alone in its block: every key a partition line carries is some other record’s key too', async () => {
  const plan = await loadPlan(h.deps, runId);
  const holders = new Map<string, Set<string>>();
  let keysSeen = 0;
  for (const lines of await partitionLines(plan.partitions))
    for (const line of lines)
      line.keys.forEach((ruleKeys, r) =>
        ruleKeys.forEach((key) => {
          keysSeen++;
          // A refined key ("key#refinement") belongs to the raw block before the '#'.
          const raw = `${r}|${key.split('#')[0]}`;
          holders.set(raw, (holders.get(raw) ?? new Set()).add(line.features.key));
        }),
      );
  expect(keysSeen).toBeGreaterThan(plan.records);
  expect([...holders.values()].filter((records) => records.size < 2)).toEqual([]);
});

it('splits a partition line at its features field even when a key spells that field name', () => {
  const features = { key: 'a:1', first: 'ann' };
  const keys = [['x","features":{"key":"forged"}'], [], ['b|c']];
  const text = `{"keys":${JSON.stringify(keys)},"home":true,"features":${JSON.stringify(features)}}`;
  expect(JSON.parse(text)).toEqual({ keys, home: true, features });
  const entry = splitPartitionLine(text);
  expect(entry.keys).toEqual(keys);
  expect(entry.home).toBe(true);
  expect(JSON.parse(entry.featuresText)).toEqual(features);
  expect(splitPartitionLine(`{"keys":[[]],"features":{"key":"b:2"}}`)).toMatchObject({ home: false, keys: [[]] });
  expect(() => splitPartitionLine('{"keys":[[]]}')).toThrow('partition line without features');
});

it('compare parses only records it uses: the pair-records file lists pair members and home records, no others', async () => {
  const plan = await loadPlan(h.deps, runId);
  const lines = await partitionLines(plan.partitions);
  let written = 0;
  for (let p = 0; p < plan.partitions; p++) {
    const records = JSON.parse(
      await h.deps.objects.getText({ bucket: h.deps.buckets.work, key: workKeys.pairRecords(runId, p) }),
    ) as PairRecords;
    const pairs = decodePairs(await h.deps.objects.getBytes({ bucket: h.deps.buckets.work, key: workKeys.pairs(runId, p) }));
    const members = new Set([...pairs.left, ...pairs.right].map((i) => records.keys[i]));
    const home = lines[p].filter((line) => line.home).map((line) => line.features.key);
    expect(new Set(records.keys)).toEqual(new Set([...members, ...home]));
    expect(records.keys.length).toBeLessThanOrEqual(lines[p].length);
    written += records.keys.length;
  }
  expect(written).toBeGreaterThan(0);
});
