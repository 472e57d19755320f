import { doubleMetaphone, soundex } from '../../../lambdas/core/similarity/phonetic';

describe('soundex', () => {
  it.each([
    ['Robert', 'R163'],
    ['Rupert', 'R163'],
    ['Rubin', 'R150'],
    ['Ashcraft', 'A261'],
    ['Ashcroft', 'A261'],
    ['Tymczak', 'T522'],
    ['Pfister', 'P236'],
    ['Honeyman', 'H555'],
    ['Lee', 'L000'],
    ['Gutierrez', 'G362'],
    ['Jackson', 'J250'],
    ['Washington', 'W252'],
  ])('%s -> %s', (name, code) => {
    expect(soundex(name)).toBe(code);
  });

  it('folds case, accents and punctuation', () => {
    expect(soundex("o'brien")).toBe(soundex('OBRIEN'));
    expect(soundex('Müller')).toBe(soundex('Muller'));
    expect(soundex('Smith-Jones')).toBe(soundex('SmithJones'));
  });

  it('gives "" without letters', () => {
    expect(soundex('')).toBe('');
    expect(soundex('123')).toBe('');
  });
});

describe('doubleMetaphone (primary)', () => {
  it.each([
    ['Smith', 'SM0'],
    ['Schmidt', 'XMT'],
    ['Thomas', 'TMS'],
    ['Thompson', 'TMPS'],
    ['Jose', 'HS'],
    ['Caesar', 'SSR'],
    ['Catherine', 'K0RN'],
    ['Katherine', 'K0RN'],
    ['Knight', 'NT'],
    ['Xavier', 'SF'],
    ['Philip', 'FLP'],
    ['Dumb', 'TM'],
    ['Arnoff', 'ARNF'],
    ['Arnow', 'ARN'],
    ['Michael', 'MKL'],
    ['Gough', 'KF'],
    ['Hugh', 'H'],
    ['Laugh', 'LF'],
    ['Jones', 'JNS'],
    ['Johnson', 'JNSN'],
    ['Ashcraft', 'AXKR'],
    ['Edge', 'AJ'],
    ['Edgar', 'ATKR'],
    ['Bacchus', 'PKS'],
    ['Bertucci', 'PRTX'],
    ['Accident', 'AKST'],
    ['Chemistry', 'KMST'],
    ['Zhao', 'J'],
    ['Sugar', 'XKR'],
    ['Island', 'ALNT'],
    ['School', 'SKL'],
    ['Czerny', 'SRN'],
    ['Focaccia', 'FKX'],
    ['Gnome', 'NM'],
    ['Wasserman', 'ASRM'],
    ['Breaux', 'PR'],
  ])('%s -> %s', (name, code) => {
    expect(doubleMetaphone(name)).toBe(code);
  });

  it('gives the same code to names people spell differently', () => {
    expect(doubleMetaphone('Robert')).toBe(doubleMetaphone('Rupert'));
    expect(doubleMetaphone('Catherine')).toBe(doubleMetaphone('Kathryn'));
    expect(doubleMetaphone('Stephen')).toBe(doubleMetaphone('Steven'));
    expect(doubleMetaphone('Philips')).toBe(doubleMetaphone('Phillips'));
  });

  it('folds case and accents, and ignores non-letters', () => {
    expect(doubleMetaphone('josé')).toBe('HS');
    expect(doubleMetaphone("O'Neill")).toBe(doubleMetaphone('ONEILL'));
  });

  it('respects maxLength', () => {
    expect(doubleMetaphone('Christopherson')).toHaveLength(4);
    expect(doubleMetaphone('Christopherson', 8).length).toBeGreaterThan(4);
  });

  it('gives "" without letters', () => {
    expect(doubleMetaphone('')).toBe('');
    expect(doubleMetaphone('--')).toBe('');
  });
});
