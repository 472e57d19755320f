import { addYears, dayFromYmd, formatDotted, formatIso, formatUs, parseIsoDay, ymdFromDay } from '../../scripts/sample/dates';
import { IdPermutation } from '../../scripts/sample/ids';
import { emailVariant, formatPhone, stripAccents, typo } from '../../scripts/sample/noise';
import { mailboxKey } from '../../scripts/sample/people';
import { Rng, WeightedTable } from '../../scripts/sample/random';

describe('seeded random numbers', () => {
  it('repeats a stream for the same seed and label and differs otherwise', () => {
    const draw = (rng: Rng): number[] => Array.from({ length: 5 }, () => rng.uint32());
    expect(draw(new Rng(7, 'x'))).toEqual(draw(new Rng(7, 'x')));
    expect(draw(new Rng(7, 'x'))).not.toEqual(draw(new Rng(7, 'y')));
    expect(draw(new Rng(7))).not.toEqual(draw(new Rng(8)));
    expect(draw(new Rng(2 ** 40))).not.toEqual(draw(new Rng(0)));
  });

  it('draws uniform floats, inclusive integers and weighted picks', () => {
    const rng = new Rng(1);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30000; i++) {
      const n = rng.int(0, 2);
      counts[n] = (counts[n] as number) + 1;
      const f = rng.next();
      expect(f >= 0 && f < 1).toBe(true);
    }
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(500);
    const table = new WeightedTable(['a', 'b'], [9, 1]);
    let a = 0;
    for (let i = 0; i < 10000; i++) if (table.pick(rng) === 'a') a++;
    expect(Math.abs(a - 9000)).toBeLessThan(300);
  });

  it('rejects unsafe seeds', () => {
    expect(() => new Rng(0.5)).toThrow(RangeError);
  });
});

describe('calendar days', () => {
  it('round-trips dates and formats them per system', () => {
    for (const [y, m, d] of [[1900, 1, 1], [1970, 1, 1], [2000, 2, 29], [2026, 12, 31], [1969, 7, 20]] as const) {
      expect(ymdFromDay(dayFromYmd(y, m, d))).toEqual([y, m, d]);
    }
    expect(dayFromYmd(1970, 1, 1)).toBe(0);
    const day = parseIsoDay('2024-03-07');
    expect([formatIso(day), formatUs(day), formatDotted(day)]).toEqual(['2024-03-07', '03/07/2024', '07.03.2024']);
    expect(formatIso(addYears(parseIsoDay('2024-02-29'), -3))).toBe('2021-02-28');
    expect(() => parseIsoDay('2023-02-29')).toThrow(/calendar/);
  });
});

describe('record ids', () => {
  it('numbers rows with distinct, fixed-width ids that do not follow row order', () => {
    const permutation = new IdPermutation(5, 42, 'test');
    const ids = Array.from({ length: 100_000 }, (_, row) => permutation.id(row));
    expect(new Set(ids).size).toBe(100_000);
    for (const id of ids.slice(0, 100)) expect(id).toMatch(/^\d{5}$/);
    const ascending = ids.slice(0, 1000).filter((id, i, all) => i > 0 && id > (all[i - 1] as string)).length;
    expect(ascending).toBeGreaterThan(300);
    expect(ascending).toBeLessThan(700);
    expect(new IdPermutation(5, 43, 'test').id(0)).not.toBe(permutation.id(0));
  });
});

describe('noise primitives', () => {
  it('strips accents including letters NFD keeps', () => {
    expect(stripAccents('José Muñoz')).toBe('Jose Munoz');
    expect(stripAccents('Søren Björk')).toBe('Soren Bjork');
    expect(stripAccents('Renée')).toBe('Renee');
  });

  it('makes one small edit and keeps the first letter', () => {
    const rng = new Rng(3);
    let changed = 0;
    for (let i = 0; i < 200; i++) {
      const result = typo('Margaret', rng);
      expect(result[0]).toBe('M');
      expect(Math.abs(result.length - 8)).toBeLessThanOrEqual(1);
      if (result !== 'Margaret') changed++;
    }
    expect(changed).toBeGreaterThan(150);
    expect(typo('Al', rng)).toBe('Al');
  });

  it('varies gmail spelling without changing the mailbox', () => {
    const rng = new Rng(4);
    const spellings = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const variant = emailVariant('jane.doe@gmail.com', rng, { dots: 0.5, plusTag: 0.3, upper: 0.2 });
      spellings.add(variant);
      expect(mailboxKey(variant)).toBe(mailboxKey('jane.doe@gmail.com'));
    }
    expect(spellings.size).toBeGreaterThan(5);
    expect(emailVariant('a.b@yahoo.com', rng, { dots: 1, plusTag: 1, upper: 0 })).toBe('a.b@yahoo.com');
  });

  it('formats phones the ways exports do', () => {
    expect(formatPhone('2175550123', 'parens')).toBe('(217) 555-0123');
    expect(formatPhone('2175550123', 'dots')).toBe('217.555.0123');
    expect(formatPhone('2175550123', 'intl-spaces')).toBe('+1 217 555 0123');
    expect(formatPhone('2175550123', 'e164')).toBe('+12175550123');
  });
});
