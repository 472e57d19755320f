import { defaultComparisons } from '../../lambdas/core/matching/comparisons';
import { mergeLevelCounts, sampleLevelCounts, type USample } from '../../lambdas/core/matching/estimate-u';
import type { PipelineDeps } from '../../lambdas/pipeline/deps';
import type { RouteResult } from '../../lambdas/pipeline/contracts';
import { runPipeline } from '../../lambdas/pipeline/run-pipeline';
import { decodePairs } from '../../lambdas/pipeline/pairs-file';
import { defaultBlockingRules, tokenEnd, type BlockingRule, type BlockKeys } from '../../lambdas/core/matching/blocking';
import { blockRecords, effectiveBlockKeys } from '../../lambdas/core/matching/candidate-pairs';
import { readNdjsonLines } from '../../lambdas/pipeline/ndjson';
import {
  comparePartition,
  decodePartitionLine,
  effectiveKeysOf,
  forEachOwnedKey,
  loadPlan,
  type PairRecords,
  type PartitionEntry,
  type PartitionHistogram,
} from '../../lambdas/pipeline/stages/compare';
import { ingestSource } from '../../lambdas/pipeline/stages/ingest';
import { planPartitions, runBlockSizes, runPartitioner } from '../../lambdas/pipeline/stages/plan';
import { routeSource } from '../../lambdas/pipeline/stages/route';
import { emptyTermFrequencies, mergeTermFrequencies, type TermFrequencies } from '../../lambdas/core/matching/term-frequencies';
import { trainRunModel, type StoredModel } from '../../lambdas/pipeline/stages/train';
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
/** Several partitions from a small sample, and a block cap small enough that some blocks are split. */
const small = (deps: PipelineDeps): PipelineDeps => ({
  ...deps,
  settings: {
    ...deps.settings,
    recordsPerPartition: 60,
    link: { ...deps.settings.link, blocking: { maxBlockSize: 4, windowSize: 6 } },
  },
});
const calls: ReturnType<typeof faultyDeps>['calls'] = [];

beforeAll(async () => {
  h = await startPipelineHarness(150, 3);
  const f = faultyDeps(small(h.deps));
  await runPipeline(f.deps, { runId, sources: h.sources }, { concurrency: 2, stopAfter: 'distribute' });
  calls.push(...f.calls);
});
afterAll(async () => h.dispose());

/** The effective keys whose blocks the line's partition owns, per rule and sorted. */
function ownedKeys(line: PartitionEntry, rules: readonly BlockingRule[]): BlockKeys {
  const owned: string[][] = rules.map(() => []);
  forEachOwnedKey(line, rules, (rule, key) => owned[rule].push(key));
  return owned.map((keys) => keys.sort());
}

/** Each partition's lines: its parts (one per source's route job) in the plan's source order. */
async function partitionLines(partitions: number, run = runId): Promise<PartitionEntry[][]> {
  const { sources } = await loadPlan(h.deps, run);
  const all: PartitionEntry[][] = [];
  for (let p = 0; p < partitions; p++) {
    const lines: PartitionEntry[] = [];
    for (const key of workKeys.partitionParts(run, p, sources))
      for await (const text of readNdjsonLines(h.deps.objects, { bucket: h.deps.buckets.work, key })) lines.push(decodePartitionLine(text, lines.length));
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

it('sizes the partitions by the record slots route fills: every owned key position it wrote, the left-out blocks not', async () => {
  const plan = await loadPlan(h.deps, runId);
  const owned = (await partitionLines(plan.partitions)).flat().reduce((sum, line) => sum + line.owned.length / 2, 0);
  expect(plan.routedSlots).toBe(owned);
  expect(plan.partitions).toBe(Math.ceil(owned / small(h.deps).settings.recordsPerPartition));
  // Fewer than every record slot in a block of two or more: route left blocks out (see the routing test).
  const counter = await runBlockSizes(h.deps, runId, plan.ingested);
  const lines = await partitionLines(plan.partitions);
  const paired = new Set<string>();
  let slots = 0;
  for (const line of lines.flat())
    effectiveKeysOf(line, defaultBlockingRules(plan.identifiers)).forEach((keys, r) =>
      keys.forEach((key) => {
        const raw = key.split('#')[0];
        const member = `${line.features.key}|${r}|${raw}`;
        if (counter.size(r, raw) > 1 && !paired.has(member)) {
          paired.add(member);
          slots++;
        }
      }),
    );
  expect(owned).toBeLessThan(slots);
});

it('refuses to route or train a run planned by an earlier version (no routed slots in its plan): it must start again', async () => {
  const { routedSlots: _dropped, ...earlier } = await loadPlan(h.deps, runId);
  const old = 'planned-earlier';
  await h.deps.objects.putText({ bucket: h.deps.buckets.work, key: workKeys.plan(old) }, JSON.stringify({ ...earlier, runId: old }));
  const message = `run ${old} was planned by an earlier version of crm-merge: start it again instead of resuming it`;
  await expect(routeSource(h.deps, { runId: old, source: earlier.sources[0] })).rejects.toThrow(message);
  await expect(trainRunModel(h.deps, { runId: old })).rejects.toThrow(message);
});

it("counts the lines route wrote and compare read: the run's copies per record, as the benchmark reports them", async () => {
  const plan = await loadPlan(h.deps, runId);
  const lines = await partitionLines(plan.partitions);
  const bucket = h.deps.buckets.work;
  const markers = await Promise.all(
    plan.sources.map(async (source) => JSON.parse(await h.deps.objects.getText({ bucket, key: workKeys.routed(runId, source) })) as RouteResult),
  );
  expect(markers.reduce((sum, marker) => sum + marker.lines, 0)).toBe(lines.flat().length);
  expect(markers.reduce((sum, marker) => sum + marker.lines, 0)).toBeGreaterThan(plan.records);
  const compared = await comparePartition(small(h.deps), { runId, partition: 0, key: workKeys.partition(runId, 0) });
  expect(compared.records).toBe(lines[0].length);
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

it("rebuilds every record's effective keys in compare exactly as blocking all records in memory gives them", async () => {
  const plan = await loadPlan(h.deps, runId);
  const rules = defaultBlockingRules(plan.identifiers);
  const lines = await partitionLines(plan.partitions);
  const byKey = new Map(lines.flat().map((line) => [line.features.key, line.features]));
  const records = [...byKey.values()];
  const { keys: expected } = effectiveBlockKeys(records, rules, small(h.deps).settings.link.blocking);
  const expectedOf = new Map(records.map((record, i) => [record.key, expected[i]]));
  let refined = 0;
  for (const line of lines.flat()) {
    const keys = effectiveKeysOf(line, rules);
    expect(keys).toEqual(expectedOf.get(line.features.key));
    if (keys.some((ruleKeys) => ruleKeys.some((key) => key.includes('#')))) refined++;
  }
  // The small cap of this run splits some blocks, so the oversized positions plan sends are exercised.
  expect(refined).toBeGreaterThan(0);
});

it('routes a record only where it shares a key owned there (not for a block whose records an earlier block holds), or once for the u sample', async () => {
  const plan = await loadPlan(h.deps, runId);
  const rules = defaultBlockingRules(plan.identifiers);
  const partitionOf = runPartitioner(plan, await runBlockSizes(h.deps, runId, plan.ingested));
  const lines = await partitionLines(plan.partitions);
  const keysOf = new Map(lines.flat().map((line) => [line, effectiveKeysOf(line, rules)]));
  // A refined key ("key#refinement") is routed for its raw block before the '#', which has two or more members.
  const block = (r: number, key: string): string => `${r}|${key.split('#')[0]}`;
  const holders = new Map<string, Set<string>>();
  for (const line of lines.flat())
    (keysOf.get(line) as BlockKeys).forEach((ruleKeys, r) =>
      ruleKeys.forEach((key) => holders.set(block(r, key), (holders.get(block(r, key)) ?? new Set()).add(line.features.key))),
    );
  const membersOf = (r: number, key: string): Set<string> => holders.get(block(r, key)) as Set<string>;
  const setName = (r: number, key: string): string => [...membersOf(r, key)].sort().join(' ');
  const { maxBlockSize } = small(h.deps).settings.link.blocking;
  // A block at most the cap whose records are exactly those of a block under an earlier rule, or under a smaller key
  // of the same rule: candidatePairs gives each of its pairs to that block or one before it, so route leaves it out.
  const taken = (keys: BlockKeys, r: number, key: string): boolean =>
    membersOf(r, key).size >= 2 &&
    membersOf(r, key).size <= maxBlockSize &&
    keys.some((earlierKeys, q) => earlierKeys.some((other) => (q < r || (q === r && other < key)) && setName(q, other) === setName(r, key)));
  const copies = new Map<string, number>();
  for (const line of lines.flat()) copies.set(line.features.key, (copies.get(line.features.key) ?? 0) + 1);
  let uOnly = 0;
  let takenKeys = 0;
  lines.forEach((partition, p) =>
    partition.forEach((line) => {
      const keys = keysOf.get(line) as BlockKeys;
      // The keys plan lists as owned here: exactly the record's shared keys whose blocks hash to this partition.
      const routed = keys.map((ruleKeys, r) => ruleKeys.filter((key) => membersOf(r, key).size > 1 && !taken(keys, r, key)));
      takenKeys += keys.reduce((n, ruleKeys, r) => n + ruleKeys.filter((key) => taken(keys, r, key)).length, 0);
      const shared = routed.flatMap((ruleKeys, r) => ruleKeys.map((key) => partitionOf(r, key)));
      if (shared.length === 0) {
        uOnly++;
        expect(copies.get(line.features.key)).toBe(1);
        expect(line.home).toBe(true);
      } else expect(shared).toContain(p);
      expect(ownedKeys(line, rules)).toEqual(routed.map((ruleKeys, r) => ruleKeys.filter((key) => partitionOf(r, key) === p)));
    }),
  );
  expect(uOnly).toBeLessThan(plan.records);
  // The sample has such pairs (the same two people by email and by phone, say), so the rule is exercised.
  expect(takenKeys).toBeGreaterThan(0);
});

it("reports the same blocking statistics as blocking all records in memory, the blocks route left out included", async () => {
  const plan = await loadPlan(h.deps, runId);
  const rules = defaultBlockingRules(plan.identifiers);
  const records = [...new Map((await partitionLines(plan.partitions)).flat().map((line) => [line.features.key, line.features])).values()];
  const { stats: expected } = blockRecords(records, rules, small(h.deps).settings.link.blocking);
  const bucket = h.deps.buckets.work;
  const { blocking } = JSON.parse(await h.deps.objects.getText({ bucket, key: workKeys.model(runId) })) as StoredModel;
  expect(blocking).toEqual(expected);
  const markers = await Promise.all(
    plan.sources.map(async (source) => JSON.parse(await h.deps.objects.getText({ bucket, key: workKeys.routed(runId, source) })) as RouteResult),
  );
  // Route left blocks out (each counted by both its records), and the partitions' own counts alone fall short.
  const left = new Map<number, number>();
  for (const marker of markers)
    for (const bySize of Object.values(marker.duplicateBlocks))
      for (const [size, memberships] of Object.entries(bySize)) left.set(Number(size), (left.get(Number(size)) ?? 0) + memberships);
  expect(left.get(2)).toBeGreaterThan(0);
  // Blocks larger than two whose records are exactly an earlier block's are left out too.
  expect([...left.keys()].some((size) => size > 2)).toBe(true);
  for (const [size, memberships] of left) expect(memberships % size).toBe(0);
});

it('decodes a partition line and rejects one of another shape', () => {
  const rules = defaultBlockingRules([]);
  const row = ['a:1', 'a', 'A', 'ann', ['ann'], 'ann', 'AN', 'female', null, 'lee', 'lee', 'L', null, '19800101', 3652, [], [], [], null, null, null, null, {}];
  const nameRule = rules.findIndex((rule) => rule.name === 'same_name');
  const entry = decodePartitionLine(JSON.stringify([1, [nameRule, 0], [], row]), 7);
  expect(entry).toMatchObject({ home: true, features: { index: 7, key: 'a:1', dobYear: '1980' } });
  // The name key leads with the sorted first-name and surname sounds (its partition token).
  expect(effectiveKeysOf(entry, rules)[nameRule]).toEqual(['AN|L|ann|lee']);
  expect(ownedKeys(entry, rules)[nameRule]).toEqual(['AN|L|ann|lee']);
  expect(ownedKeys(entry, rules).flat()).toEqual(['AN|L|ann|lee']);
  // Plan marked the name key as over the cap: compare refines it with the rule's refine value (the birth date).
  const refined = decodePartitionLine(JSON.stringify([0, [nameRule, 0], [nameRule, 0], row]), 0);
  expect(effectiveKeysOf(refined, rules)[nameRule]).toEqual(['AN|L|ann|lee#19800101']);
  expect(ownedKeys(refined, rules).flat()).toEqual(['AN|L|ann|lee#19800101']);
  expect(() => decodePartitionLine('{"keys":[[]],"features":{}}', 0)).toThrow(
    'partition line is not [home, owned, oversized, features]',
  );
});

it('compare leaves score only the records it uses: the pair-records file lists pair members and home records, no others', async () => {
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

it("plans from the sources' counts taken at ingest; a route job refuses a source whose records do not add up to them", async () => {
  const plan = await loadPlan(h.deps, runId);
  const bucket = h.deps.buckets.work;
  // The run's term frequencies are the sources' own counts added up, and count every record with a surname.
  const sum = emptyTermFrequencies();
  for (const source of plan.sources)
    mergeTermFrequencies(sum, JSON.parse(await h.deps.objects.getText({ bucket, key: workKeys.sourceTermFrequencies(runId, source) })) as TermFrequencies);
  expect(JSON.parse(await h.deps.objects.getText({ bucket, key: workKeys.termFrequencies(runId) }))).toEqual(sum);
  expect(sum.last.total).toBeGreaterThan(plan.records * 0.9);
  expect(sum.last.total).toBeLessThanOrEqual(plan.records);

  const tampered = 'partitions-tampered';
  const ingested = await Promise.all(h.sources.map((source) => ingestSource(h.deps, { runId: tampered, source })));
  const oneMore = ingested.map((result, i) => (i === 0 ? { ...result, rowsRead: result.rowsRead + 1 } : result));
  const planned = await planPartitions(h.deps, { runId: tampered, ingested: oneMore });
  expect(planned.routes).toEqual(h.sources.map((source) => ({ runId: tampered, source: source.name })));
  const first = ingested[0];
  await expect(routeSource(h.deps, planned.routes[0])).rejects.toThrow(
    `ingest counted ${first.rowsRead - first.rowsRejected + 1} records of source "${first.source}", route read ${first.rowsRead - first.rowsRejected}`,
  );
  await expect(routeSource(h.deps, planned.routes[1])).resolves.toEqual({
    source: ingested[1].source,
    records: ingested[1].rowsRead - ingested[1].rowsRejected,
    lines: expect.any(Number),
    duplicateBlocks: expect.objectContaining({ same_name: expect.any(Object) }),
  });
  // The refused source's parts exist (its uploads were closed), but not its marker: a resumed run routes it again.
  const exists = (key: string): Promise<boolean> => h.deps.objects.exists({ bucket, key });
  expect(await exists(workKeys.partitionPart(tampered, 0, first.source))).toBe(true);
  expect(await exists(workKeys.routed(tampered, first.source))).toBe(false);
  expect(await exists(workKeys.routed(tampered, ingested[1].source))).toBe(true);
});

/** Every compared pair of a run as "rule|key|key" (keys in order): what compare found, whatever the partitioning. */
async function comparedPairs(run: string, partitions: number): Promise<string[]> {
  const bucket = h.deps.buckets.work;
  const found: string[] = [];
  for (let p = 0; p < partitions; p++) {
    const records = JSON.parse(await h.deps.objects.getText({ bucket, key: workKeys.pairRecords(run, p) })) as PairRecords;
    const pairs = decodePairs(await h.deps.objects.getBytes({ bucket, key: workKeys.pairs(run, p) }));
    pairs.left.forEach((left, i) => {
      const keys = [records.keys[left], records.keys[pairs.right[i]]].sort();
      found.push(`${pairs.rule[i]}|${keys.join('|')}`);
    });
  }
  return found.sort();
}

it("splits a partition token too heavy for one partition: its blocks spread, each whole in one, and compare finds the same pairs", async () => {
  const heavyRun = 'partitioned-heavy';
  // A partition of 16 records makes every token with more than 8 keys heavy.
  const tiny = (deps: PipelineDeps): PipelineDeps => ({ ...small(deps), settings: { ...small(deps).settings, recordsPerPartition: 16 } });
  await runPipeline(tiny(h.deps), { runId: heavyRun, sources: h.sources }, { concurrency: 2, stopAfter: 'distribute' });
  const plan = await loadPlan(h.deps, heavyRun);
  expect(plan.splitTokensOver).toBe(8);
  expect(plan.splitTokens?.['surname-sound']).toBeGreaterThan(0);
  expect(plan.splitTokens?.['first-sound']).toBeGreaterThan(0);

  const rules = defaultBlockingRules(plan.identifiers);
  const counter = await runBlockSizes(h.deps, heavyRun, plan.ingested);
  const lines = await partitionLines(plan.partitions, heavyRun);
  // Where each block (rule and effective key) is owned, and where each token's blocks are.
  const blockOwners = new Map<string, Set<number>>();
  const tokenOwners = new Map<string, Set<number>>();
  lines.forEach((partition, p) =>
    partition.forEach((line) =>
      forEachOwnedKey(line, rules, (rule, key) => {
        const block = `${rule}|${key}`;
        blockOwners.set(block, (blockOwners.get(block) ?? new Set()).add(p));
        const token = rules[rule].partitionToken;
        if (!token) return;
        const end = tokenEnd(key, token.parts);
        if (counter.tokenSize(rule, key, end) <= (plan.splitTokensOver as number)) return;
        const heavy = `${token.tag}|${key.slice(0, end)}`;
        tokenOwners.set(heavy, (tokenOwners.get(heavy) ?? new Set()).add(p));
      }),
    ),
  );
  expect([...blockOwners.values()].every((owners) => owners.size === 1)).toBe(true);
  expect(tokenOwners.size).toBeGreaterThan(0);
  expect([...tokenOwners.values()].some((owners) => owners.size > 1)).toBe(true);

  const original = await loadPlan(h.deps, runId);
  expect(original.splitTokens).toEqual({});
  const pairs = await comparedPairs(heavyRun, plan.partitions);
  expect(pairs.length).toBeGreaterThan(50);
  expect(pairs).toEqual(await comparedPairs(runId, original.partitions));
});
