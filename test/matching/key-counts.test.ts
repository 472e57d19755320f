import { KeyCounts, memberHash } from '../../lambdas/core/matching/key-counts';
import { fnv1a, seededRandom } from '../../lambdas/core/random';

/** Seeds equal to the rule numbers: the smallest seeds, the ones most prone to cancel against a key's characters. */
const SEEDS = Array.from({ length: 12 }, (_, rule) => rule);

/** The typed-array key counter plan uses must count exactly like a Map of strings per rule. */
it('counts (rule, key) pairs exactly like a Map per rule, through many table growths', () => {
  const random = seededRandom(11);
  const counts = new KeyCounts(SEEDS);
  const expected = new Map<string, number>();
  const letters = 'ABJKMNPST0';
  for (let i = 0; i < 200_000; i++) {
    const rule = random.int(12);
    const sound = Array.from({ length: 3 }, () => letters[random.int(letters.length)]).join('');
    const key = `${sound}|${10000 + random.int(3000)}`;
    counts.increment(rule, key);
    expected.set(`${rule}\u0000${key}`, (expected.get(`${rule}\u0000${key}`) ?? 0) + 1);
  }
  const wrong = [...expected].filter(([id, count]) => {
    const [rule, key] = id.split('\u0000');
    return counts.get(Number(rule), key) !== count;
  });
  expect(wrong).toEqual([]);
  expect(expected.size).toBeGreaterThan(100_000);
  expect(counts.get(3, 'never seen')).toBe(0);
  let total = 0;
  let entries = 0;
  counts.forEach((_, count) => {
    total += count;
    entries++;
  });
  expect(total).toBe(200_000);
  expect(entries).toBe(expected.size);
});

it('keeps apart keys of neighbouring rules whose first characters differ as the rule numbers do', () => {
  // (7, "NNS|…") and (8, "ANS|…"): 7 ^ 'N' === 8 ^ 'A', which an XOR-seeded hash maps to the same value.
  const counts = new KeyCounts(SEEDS);
  for (const zip of ['97226', '10017', '75230']) {
    counts.increment(7, `NNS|${zip}`);
    counts.increment(8, `ANS|${zip}`);
    counts.increment(8, `ANS|${zip}`);
  }
  expect(counts.get(7, 'NNS|97226')).toBe(1);
  expect(counts.get(8, 'ANS|97226')).toBe(2);
  const perRule = new Map<number, number>();
  counts.forEach((rule, count) => perRule.set(rule, (perRule.get(rule) ?? 0) + count));
  expect(Object.fromEntries(perRule)).toEqual({ 7: 3, 8: 6 });
});

it("adds up the tables of sources whose rule lists differ, by the rules' names, through bytes", () => {
  const random = seededRandom(5);
  // Source A knows a loyalty rule that source B lacks; the run's rule list has both, in another order.
  const rulesA = ['same_email', 'same_loyalty', 'same_name'];
  const rulesB = ['same_email', 'same_name'];
  const runRules = ['same_email', 'same_name', 'same_loyalty'];
  const seeds = (names: string[]): number[] => names.map((name) => fnv1a(name));
  const a = new KeyCounts(seeds(rulesA));
  const b = new KeyCounts(seeds(rulesB));
  const direct = new KeyCounts(seeds(runRules));
  for (let i = 0; i < 50_000; i++) {
    const [table, names] = i % 3 === 0 ? [b, rulesB] : [a, rulesA];
    const rule = random.int(names.length);
    const key = `K${random.int(20_000)}`;
    table.increment(rule, key);
    direct.increment(runRules.indexOf(names[rule]), key);
  }
  const merged = new KeyCounts(seeds(runRules));
  // A copy at an odd offset: bytes read from storage need not be aligned for 32-bit views.
  const bytesA = a.toBytes();
  const unaligned = new Uint8Array(bytesA.length + 1);
  unaligned.set(bytesA, 1);
  merged.addBytes(unaligned.subarray(1), rulesA.map((name) => runRules.indexOf(name)));
  merged.addBytes(b.toBytes(), rulesB.map((name) => runRules.indexOf(name)));
  const perRule = (table: KeyCounts): number[] => {
    const totals = runRules.map(() => 0);
    table.forEach((rule, count) => (totals[rule] += count));
    return totals;
  };
  expect(perRule(merged)).toEqual(perRule(direct));
  expect(perRule(merged).reduce((sum, n) => sum + n, 0)).toBe(50_000);
  for (let k = 0; k < 20_000; k += 7)
    for (let rule = 0; rule < runRules.length; rule++) expect(merged.get(rule, `K${k}`)).toBe(direct.get(rule, `K${k}`));
  expect(() => merged.addBytes(bytesA.subarray(0, bytesA.length - 1), [0, 1, 2])).toThrow('do not hold');
  expect(() => merged.addBytes(bytesA, [0, -1, 2])).toThrow('which this run does not have');
});

it('counts and looks up a prefix of a key as the prefix itself, and reads tables written one after another', () => {
  const table = new KeyCounts([11, 12]);
  table.increment(0, 'SM0|1980', 3);
  table.increment(0, 'SM0');
  table.increment(1, 'SM0|45226', 3);
  expect(table.get(0, 'SM0')).toBe(2);
  expect(table.get(0, 'SM0|anything', 3)).toBe(2);
  expect(table.get(1, 'SM0')).toBe(1);
  expect(table.get(0, 'SM0|1980')).toBe(0);
  const first = table.toBytes();
  const both = new Uint8Array(first.length + 4);
  both.set(first);
  expect(KeyCounts.byteLength(both)).toBe(first.length);
  expect(first.length).toBe(8 + 2 * 13);
  expect(() => KeyCounts.byteLength(new Uint8Array(2))).toThrow('no header');
});

/** A key's member sum, read through its slot. */
const membersOf = (table: KeyCounts, rule: number, key: string): number => table.membersAt(table.slotOf(rule, key));

it('sums the member hashes per key: two blocks of the same two records agree, through bytes and across sources', () => {
  const rules = ['same_email', 'same_phone'];
  const seeds = rules.map((name) => fnv1a(name));
  const telco = new KeyCounts(seeds, true);
  const satellite = new KeyCounts(seeds, true);
  // Ann (telco) and Anne (satellite) share an email and a phone; Ann and Bob share another phone.
  const ann = memberHash('telco:1');
  const anne = memberHash('satellite:7');
  const bob = memberHash('telco:2');
  telco.increment(0, 'ann@x.org', undefined, ann);
  telco.increment(1, '5550001', undefined, ann);
  telco.increment(1, '5550002', undefined, ann);
  telco.increment(1, '5550002', undefined, bob);
  satellite.increment(0, 'ann@x.org', undefined, anne);
  satellite.increment(1, '5550001', undefined, anne);
  const run = new KeyCounts(seeds, true);
  const bytes = telco.toBytes();
  expect(KeyCounts.byteLength(bytes)).toBe(8 + 3 * 21);
  run.addBytes(bytes, [0, 1]);
  run.addBytes(satellite.toBytes(), [0, 1]);
  expect(run.get(0, 'ann@x.org')).toBe(2);
  expect(membersOf(run, 0, 'ann@x.org')).toBe(membersOf(run, 1, '5550001'));
  expect(membersOf(run, 1, '5550002')).not.toBe(membersOf(run, 0, 'ann@x.org'));
  expect(membersOf(run, 1, 'never seen')).toBe(-1);
  // The sum does not depend on the order the records were counted in.
  const reversed = new KeyCounts(seeds, true);
  reversed.increment(1, '5550002', undefined, bob);
  reversed.increment(1, '5550002', undefined, ann);
  expect(membersOf(reversed, 1, '5550002')).toBe(membersOf(run, 1, '5550002'));
  // A table without member sums reads into one that ignores them, never into one that needs them.
  const plain = new KeyCounts(seeds);
  plain.addBytes(run.toBytes(), [0, 1]);
  expect(plain.get(1, '5550002')).toBe(2);
  expect(() => membersOf(plain, 0, 'ann@x.org')).toThrow('does not sum member hashes');
  expect(() => run.addBytes(plain.toBytes(), [0, 1])).toThrow('without member sums');
});

it('keeps the member sums through many table growths', () => {
  const random = seededRandom(3);
  const table = new KeyCounts([1], true);
  const pairs = new Map<string, [string, string]>();
  for (let i = 0; i < 60_000; i++) {
    const key = `K${i}`;
    const members: [string, string] = [`a:${random.int(1_000_000)}`, `b:${random.int(1_000_000)}`];
    pairs.set(key, members);
    for (const member of members) table.increment(0, key, undefined, memberHash(member));
  }
  const twin = new KeyCounts([1], true);
  for (const [key, [a, b]] of pairs) {
    twin.increment(0, key, undefined, memberHash(b));
    twin.increment(0, key, undefined, memberHash(a));
  }
  const differ = [...pairs.keys()].filter((key) => membersOf(table, 0, key) !== membersOf(twin, 0, key));
  expect(differ).toEqual([]);
  const names = new Set([...pairs.keys()].map((key) => membersOf(table, 0, key)));
  expect(names.size).toBe(pairs.size);
});

it('writes only the keys counted at least minCount times when asked: a key left out reads as never counted', () => {
  const seeds = [fnv1a('same_email')];
  const table = new KeyCounts(seeds, true);
  table.increment(0, 'ann@x.org', undefined, memberHash('telco:1'));
  table.increment(0, 'ann@x.org', undefined, memberHash('satellite:7'));
  table.increment(0, 'bob@x.org', undefined, memberHash('telco:2'));
  const shared = table.toBytes(2);
  expect(KeyCounts.byteLength(shared)).toBe(8 + 21);
  const loaded = new KeyCounts(seeds, true);
  loaded.addBytes(shared, [0]);
  expect(loaded.keys).toBe(1);
  expect(loaded.get(0, 'ann@x.org')).toBe(2);
  expect(membersOf(loaded, 0, 'ann@x.org')).toBe(membersOf(table, 0, 'ann@x.org'));
  expect(loaded.get(0, 'bob@x.org')).toBe(0);
  expect(table.toBytes()).toHaveLength(8 + 2 * 21);
});
