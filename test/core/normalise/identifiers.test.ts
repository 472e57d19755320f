import { normaliseIdentifier } from '../../../lambdas/core/normalise/identifiers';

describe('normaliseIdentifier', () => {
  it('keeps upper-case letters and digits only', () => {
    expect(normaliseIdentifier('123-45-6789')).toBe('123456789');
    expect(normaliseIdentifier(' 123 45 6789 ')).toBe('123456789');
    expect(normaliseIdentifier('ab-12.cd/34')).toBe('AB12CD34');
    expect(normaliseIdentifier('LOY#0042')).toBe('LOY0042');
  });

  it('folds accents instead of dropping the letter', () => {
    expect(normaliseIdentifier('é-12ß')).toBe('E12SS');
  });

  it('drops placeholders so they never link two people', () => {
    for (const raw of ['N/A', 'na', 'NULL', 'none', 'Unknown', 'TBD', '000-00-0000', '999999999', 'XXXXXX', '0']) {
      expect(normaliseIdentifier(raw)).toBeNull();
    }
  });

  it('returns null for empty or punctuation-only values', () => {
    expect(normaliseIdentifier('')).toBeNull();
    expect(normaliseIdentifier('  --  ')).toBeNull();
    expect(normaliseIdentifier(null)).toBeNull();
    expect(normaliseIdentifier(undefined)).toBeNull();
  });
});
