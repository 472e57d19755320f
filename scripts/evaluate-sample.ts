/**
 * Links the generated acquisition sample in memory and prints pairwise precision/recall, how often the hard
 * non-matches (twins, Jr/Sr, namesakes, shared household email) were kept apart, and a few wrong links:
 * the numbers behind test/matching/acquisition.test.ts.   npx tsx scripts/evaluate-sample.ts [--people N] [--seed S]
 */
import { parseArgs } from 'node:util';
import { loadRecords } from '../lambdas/core/ingest/load-records';
import { linkRecords } from '../lambdas/core/matching/link';
import { pairwiseScores } from '../lambdas/core/matching/evaluate';
import { parseMapping } from '../lambdas/core/model/mapping';
import type { CustomerRecord } from '../lambdas/core/model/record';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { resolve } from 'node:path';
import { generateSample, type SampleData } from './sample';
import { hardCaseSeparation } from './hard-cases';

export async function sampleRecords(sample: SampleData): Promise<CustomerRecord[]> {
  const records: CustomerRecord[] = [];
  for (const [source, csv] of [
    ['telco', sample.telcoCsv],
    ['satellite', sample.satelliteCsv],
  ] as const) {
    const mapping = parseMapping(JSON.parse(readFileSync(resolve(__dirname, '..', 'examples', 'sample', `${source}.mapping.json`), 'utf8')));
    const loaded = await loadRecords(Readable.from([Buffer.from(csv)]), mapping, source);
    records.push(...loaded.records);
  }
  return records;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { people: { type: 'string', default: '2000' }, seed: { type: 'string', default: '3' }, show: { type: 'string', default: '10' } } });
  const sample = generateSample({ seed: Number(values.seed), people: Number(values.people) });
  const records = await sampleRecords(sample);
  const truth = new Map(sample.truth.map((t) => [`${t.source}:${t.recordId}`, t.personId]));
  const result = linkRecords(records);
  const clusters = result.clusters.map((c) => c.map((i) => records[i].key));
  const names = result.model.comparisons.map((c) => c.name);
  let shown = 0;
  for (const l of result.links) {
    const a = records[l.left];
    const b = records[l.right];
    if (truth.get(a.key) === truth.get(b.key) || shown++ >= Number(values.show)) continue;
    const show = (x: CustomerRecord) => `${x.key} ${x.name.first}|${x.name.middle}|${x.name.last}|${x.name.suffix}|${x.dateOfBirth}|${x.emails}|${x.phones}|${x.address.number} ${x.address.street}|${x.address.postcode}`;
    console.log(`FP p=${l.probability.toFixed(3)}\n   ${show(a)}\n   ${show(b)}\n   ${l.levels.map((x, i) => `${names[i]}=${result.model.comparisons[i].levels[x].label}:${l.contributions[i].toFixed(1)}`).filter((s) => !s.includes('null')).join(' ')}`);
  }
  console.log(JSON.stringify({
    records: records.length,
    candidatePairs: result.candidatePairs,
    scores: pairwiseScores(clusters, truth),
    hardCases: hardCaseSeparation(sample, records, result.clusters),
    threshold: result.model.matchProbabilityThreshold,
    refused: result.refused.length,
    clearlyDifferent: result.clearlyDifferent.length,
    decisive: result.model.comparisons.flatMap((c) => c.levels.filter((l) => l.decisive).map((l) => `${c.name}:${l.label} m=${l.m?.toFixed(4)}`)),
  }, null, 2));
}

if (require.main === module) void main();
