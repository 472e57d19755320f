import { BlockSizeCounter, defaultBlockingRules, rawBlockKeys, tokenEnd } from '../../lambdas/core/matching/blocking';
import { toFeatures } from '../../lambdas/core/matching/features';
import type { CustomerRecord } from '../../lambdas/core/model/record';
import { hashString } from '../../lambdas/core/random';
import { partitioner } from '../../lambdas/pipeline/stages/plan';

/**
 * Partition tokens: rules keyed on the same leading value (the surname sound under two rules, the first-name sound
 * under two, the house under two, the sorted name sounds under two) send a record to one partition for both, and a
 * refined key ("...#suffix") stays with its raw block, so every member of a block, refined or not, is routed to the
 * partition that owns it. A token too heavy for one partition is split by the key's next value.
 */
const record = (overrides: Partial<CustomerRecord['name']> & { dob?: string; postcode?: string }): CustomerRecord =>
  ({
    key: 'a:1',
    source: 'a',
    company: 'A',
    recordId: '1',
    line: 2,
    name: { first: overrides.first ?? 'john', firstCanonical: 'john', middle: null, last: overrides.last ?? 'smith', suffix: null, firstDisplay: 'John', lastDisplay: 'Smith' },
    emails: [],
    emailsDisplay: [],
    phones: [],
    address: { number: '12', street: 'main st', unit: null, city: 'springfield', state: 'il', postcode: overrides.postcode ?? '62701' },
    dateOfBirth: overrides.dob ?? '1980-02-03',
    identifiers: {},
  }) as unknown as CustomerRecord;

const rules = defaultBlockingRules([]);
const index = (name: string): number => rules.findIndex((rule) => rule.name === name);

it.each([
  ['surname_sound_birth_year', 'surname_sound_postcode'],
  ['first_sound_birth_date', 'first_sound_postcode'],
  ['house_in_city', 'same_house'],
  ['same_name', 'name_sounds_any_order'],
])('%s and %s route a record to the same partition, for any partition count', (a, b) => {
  const keys = rawBlockKeys(toFeatures(record({}), 0), rules);
  for (const partitions of [2, 7, 60, 1000]) {
    const partitionOf = partitioner(rules, partitions);
    expect(keys[index(a)]).toHaveLength(1);
    expect(partitionOf(index(a), keys[index(a)][0])).toBe(partitionOf(index(b), keys[index(b)][0]));
  }
});

it('a refined key is owned by the same partition as its raw block', () => {
  const keys = rawBlockKeys(toFeatures(record({}), 0), rules);
  const partitionOf = partitioner(rules, 97);
  for (const name of ['surname_sound_birth_year', 'first_sound_postcode', 'same_house', 'same_name', 'name_sounds_any_order'])
    expect(partitionOf(index(name), `${keys[index(name)][0]}#JN`)).toBe(partitionOf(index(name), keys[index(name)][0]));
});

it('different surname sounds spread over partitions; rules without a token keep rule-and-key hashing', () => {
  const partitionOf = partitioner(rules, 64);
  const surnames = ['smith', 'jones', 'garcia', 'nguyen', 'kowalczyk', 'oconnor', 'patel', 'ivanova', 'muller', 'rossi'];
  const owners = new Set(
    surnames.map((last) => {
      const keys = rawBlockKeys(toFeatures(record({ last }), 0), rules);
      return partitionOf(index('surname_sound_birth_year'), keys[index('surname_sound_birth_year')][0]);
    }),
  );
  expect(owners.size).toBeGreaterThan(5);
  const email = index('same_email');
  expect(rules[email].partitionToken).toBeUndefined();
  expect(partitionOf(email, 'x@example.com')).toBe(hashString(`${email}|x@example.com`) % 64);
});

it('hashes a key in place exactly as hashing its token string would, refined keys and keys without "|" included', () => {
  const keyed = rules.map((_, r) => r);
  const keys = [
    ...rawBlockKeys(toFeatures(record({}), 0), rules).flat(),
    'KLRK|1957#KR',
    '133|heritage ln|brooklyn#FXR',
    'no-separator',
    '',
    'ünïcode|ß',
  ];
  for (const partitions of [1, 7, 67, 4096]) {
    const partitionOf = partitioner(rules, partitions);
    for (const r of keyed)
      for (const key of keys) {
        const token = rules[r].partitionToken;
        const text = token ? `${token.tag}|${key.slice(0, tokenEnd(key, token.parts))}` : `${r}|${key}`;
        expect(partitionOf(r, key)).toBe(hashString(text) % partitions);
      }
  }
  expect(tokenEnd('a|b|c', 2)).toBe(3);
  expect(tokenEnd('a|b', 2)).toBe(3);
  expect(tokenEnd('abc', 1)).toBe(3);
  // A refinement ends the token, even when the token would be the whole raw key.
  expect(tokenEnd('JN|SM0#19800203', 2)).toBe(6);
  expect(tokenEnd('SM0|1980#JN', 1)).toBe(3);
  expect(tokenEnd('a#b|c', 2)).toBe(1);
});

it('a heavy token hashes with the key\'s next value too: its blocks spread, the other tokens stay as they were', () => {
  const surnameRules = ['surname_sound_birth_year', 'surname_sound_postcode'].map(index);
  const smith = (value: string): string => `SM0|${value}`;
  const isHeavy = (_rule: number, key: string, end: number): boolean => key.slice(0, end) === 'SM0';
  const plain = partitioner(rules, 64);
  const split = partitioner(rules, 64, isHeavy);
  const years = Array.from({ length: 40 }, (_, i) => String(1950 + i));
  for (const r of surnameRules) {
    // Unsplit, every SM0 block is in one partition; split, each block hashes by "SM0|value", refined ones too.
    expect(new Set(years.map((year) => plain(r, smith(year)))).size).toBe(1);
    expect(new Set(years.map((year) => split(r, smith(year)))).size).toBeGreaterThan(10);
    for (const year of years.slice(0, 5)) {
      expect(split(r, smith(year))).toBe(hashString(`surname-sound|SM0|${year}`) % 64);
      expect(split(r, `SM0|${year}#JN`)).toBe(hashString(`surname-sound|SM0|${year}`) % 64);
    }
    expect(split(r, 'JNS|1970')).toBe(plain(r, 'JNS|1970'));
  }
  // Rules without a token never ask.
  const email = index('same_email');
  expect(partitioner(rules, 64, () => { throw new Error('asked'); })(email, 'x@example.com')).toBe(plain(email, 'x@example.com'));
});

it("counts each tag's tokens over its rules' keys, adds sources' counts by tag, and names the heavy ones", () => {
  const sourceA = new BlockSizeCounter(rules);
  const sourceB = new BlockSizeCounter(defaultBlockingRules(['loyalty']));
  const people = [
    { last: 'smith', first: 'john', postcode: '62701' },
    { last: 'smyth', first: 'jon', postcode: '62702' },
    { last: 'smith', first: 'mary', postcode: '62703' },
    { last: 'jones', first: 'mary', postcode: '62704' },
  ];
  people.forEach((person, i) => {
    const features = toFeatures(record({ ...person, dob: `198${i}-02-03` }), i);
    sourceA.add(rawBlockKeys(features, rules));
    const rulesB = defaultBlockingRules(['loyalty']);
    sourceB.add(rawBlockKeys(features, rulesB));
  });
  const run = new BlockSizeCounter(defaultBlockingRules(['loyalty']));
  run.addCounts(sourceA.toBytes(), rules);
  run.addCounts(sourceB.toBytes(), defaultBlockingRules(['loyalty']));
  const runRules = defaultBlockingRules(['loyalty']);
  const at = (name: string): number => runRules.findIndex((rule) => rule.name === name);
  // smith and smyth sound alike: three people, two rules each (birth year, postcode), in two sources.
  const key = 'SM0|1980';
  expect(run.tokenSize(at('surname_sound_birth_year'), key, 3)).toBe(12);
  expect(run.tokenSize(at('surname_sound_postcode'), 'SM0|99999', 3)).toBe(12);
  expect(run.tokenSize(at('surname_sound_birth_year'), 'JNS|1983', 3)).toBe(4);
  expect(run.tokenSize(at('same_email'), 'x@example.com', 5)).toBe(0);
  // Unchanged key counts beside the tokens.
  expect(run.size(at('surname_sound_birth_year'), key)).toBe(2);
  // Over 4 keys: SM0 (12), the one first-name sound (the records' canonical first name is john: 16), the one house
  // (16), and the name sounds JN|SM0 (12; JN|JNS has 4).
  expect(run.heavyTokens(4)).toEqual({ 'surname-sound': 1, 'first-sound': 1, house: 1, 'name-sounds': 1 });
  expect(run.heavyTokens(12)).toEqual({ 'first-sound': 1, house: 1 });
  expect(run.heavyTokens(16)).toEqual({});
});
