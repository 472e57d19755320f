import { defaultBlockingRules, rawBlockKeys } from '../../lambdas/core/matching/blocking';
import {
  blockingInputs,
  decodeBlockingInputs,
  encodeBlockingInputs,
  rawKeysOf,
  refineValueOf,
  runRulePositions,
} from '../../lambdas/core/matching/blocking-inputs';
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
    const inputs = decodeBlockingInputs(encodeBlockingInputs(blockingInputs(features, ownRules)));
    const positions = runRulePositions(runRules, ownRules);
    expect(rawKeysOf(inputs, positions)).toEqual(rawBlockKeys(features, runRules));
    runRules.forEach((rule, r) => {
      if (rule.keys(features).length > 0) expect(refineValueOf(inputs, positions, r)).toBe(rule.refine(features));
    });
    expect(inputs.key).toBe(features.key);
    expect(inputs.terms).toEqual({ first: features.first, lastCompact: features.lastCompact, city: features.city });
    if (inputs.keys.some((keys) => keys.length > 0)) keyed++;
    const loyalty = runRules.findIndex((rule) => rule.name === 'same_loyalty');
    expect(rawKeysOf(inputs, positions)[loyalty]).toEqual(i % 2 === 1 ? [`L${i % 40}`] : []);
    // No source here declares a national id: that run rule has no position in any source's rules.
    expect(positions[runRules.findIndex((rule) => rule.name === 'same_national_id')]).toBe(-1);
  });
  expect(keyed).toBeGreaterThan(records.length * 0.9);
});

it('rejects a blocking-inputs line that is not a row, naming what it expected', () => {
  expect(() => decodeBlockingInputs('{"key":"a:1"}')).toThrow('blocking-inputs line is not a blocking-inputs row');
});
