import { defaultBlockingRules, type BlockKeys } from '../../lambdas/core/matching/blocking';
import { blockPairSlots, blockRecords, effectiveBlockKeys, KeySharing } from '../../lambdas/core/matching/candidate-pairs';
import { toFeatures, type MatchFeatures } from '../../lambdas/core/matching/features';
import { sampleRecords } from '../../scripts/evaluate-sample';
import { generateSample } from '../../scripts/sample';

/**
 * Compare never builds a record's keys for the rules it only checks a pair against: rules compare the values their
 * keys join (`sameKey`) and KeySharing adds the refinement of keys over the cap. Both must agree with the keys
 * themselves, and the pairs with those of comparing every record with every other.
 */
let features: MatchFeatures[];
const rules = defaultBlockingRules(['loyalty']);

beforeAll(async () => {
  const records = await sampleRecords(generateSample({ seed: 11, people: 260 }));
  features = records.map((record, i) =>
    toFeatures(
      {
        ...record,
        // A few shared loyalty numbers, so the identifier rule has blocks.
        identifiers: i % 3 === 0 ? { loyalty: `L${i % 30}` } : record.identifiers,
        // Some records with a second email and phone shared with others: pairs sharing two keys of one rule.
        emails: i % 4 === 0 ? [...record.emails, `shared${i % 12}@example.com`, `other${i % 8}@example.com`] : record.emails,
        phones: i % 5 === 0 ? [...record.phones, `+1555000${i % 10}`] : record.phones,
      },
      i,
    ),
  );
});

const sharesAny = (a: readonly string[], b: readonly string[]): boolean => a.some((key) => b.includes(key));

it("says two records have the same key exactly when a single-key rule's keys are equal", () => {
  const swapped = { ...features[1], firstSound: features[1].lastSound, lastSound: features[1].firstSound };
  const noPostcode = { ...features[2], postcode: null };
  const pool = [...features.slice(0, 120), swapped, noPostcode, { ...features[2] }];
  let same = 0;
  for (const rule of rules.filter((candidate) => candidate.sameKey)) {
    expect(rule.keys(features[0]).length).toBeLessThanOrEqual(1);
    for (const a of pool)
      for (const b of pool) {
        const expected = rule.keys(a).length === 1 && rule.keys(a)[0] === rule.keys(b)[0];
        expect([rule.name, rule.sameKey?.(a, b)]).toEqual([rule.name, expected]);
        if (expected && a !== b) same++;
      }
  }
  expect(same).toBeGreaterThan(100);
  // Every rule that can give a record several keys is checked through its keys instead.
  expect(rules.filter((rule) => !rule.sameKey).map((rule) => rule.name)).toEqual(['same_email', 'same_phone']);
});

it('decides shared keys from features and refinements exactly as intersecting the effective keys', () => {
  // A cap of 3 refines many blocks, so the refine values decide a share for many pairs.
  const { keys, oversized } = effectiveBlockKeys(features, rules, { maxBlockSize: 3, windowSize: 1000 });
  expect(oversized.filter((positions) => positions.length > 0).length).toBeGreaterThan(20);
  const sharing = new KeySharing(features, oversized, rules);
  let shared = 0;
  for (let i = 0; i < features.length; i++)
    for (let j = i + 1; j < features.length; j++)
      for (let r = 0; r < rules.length; r++) {
        const expected = sharesAny(keys[i][r], keys[j][r]);
        if (sharing.shares(r, i, j) !== expected) throw new Error(`rule ${rules[r].name}, records ${i} and ${j}: expected ${expected}`);
        if (expected) shared++;
      }
  expect(shared).toBeGreaterThan(200);
});

it('produces each pair sharing a key once, under its first shared rule, with every shared rule in its mask', () => {
  const options = { maxBlockSize: 3, windowSize: 1000 };
  const { keys } = effectiveBlockKeys(features, rules, options);
  const { pairs, stats } = blockRecords(features, rules, options);
  const expected: string[] = [];
  const rulesShared = (a: BlockKeys, b: BlockKeys): number[] => rules.flatMap((_, r) => (sharesAny(a[r], b[r]) ? [r] : []));
  for (let i = 0; i < features.length; i++)
    for (let j = i + 1; j < features.length; j++) {
      const shared = rulesShared(keys[i], keys[j]);
      if (shared.length > 0) expected.push(`${i}-${j}:${shared[0]}:${shared.reduce((mask, r) => mask | (1 << r), 0)}`);
    }
  const produced = Array.from(pairs.left, (left, p) => `${left}-${pairs.right[p]}:${pairs.rule[p]}:${pairs.mask[p]}`);
  expect(new Set(produced).size).toBe(produced.length);
  expect(produced.sort()).toEqual(expected.sort());
  expect(stats.reduce((sum, rule) => sum + rule.pairs, 0)).toBe(produced.length);
  expect(stats.some((rule) => rule.refinedBlocks > 0)).toBe(true);
});

it('sizes the pair arrays by the pairs a block yields, windowed or not', () => {
  const windowedPairs = (members: number, window: number): number => {
    let pairs = 0;
    for (let x = 0; x < members; x++) pairs += Math.max(0, Math.min(members, x + window) - x - 1);
    return pairs;
  };
  for (const members of [0, 1, 2, 3, 19, 20, 21, 59, 60, 61, 200])
    for (const window of [2, 3, 20, 60, 1000]) expect(blockPairSlots(members, window)).toBe(windowedPairs(members, Math.min(window, members)));
});

it('keeps every windowed pair of an oversized block once the arrays are sized by the windows', () => {
  const options = { maxBlockSize: 2, windowSize: 3 };
  const { pairs, stats } = blockRecords(features, rules, options);
  expect(stats.some((rule) => rule.windowedBlocks > 0)).toBe(true);
  expect(pairs.left.length).toBe(stats.reduce((sum, rule) => sum + rule.pairs, 0));
  const produced = Array.from(pairs.left, (left, p) => `${left}-${pairs.right[p]}`);
  expect(new Set(produced).size).toBe(produced.length);
  expect(Array.from(pairs.left).every((left, p) => left < pairs.right[p])).toBe(true);
});
