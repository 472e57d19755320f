import { defaultBlockingRules, rawBlockKeys } from '../../lambdas/core/matching/blocking';
import { blockingInputs, rawKeysOf } from '../../lambdas/core/matching/blocking-inputs';
import { toFeatures } from '../../lambdas/core/matching/features';
import { sampleRecords } from '../../scripts/evaluate-sample';
import { generateSample } from '../../scripts/sample';

/**
 * Ingest derives each record's blocking inputs with its own source's rules; plan reads them under the run's rules
 * (the union of every source's identifiers). Both must give exactly the keys plan would derive from the features.
 */
it("gives, under the run's rules, the same raw keys, refine values and term values as the features", async () => {
  const records = await sampleRecords(generateSample({ seed: 4, people: 300 }));
  const runRules = defaultBlockingRules(['loyalty', 'national_id']);
  let keyed = 0;
  records.forEach((sampled, i) => {
    // Odd records come from a source declaring a loyalty number (shared by a few, so its blocks have members).
    const record = i % 2 === 1 ? { ...sampled, identifiers: { loyalty: `L${i % 40}` } } : sampled;
    const features = toFeatures(record, i);
    const ownRules = defaultBlockingRules(Object.keys(record.identifiers));
    const inputs = JSON.parse(JSON.stringify(blockingInputs(features, ownRules))) as ReturnType<typeof blockingInputs>;
    expect(rawKeysOf(inputs, runRules)).toEqual(rawBlockKeys(features, runRules));
    for (const rule of runRules)
      if (rule.keys(features).length > 0 && ownRules.some((own) => own.name === rule.name))
        expect(inputs.refine[rule.name]).toBe(rule.refine(features));
    expect(inputs.terms).toEqual({ first: features.first, lastCompact: features.lastCompact, city: features.city });
    if (Object.keys(inputs.keys).length > 0) keyed++;
    if (i % 2 === 1) expect(inputs.keys.same_loyalty).toEqual([`L${i % 40}`]);
  });
  expect(keyed).toBeGreaterThan(records.length * 0.9);
});
