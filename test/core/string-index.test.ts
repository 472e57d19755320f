import { seededRandom } from '../../lambdas/core/random';
import { StringIndex } from '../../lambdas/core/string-index';

describe('StringIndex', () => {
  it('numbers strings in the order first added and gives a repeated string its first number', () => {
    const index = new StringIndex();
    expect(index.add('telco:1')).toBe(0);
    expect(index.add('satellite:1')).toBe(1);
    expect(index.add('telco:1')).toBe(0);
    expect(index.add('')).toBe(2);
    expect(index.size).toBe(3);
    expect(index.values()).toEqual(['telco:1', 'satellite:1', '']);
    expect(index.at(1)).toBe('satellite:1');
  });

  it('says -1 and false for a string never added, and refuses a number it did not give', () => {
    const index = new StringIndex();
    index.add('telco:1');
    expect(index.indexOf('telco:2')).toBe(-1);
    expect(index.has('telco:2')).toBe(false);
    expect(index.has('telco:1')).toBe(true);
    expect(() => index.at(1)).toThrow(new RangeError('no string is numbered 1 (1 are)'));
    expect(() => index.at(-1)).toThrow(RangeError);
  });

  it('keeps names an object would inherit apart from what was added', () => {
    const index = new StringIndex();
    index.add('__proto__');
    expect(index.indexOf('__proto__')).toBe(0);
    expect(index.indexOf('constructor')).toBe(-1);
    expect(index.indexOf('toString')).toBe(-1);
  });

  it('agrees with a Map on every look-up while it grows from its smallest size', () => {
    const random = seededRandom(11);
    const index = new StringIndex();
    const reference = new Map<string, number>();
    const added: number[] = [];
    const expected: number[] = [];
    for (let n = 0; n < 60_000; n++) {
      // Draws from a smaller range than the count, so about a third are repeats; similar strings probe neighbours.
      const text = `k${random.int(40_000)}é${n % 7}`;
      if (!reference.has(text)) reference.set(text, reference.size);
      expected.push(reference.get(text) as number);
      added.push(index.add(text));
    }
    expect(added).toEqual(expected);
    expect(index.size).toBe(reference.size);
    expect([...reference.keys()].map((text) => index.indexOf(text))).toEqual([...reference.values()]);
    expect(Array.from({ length: 1_000 }, (_, n) => index.indexOf(`absent${n}`))).toEqual(new Array(1_000).fill(-1));
    expect(index.values()).toEqual([...reference.keys()]);
  });

  it('gives the same numbers whether or not it was told how many strings to expect', () => {
    const texts = Array.from({ length: 5_000 }, (_, n) => `satellite:SK${(n * 7919) % 4_000}`);
    const grown = new StringIndex();
    const sized = new StringIndex(texts.length);
    expect(texts.map((text) => sized.add(text))).toEqual(texts.map((text) => grown.add(text)));
    expect(sized.values()).toEqual(grown.values());
  });
});
