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
it("gives, under the run's rules, the same raw keys and refine values as the features", async () => {
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
  // The earlier one-array line (key, keys, refine, terms) has no tab: such a run must start again.
  expect(() => decodeBlockingInputs('["a:1",[["k"]],["r"],[null,null,null]]')).toThrow('must start again');
  expect(() => decodeBlockingInputs('{"key":"a:1"}\t[]')).toThrow('blocking-inputs line is not a blocking-inputs row');
});

it('parses the refine values only when asked, and checks there is one per rule then', () => {
  const inputs = decodeBlockingInputs('["a:1",[["k1"],[]]]\t["r1"]');
  expect(inputs.key).toBe('a:1');
  expect(inputs.keys).toEqual([['k1'], []]);
  expect(() => inputs.refine).toThrow('blocking-inputs line has no refine value per rule');
  // A tab inside a value is escaped by JSON, so the separator is always the first raw tab.
  const tabbed = { key: 'a:\t2', keys: [['k\tx'], []], refine: ['r\t1', ''] };
  const line = encodeBlockingInputs(tabbed);
  expect(line.split('\t')).toHaveLength(2);
  const decoded = decodeBlockingInputs(line);
  expect({ key: decoded.key, keys: decoded.keys, refine: decoded.refine }).toEqual(tabbed);
});
