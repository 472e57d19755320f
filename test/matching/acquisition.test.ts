import { pairwiseScores } from '../../lambdas/core/matching/evaluate';
import { linkRecords } from '../../lambdas/core/matching/link';
import { generateSample } from '../../scripts/sample';
import { sampleRecords } from '../../scripts/evaluate-sample';
import { hardCaseSeparation } from '../../scripts/hard-cases';

/**
 * The accuracy gate on the project's own acquisition data: two companies' exports with nicknames, typos, swapped
 * fields, moves, duplicates within a company, and hard non-matches (twins, Jr/Sr, namesakes, spouses sharing an
 * email). Two seeds, pooled, so one lucky draw cannot pass the gate.
 */
describe('acquisition sample (two seeds x 3,000 people)', () => {
  const results: { f1: number; precision: number; recall: number; pairs: number; apart: number }[] = [];

  beforeAll(async () => {
    for (const seed of [3, 7]) {
      const sample = generateSample({ seed, people: 3_000 });
      const records = await sampleRecords(sample);
      const result = linkRecords(records);
      const truth = new Map(sample.truth.map((t) => [`${t.source}:${t.recordId}`, t.personId]));
      const scores = pairwiseScores(result.clusters.map((c) => c.map((i) => records[i].key)), truth);
      const hard = hardCaseSeparation(sample, records, result.clusters);
      results.push({ ...scores, pairs: hard.pairs, apart: hard.keptApart });
    }
  });

  it('reaches pairwise F1 >= 0.98 on every seed', () => {
    for (const r of results) {
      expect(r.f1).toBeGreaterThanOrEqual(0.98);
      expect(r.precision).toBeGreaterThanOrEqual(0.99);
    }
  });

  it('keeps hard non-matches apart (twins, Jr/Sr, namesakes, shared household email)', () => {
    const pairs = results.reduce((s, r) => s + r.pairs, 0);
    const apart = results.reduce((s, r) => s + r.apart, 0);
    expect(pairs).toBeGreaterThan(100);
    // The gate. Measured 100% on these two seeds and 336 of 336 pooled over seeds 3/5/7/11 at 4,000 people;
    // the misses left elsewhere are father and son written identically (no suffix, one birth date missing): see
    // docs/matching.md.
    expect(apart / pairs).toBeGreaterThanOrEqual(0.99);
  });
});
