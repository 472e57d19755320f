import { toFeatures } from '../../lambdas/core/matching/features';
import { decodeFeatures, encodeFeatures } from '../../lambdas/core/matching/features-codec';
import { sampleRecords } from '../../scripts/evaluate-sample';
import { generateSample } from '../../scripts/sample';

/** Plan copies every record's encoded features about six times; compare and cluster decode them. */
it('decodes every encoded record to exactly its features, in under half the bytes of the named object', async () => {
  const records = await sampleRecords(generateSample({ seed: 9, people: 300 }));
  let encodedBytes = 0;
  let namedBytes = 0;
  records.forEach((sampled, i) => {
    // Some records carry identifiers, so the identifiers object travels too.
    const record = i % 3 === 0 ? { ...sampled, identifiers: { loyalty: `L${i}` } } : sampled;
    const features = toFeatures(record, i);
    const line = encodeFeatures(features);
    expect(decodeFeatures(line, i)).toEqual(features);
    expect(line).not.toContain('\n');
    encodedBytes += Buffer.byteLength(line);
    namedBytes += Buffer.byteLength(JSON.stringify(features));
  });
  expect(records.length).toBeGreaterThan(300);
  expect(encodedBytes / namedBytes).toBeLessThan(0.5);
});

it('decodes a record without a birth date, postcode or phones to nulls and empty lists, not to slices of null', () => {
  const line = JSON.stringify(['a:1', 'a', 'A', null, [], null, null, null, null, 'lee', 'lee', 'L', null, null, null, [], [], [], null, null, null, null, {}]);
  expect(decodeFeatures(line, 4)).toMatchObject({ index: 4, key: 'a:1', dob: null, dobYear: null, postcodeArea: null, phoneLast7: [] });
});

it('rejects a line that is not a features row, so a stale work file fails loudly', () => {
  expect(() => decodeFeatures('{"key":"a:1"}', 0)).toThrow('features line is not a features row');
  expect(() => decodeFeatures('["a:1"]', 0)).toThrow('features line is not a features row');
});

it('decodes empty lists and identifier maps to one shared frozen value, so a partition keeps no copy per record', () => {
  const empty = ['a:1', 'a', 'A', null, [], null, null, null, null, 'lee', 'lee', 'L', null, null, null, [], [], [], null, null, null, null, {}];
  const first = decodeFeatures(JSON.stringify(empty), 0);
  const second = decodeFeatures(JSON.stringify(['a:2', ...empty.slice(1)]), 1);
  for (const field of ['firstCanonicals', 'emails', 'emailLocals', 'phones', 'phoneLast7', 'identifiers'] as const) {
    expect(second[field]).toBe(first[field]);
    expect(Object.isFrozen(first[field])).toBe(true);
  }
  const full = decodeFeatures(JSON.stringify(['a:3', ...empty.slice(1, 15), ['x@y.z'], [], ['+15550001234'], null, null, null, null, { loyalty: 'L1' }]), 2);
  expect(full).toMatchObject({ emails: ['x@y.z'], phones: ['+15550001234'], phoneLast7: ['0001234'], identifiers: { loyalty: 'L1' } });
  expect(full.emailLocals).toBe(first.emailLocals);
});
