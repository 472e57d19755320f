import { KeyCounts } from '../../lambdas/core/matching/key-counts';
import { seededRandom } from '../../lambdas/core/random';

/** The typed-array key counter plan uses must count exactly like a Map of strings per rule. */
it('counts (rule, key) pairs exactly like a Map per rule, through many table growths', () => {
  const random = seededRandom(11);
  const counts = new KeyCounts();
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
  const counts = new KeyCounts();
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
