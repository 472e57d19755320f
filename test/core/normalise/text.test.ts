import { seededRandom } from '../../../lambdas/core/random';
import {
  cleanCell,
  collapseWhitespace,
  foldCase,
  isBlank,
  isMissing,
  letterKey,
  normaliseText,
  stripAccents,
  titleCaseIfUniform,
} from '../../../lambdas/core/normalise/text';

describe('stripAccents', () => {
  it('folds combining accents and keeps case', () => {
    expect(stripAccents('José Muñoz')).toBe('Jose Munoz');
    expect(stripAccents('ÉLODIE Françoise')).toBe('ELODIE Francoise');
  });

  it('expands letters that Unicode does not decompose', () => {
    expect(stripAccents('Strauß')).toBe('Strauss');
    expect(stripAccents('Ørsted Æbelø')).toBe('Orsted AEbelo');
    expect(stripAccents('Łukasz Đorđević')).toBe('Lukasz Dordevic');
    expect(stripAccents('Þórunn')).toBe('Thorunn');
    expect(stripAccents('œuvre')).toBe('oeuvre');
  });

  it('folds compatibility forms (ligatures, full-width letters)', () => {
    expect(stripAccents('ﬁnn')).toBe('finn');
    expect(stripAccents('ＪＯＨＮ')).toBe('JOHN');
  });

  it('returns pure ASCII unchanged (same string)', () => {
    const ascii = "O'Neill-Smith, Jr.";
    expect(stripAccents(ascii)).toBe(ascii);
  });
});

describe('foldCase', () => {
  it('makes José, JOSE and jose one value', () => {
    expect(foldCase('José')).toBe('jose');
    expect(foldCase('JOSÉ')).toBe('jose');
    expect(foldCase('jose')).toBe('jose');
  });

  it('does not depend on a Turkish locale for dotted capital I', () => {
    expect(foldCase('İLKER')).toBe('ilker');
  });
});

describe('collapseWhitespace', () => {
  it('trims and collapses tabs, newlines and non-breaking spaces', () => {
    expect(collapseWhitespace('  Mary \t\n Ann\u00a0\u00a0Smith  ')).toBe('Mary Ann Smith');
  });

  it('removes zero-width characters and BOMs instead of splitting words', () => {
    expect(collapseWhitespace('\ufeffJo\u200bhn\u00ad')).toBe('John');
  });

  it('turns control characters into separators', () => {
    expect(collapseWhitespace('Main\u0000St')).toBe('Main St');
  });
});

describe('normaliseText', () => {
  it('removes apostrophes without splitting and turns other punctuation into spaces', () => {
    expect(normaliseText("  O’Brien-Smith, Jr. ")).toBe('obrien smith jr');
    expect(normaliseText("D'Angelo")).toBe('dangelo');
  });

  it('gives "" for text with no Latin letters or digits', () => {
    expect(normaliseText('---')).toBe('');
    expect(normaliseText('李')).toBe('');
  });
});

describe('letterKey', () => {
  it('keeps letters only', () => {
    expect(letterKey('K.C.')).toBe('kc');
    expect(letterKey('Mary-Jane 2')).toBe('maryjane');
  });
});

describe('isBlank / isMissing / cleanCell', () => {
  it('treats undefined, null, empty and whitespace-only as blank', () => {
    expect(isBlank(undefined)).toBe(true);
    expect(isBlank(null)).toBe(true);
    expect(isBlank('')).toBe(true);
    expect(isBlank(' \t\u00a0')).toBe(true);
    expect(isBlank(' x ')).toBe(false);
  });

  it('treats export spellings of null as missing, but not real names', () => {
    for (const token of ['NULL', '(null)', 'N/A', '#N/A', ' n/a ', '-', '--', '?', 'undefined']) {
      expect(isMissing(token)).toBe(true);
    }
    // "Na" is a Korean surname and "Nan" a given name: they must survive.
    expect(isMissing('Na')).toBe(false);
    expect(isMissing('Nan')).toBe(false);
  });

  it('cleans a cell to its collapsed value or null', () => {
    expect(cleanCell('  Jane   Doe ')).toBe('Jane Doe');
    expect(cleanCell('NULL')).toBeNull();
    expect(cleanCell(undefined)).toBeNull();
  });
});

describe('titleCaseIfUniform', () => {
  it('title-cases ALL CAPS and all lower values', () => {
    expect(titleCaseIfUniform('JOHN')).toBe('John');
    expect(titleCaseIfUniform("o'neill")).toBe("O'Neill");
    expect(titleCaseIfUniform('SMITH-JONES')).toBe('Smith-Jones');
    expect(titleCaseIfUniform('josé maría')).toBe('José María');
  });

  it('restores the capital after Mc', () => {
    expect(titleCaseIfUniform('MCDONALD')).toBe('McDonald');
    // Mac is left alone: "Mack" and "Macy" are not Mac-Ks.
    expect(titleCaseIfUniform('MACY')).toBe('Macy');
  });

  it('trusts mixed case as written', () => {
    expect(titleCaseIfUniform('van der Berg')).toBe('van der Berg');
    expect(titleCaseIfUniform('McDONALD')).toBe('McDONALD');
    expect(titleCaseIfUniform('  DeShawn ')).toBe('DeShawn');
  });
});

it('collapses whitespace the same on its fast path (clean ASCII) as through the expressions', () => {
  // The expressions collapseWhitespace applies to text that is not already clean, as a reference.
  const reference = (text: string): string =>
    (/[^\x09-\x0d\x20-\x7e]/.test(text) ? text.replace(/\p{Cf}/gu, '').replace(/[\x00-\x08\x0e-\x1f\x7f-\x9f]/g, ' ') : text)
      .replace(/\s+/g, ' ')
      .trim();
  const alphabet = ['a', 'B', '7', ' ', ' ', '\t', '\n', '\u00a0', '-', "'", 'é', '\u200b', '\x01'];
  const random = seededRandom(11);
  for (let n = 0; n < 5_000; n++) {
    const text = Array.from({ length: random.int(8) }, () => alphabet[random.int(alphabet.length)]).join('');
    expect(collapseWhitespace(text)).toBe(reference(text));
  }
  expect(collapseWhitespace('Main St')).toBe('Main St');
  expect(collapseWhitespace(' Main  St ')).toBe('Main St');
});
