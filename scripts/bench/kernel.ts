/**
 * Micro-benchmark of the pairwise comparison kernel (Comparison.level over defaultComparisons) with fingerprints of
 * the levels it produces, so a speed-up can be shown to change no level: run before and after and compare the
 * digests. Timings are CPU time of this thread (the machine is shared), median of --repeat runs.
 *
 *   npx tsx scripts/bench/kernel.ts [--people 26000] [--seed 5] [--pairs 1000000] [--records 40000] [--repeat 3]
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadRecords } from '../../lambdas/core/ingest/load-records';
import { defaultBlockingRules } from '../../lambdas/core/matching/blocking';
import { blockRecords } from '../../lambdas/core/matching/candidate-pairs';
import { compareInto } from '../../lambdas/core/matching/comparison-vectors';
import { defaultComparisons, type Comparison } from '../../lambdas/core/matching/comparisons';
import { sampleLevelCounts } from '../../lambdas/core/matching/estimate-u';
import { toFeatures, type MatchFeatures } from '../../lambdas/core/matching/features';
import { DEFAULT_LINK_SETTINGS, identifierNames } from '../../lambdas/core/matching/link';
import { parseMapping } from '../../lambdas/core/model/mapping';
import type { CustomerRecord } from '../../lambdas/core/model/record';
import { seededRandom } from '../../lambdas/core/random';
import { generateSample } from '../sample';

interface PairList {
  left: Int32Array;
  right: Int32Array;
}

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function loadSample(people: number, seed: number): Promise<CustomerRecord[]> {
  const sample = generateSample({ seed, people });
  const examples = join(__dirname, '..', '..', 'examples', 'sample');
  const records: CustomerRecord[] = [];
  for (const [source, csv] of [['telco', sample.telcoCsv], ['satellite', sample.satelliteCsv]] as const) {
    const mapping = parseMapping(JSON.parse(readFileSync(join(examples, `${source}.mapping.json`), 'utf8')), source);
    const input = (async function* (): AsyncGenerator<Uint8Array> {
      yield Buffer.from(csv);
    })();
    for (const record of (await loadRecords(input, mapping, source)).records) records.push(record);
  }
  return records;
}

/** Random distinct pairs, drawn as sampleLevelCounts draws them, so the mix matches the u sample's. */
function randomPairs(n: number, count: number, seed: number): PairList {
  const random = seededRandom(seed);
  const left = new Int32Array(count);
  const right = new Int32Array(count);
  for (let s = 0; s < count; s++) {
    const i = random.int(n);
    let j = random.int(n - 1);
    if (j >= i) j++;
    left[s] = i;
    right[s] = j;
  }
  return { left, right };
}

function levelsOf(comparisons: readonly Comparison[], records: readonly MatchFeatures[], pairs: PairList): Uint8Array {
  const width = comparisons.length;
  const levels = new Uint8Array(pairs.left.length * width);
  for (let p = 0; p < pairs.left.length; p++)
    compareInto(levels, p * width, comparisons, records[pairs.left[p]], records[pairs.right[p]]);
  return levels;
}

function cpuNanos(run: () => void): number {
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) * 1000;
}

const median = (values: number[]): number => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];

/** Checksum keeps the optimiser from discarding a loop whose results are otherwise unused. */
let sink = 0;

function timeComparison(comparison: Comparison, records: readonly MatchFeatures[], pairs: PairList): number {
  return cpuNanos(() => {
    let sum = 0;
    for (let p = 0; p < pairs.left.length; p++) sum += comparison.level(records[pairs.left[p]], records[pairs.right[p]]);
    sink += sum;
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      people: { type: 'string', default: '26000' },
      seed: { type: 'string', default: '5' },
      pairs: { type: 'string', default: '1000000' },
      records: { type: 'string', default: '40000' },
      repeat: { type: 'string', default: '3' },
    },
  });
  const records = await loadSample(Number(values.people), Number(values.seed));
  const features = records.map(toFeatures);
  const identifiers = identifierNames(records);
  const comparisons = defaultComparisons(identifiers);
  const rules = defaultBlockingRules(identifiers);
  const settings = DEFAULT_LINK_SETTINGS;
  const { pairs: candidates } = blockRecords(features, rules, settings.blocking);
  const candidateList: PairList = { left: Int32Array.from(candidates.left), right: Int32Array.from(candidates.right) };
  const sampled = features.slice(0, Math.min(features.length, Number(values.records)));
  const pairCount = Number(values.pairs);
  const random = randomPairs(sampled.length, pairCount, Number(values.seed));

  const randomLevels = levelsOf(comparisons, sampled, random);
  const candidateLevels = levelsOf(comparisons, features, candidateList);
  const repeat = Number(values.repeat);
  const perComparison: Record<string, number> = {};
  for (const comparison of comparisons) {
    const runs = Array.from({ length: repeat }, () => timeComparison(comparison, sampled, random));
    perComparison[comparison.name] = Math.round((median(runs) / pairCount) * 10) / 10;
  }
  const allRuns = Array.from({ length: repeat }, () => cpuNanos(() => levelsOf(comparisons, sampled, random)));
  const uRuns = Array.from({ length: repeat }, () =>
    cpuNanos(() => {
      sink += sampleLevelCounts(comparisons, sampled, pairCount, settings.seed).pairs;
    }),
  );
  // The real workload: candidate pairs from blocking (mostly alike records), as compare scores them.
  const candidateRuns = Array.from({ length: repeat }, () => cpuNanos(() => levelsOf(comparisons, features, candidateList)));
  const allNs = median(allRuns) / pairCount;
  const uNs = median(uRuns) / pairCount;
  const candidateNs = median(candidateRuns) / candidateList.left.length;
  console.log(
    JSON.stringify(
      {
        records: features.length,
        sampledRecords: sampled.length,
        randomPairs: pairCount,
        candidatePairs: candidateList.left.length,
        digests: { randomLevels: sha(randomLevels), candidateLevels: sha(candidateLevels) },
        nsPerPair: {
          perComparison,
          allComparisons: Math.round(allNs * 10) / 10,
          sampleLevelCounts: Math.round(uNs * 10) / 10,
          candidatePairs: Math.round(candidateNs * 10) / 10,
        },
        pairsPerCpuSecond: {
          allComparisons: Math.round(1e9 / allNs),
          sampleLevelCounts: Math.round(1e9 / uNs),
          candidatePairs: Math.round(1e9 / candidateNs),
        },
        runsMs: { allComparisons: allRuns.map((n) => Math.round(n / 1e6)), sampleLevelCounts: uRuns.map((n) => Math.round(n / 1e6)) },
        sink: sink % 1000,
      },
      null,
      2,
    ),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
