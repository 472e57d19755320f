/**
 * Fingerprints of every intermediate of the in-memory matching engine on a seeded sample, to check that a
 * performance change changed nothing: features, block keys, candidate pairs, comparison vectors, the u sample, the
 * fitted model, the scored pairs and the clusters. Run before and after a change and compare the output.
 *
 *   npx tsx scripts/bench/digest-matching.ts [--people 20000] [--seed 5]
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadRecords } from '../../lambdas/core/ingest/load-records';
import { defaultBlockingRules } from '../../lambdas/core/matching/blocking';
import { blocksOf, candidatePairs, effectiveBlockKeys, KeySharing } from '../../lambdas/core/matching/candidate-pairs';
import { classifyPairs } from '../../lambdas/core/matching/classify';
import { clusterRecords } from '../../lambdas/core/matching/cluster';
import { addToHistogram, comparisonVectors } from '../../lambdas/core/matching/comparison-vectors';
import { defaultComparisons } from '../../lambdas/core/matching/comparisons';
import { sampleLevelCounts } from '../../lambdas/core/matching/estimate-u';
import { toFeatures } from '../../lambdas/core/matching/features';
import { DEFAULT_LINK_SETTINGS, identifierNames } from '../../lambdas/core/matching/link';
import { Reservoir } from '../../lambdas/core/matching/reservoir';
import { computeTermFrequencies } from '../../lambdas/core/matching/term-frequencies';
import { trainModel } from '../../lambdas/core/matching/train';
import { parseMapping } from '../../lambdas/core/model/mapping';
import type { CustomerRecord } from '../../lambdas/core/model/record';
import { generateSample } from '../sample';

const sha = (value: unknown): string =>
  createHash('sha256')
    .update(typeof value === 'string' ? value : value instanceof Uint8Array ? value : JSON.stringify(value))
    .digest('hex')
    .slice(0, 16);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { people: { type: 'string', default: '20000' }, seed: { type: 'string', default: '5' } } });
  const sample = generateSample({ seed: Number(values.seed), people: Number(values.people) });
  const examples = join(__dirname, '..', '..', 'examples', 'sample');
  const records: CustomerRecord[] = [];
  // Wall and CPU milliseconds per step (one thread, so CPU time is what one core spent, however loaded the machine).
  const times: Record<string, number> = {};
  const cpuTimes: Record<string, number> = {};
  let started = performance.now();
  let cpuAt = process.cpuUsage();
  const lap = (name: string): void => {
    const cpu = process.cpuUsage(cpuAt);
    times[name] = Math.round(performance.now() - started);
    cpuTimes[name] = Math.round((cpu.user + cpu.system) / 1000);
    started = performance.now();
    cpuAt = process.cpuUsage();
  };
  for (const [source, csv] of [['telco', sample.telcoCsv], ['satellite', sample.satelliteCsv]] as const) {
    const mapping = parseMapping(JSON.parse(readFileSync(join(examples, `${source}.mapping.json`), 'utf8')), source);
    const input = (async function* (): AsyncGenerator<Uint8Array> {
      yield Buffer.from(csv);
    })();
    // push(...) of a million records would overflow the stack; append one by one.
    for (const record of (await loadRecords(input, mapping, source)).records) records.push(record);
  }
  lap('mapRows');
  const settings = DEFAULT_LINK_SETTINGS;
  const features = records.map(toFeatures);
  lap('features');
  const identifiers = identifierNames(records);
  const comparisons = defaultComparisons(identifiers);
  const rules = defaultBlockingRules(identifiers);
  const { keys, oversized, refinedBlocks } = effectiveBlockKeys(features, rules, settings.blocking);
  lap('blockKeys');
  // Not blockRecords: the keys are digested too, and the stats without the refined-block counts, as before.
  const { pairs, stats } = candidatePairs(blocksOf(keys, rules), new KeySharing(features, oversized, rules), rules, settings.blocking);
  lap('candidatePairs');
  const vectors = comparisonVectors(comparisons, features, pairs.left, pairs.right);
  lap('comparisonVectors');
  const histogram = addToHistogram(new Map(), vectors, comparisons.length, pairs.mask);
  lap('histogram');
  const reservoir = new Reservoir<(typeof features)[number]>(settings.uSampleRecords, settings.seed);
  for (const record of features) reservoir.add(record);
  const uSample = sampleLevelCounts(comparisons, reservoir.items, settings.uSamplePairs, settings.seed);
  lap('uSample');
  const model = trainModel(comparisons, rules, histogram, uSample, records.length, settings.training);
  lap('train');
  const termFrequencies = computeTermFrequencies(features);
  const classified = classifyPairs(model, comparisons, termFrequencies, features, pairs, vectors);
  lap('classify');
  const { clusters, refused } = clusterRecords(
    records.length,
    classified.links,
    classified.clearlyDifferent.map((pair) => [pair.left, pair.right]),
    settings.cluster,
  );
  lap('cluster');
  console.log(
    JSON.stringify(
      {
        records: records.length,
        pairs: pairs.left.length,
        digests: {
          features: sha(features),
          keys: sha(keys),
          refinedBlocks: sha(refinedBlocks),
          pairs: sha([Array.from(pairs.left), Array.from(pairs.right), Array.from(pairs.rule), Array.from(pairs.mask)]),
          stats: sha(stats),
          vectors: sha(vectors),
          histogram: sha([...histogram.entries()].sort()),
          uSample: sha(uSample),
          model: sha(model),
          classified: sha(classified),
          clusters: sha([clusters, refused]),
        },
        ms: times,
        cpuMs: cpuTimes,
        pairsPerCpuSecond: {
          comparisonVectors: Math.round(pairs.left.length / Math.max(cpuTimes.comparisonVectors, 1) * 1000),
          classify: Math.round(pairs.left.length / Math.max(cpuTimes.classify, 1) * 1000),
          candidatePairs: Math.round(pairs.left.length / Math.max(cpuTimes.candidatePairs, 1) * 1000),
        },
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
