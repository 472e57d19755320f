import type { PersonName } from '../../../lambdas/core/model/record';
import { nameKey, normalisePersonName } from '../../../lambdas/core/normalise/names';

const EMPTY: PersonName = {
  first: null,
  firstCanonical: null,
  middle: null,
  last: null,
  suffix: null,
  firstDisplay: null,
  lastDisplay: null,
};

describe('normalisePersonName: split fields', () => {
  it('folds case and accents for matching and keeps the spelling for display', () => {
    expect(normalisePersonName({ first: 'José', last: 'Muñoz' })).toEqual({
      first: 'jose',
      firstCanonical: 'jose',
      middle: null,
      last: 'munoz',
      suffix: null,
      firstDisplay: 'José',
      lastDisplay: 'Muñoz',
    });
  });

  it('resolves the nickname into firstCanonical but keeps first as written', () => {
    const name = normalisePersonName({ first: 'BOBBY', last: 'SMITH' });
    expect(name.first).toBe('bobby');
    expect(name.firstCanonical).toBe('robert');
    expect(name.firstDisplay).toBe('Bobby');
    expect(name.lastDisplay).toBe('Smith');
  });

  it('extracts a suffix from the end of the last name', () => {
    for (const last of ['Smith Jr', 'Smith Jr.', 'SMITH, JR.', 'Smith junior']) {
      const name = normalisePersonName({ first: 'John', last });
      expect(name.last).toBe('smith');
      expect(name.suffix).toBe('jr');
      expect(name.lastDisplay).toBe('Smith');
    }
    expect(normalisePersonName({ first: 'John', last: 'Smith III' }).suffix).toBe('iii');
    expect(normalisePersonName({ first: 'John', last: 'Smith 2nd' }).suffix).toBe('ii');
  });

  it('reads the suffix column, which wins over a suffix found in another field', () => {
    expect(normalisePersonName({ first: 'John', last: 'Smith', suffix: 'Sr.' }).suffix).toBe('sr');
    expect(normalisePersonName({ first: 'John', last: 'Smith Jr', suffix: 'IV' }).suffix).toBe('iv');
    // Degrees are not generational suffixes.
    expect(normalisePersonName({ first: 'John', last: 'Smith', suffix: 'PhD' }).suffix).toBeNull();
  });

  it('finds a suffix at the end of the first name too', () => {
    const name = normalisePersonName({ first: 'John Jr.', last: 'Smith' });
    expect(name.first).toBe('john');
    expect(name.suffix).toBe('jr');
  });

  it('drops honorifics from the first name', () => {
    const name = normalisePersonName({ first: 'Dr. Jane', last: 'Doe' });
    expect(name.first).toBe('jane');
    expect(name.firstDisplay).toBe('Jane');
    expect(normalisePersonName({ first: 'Mrs', last: 'Doe' }).first).toBeNull();
  });

  it('moves trailing initials of the first-name field into middle, but keeps double given names whole', () => {
    const initial = normalisePersonName({ first: 'John Q.', last: 'Public' });
    expect(initial.first).toBe('john');
    expect(initial.middle).toBe('q');
    const double = normalisePersonName({ first: 'Mary Ann', last: 'Smith' });
    expect(double.first).toBe('mary ann');
    expect(double.firstDisplay).toBe('Mary Ann');
    expect(double.middle).toBeNull();
  });

  it('handles apostrophes, hyphens and multi-part surnames', () => {
    expect(normalisePersonName({ first: 'Sean', last: "O'Neill" }).last).toBe('oneill');
    expect(normalisePersonName({ first: 'Sean', last: 'O’NEILL' }).lastDisplay).toBe('O’Neill');
    expect(normalisePersonName({ first: 'Ann', last: 'Smith-Jones' }).last).toBe('smith jones');
    expect(normalisePersonName({ first: 'Jan', last: 'Van der Berg' }).last).toBe('van der berg');
    expect(normalisePersonName({ first: 'Juan', last: 'De la Cruz' }).last).toBe('de la cruz');
    expect(normalisePersonName({ first: 'Ann', last: 'Mc Donald' }).last).toBe('mcdonald');
    expect(normalisePersonName({ first: 'Ann', last: 'MacDonald' }).last).toBe('macdonald');
  });

  it('title-cases uniform display values and trusts mixed case', () => {
    expect(normalisePersonName({ first: 'ann', last: 'mcdonald' }).lastDisplay).toBe('McDonald');
    expect(normalisePersonName({ first: 'Ann', last: 'van der Berg' }).lastDisplay).toBe('van der Berg');
    expect(normalisePersonName({ first: '  Ann  ', last: ' DeShawn ' }).firstDisplay).toBe('Ann');
  });

  it('keeps a single-letter first name as its own canonical', () => {
    const name = normalisePersonName({ first: 'J.', last: 'Smith' });
    expect(name.first).toBe('j');
    expect(name.firstCanonical).toBe('j');
    expect(name.firstDisplay).toBe('J.');
  });

  it('leaves a possible first/last swap alone', () => {
    const name = normalisePersonName({ first: 'Smith', last: 'John' });
    expect(name.first).toBe('smith');
    expect(name.last).toBe('john');
  });

  it('treats empty, whitespace-only and NULL cells as missing', () => {
    expect(normalisePersonName({ first: '   ', last: '', middle: '\t' })).toEqual(EMPTY);
    expect(normalisePersonName({ first: 'NULL', last: 'N/A' })).toEqual(EMPTY);
    expect(normalisePersonName({})).toEqual(EMPTY);
  });

  it('keeps a surname that is also an honorific word when it stands alone', () => {
    expect(normalisePersonName({ first: 'Jon', last: 'Lord' }).last).toBe('lord');
  });
});

describe('normalisePersonName: full name', () => {
  it('parses "First Middle Last" with honorific and suffix', () => {
    expect(normalisePersonName({ full: 'Dr. John Q. Smith Jr.' })).toEqual({
      first: 'john',
      firstCanonical: 'john',
      middle: 'q',
      last: 'smith',
      suffix: 'jr',
      firstDisplay: 'John',
      lastDisplay: 'Smith',
    });
  });

  it('parses "LAST, First M."', () => {
    const name = normalisePersonName({ full: 'SMITH, JOHN Q.' });
    expect(name).toMatchObject({ first: 'john', middle: 'q', last: 'smith', firstDisplay: 'John', lastDisplay: 'Smith' });
  });

  it('reads suffixes before or after the comma', () => {
    expect(normalisePersonName({ full: 'Smith Jr., John' })).toMatchObject({ first: 'john', last: 'smith', suffix: 'jr' });
    expect(normalisePersonName({ full: 'John Smith, Jr.' })).toMatchObject({ first: 'john', last: 'smith', suffix: 'jr' });
    expect(normalisePersonName({ full: 'Smith, John, III' })).toMatchObject({ first: 'john', last: 'smith', suffix: 'iii' });
  });

  it('joins surname particles into the surname', () => {
    expect(normalisePersonName({ full: 'Ludwig van Beethoven' })).toMatchObject({
      first: 'ludwig',
      middle: null,
      last: 'van beethoven',
      lastDisplay: 'van Beethoven',
    });
    expect(normalisePersonName({ full: 'María José de la Cruz' })).toMatchObject({
      first: 'maria',
      middle: 'jose',
      last: 'de la cruz',
      firstDisplay: 'María',
    });
    expect(normalisePersonName({ full: 'van der Berg, Jan' })).toMatchObject({ first: 'jan', last: 'van der berg' });
  });

  it('fuses Mc/Mac/O written as separate words', () => {
    expect(normalisePersonName({ full: 'Robert Mc Donald III' })).toMatchObject({ last: 'mcdonald', suffix: 'iii' });
    expect(normalisePersonName({ full: 'sean o neill' })).toMatchObject({ last: 'oneill', lastDisplay: 'O Neill' });
  });

  it('splits run-together initials', () => {
    expect(normalisePersonName({ full: 'J.R.R. Tolkien' })).toMatchObject({ first: 'j', middle: 'r r', last: 'tolkien' });
  });

  it('drops post-nominal degrees and couples\' honorifics', () => {
    expect(normalisePersonName({ full: 'Bob Smith MD' })).toMatchObject({ first: 'bob', firstCanonical: 'robert', last: 'smith', suffix: null });
    expect(normalisePersonName({ full: 'Prof. Anna-Lena Müller-Lüdenscheidt PhD' })).toMatchObject({
      first: 'anna lena',
      last: 'muller ludenscheidt',
      firstDisplay: 'Anna-Lena',
      lastDisplay: 'Müller-Lüdenscheidt',
    });
    expect(normalisePersonName({ full: 'Mr & Mrs John Smith' })).toMatchObject({ first: 'john', last: 'smith' });
  });

  it('folds letters that do not decompose', () => {
    expect(normalisePersonName({ full: 'Bjørn Strauß' })).toMatchObject({ first: 'bjorn', last: 'strauss', lastDisplay: 'Strauß' });
  });

  it('treats a single word as the first name', () => {
    expect(normalisePersonName({ full: 'Madonna' })).toMatchObject({ first: 'madonna', last: null });
  });

  it('prefers split fields when they hold a value, and falls back to the full name', () => {
    expect(normalisePersonName({ first: 'Bob', last: 'Jones', full: 'Robert Smith' }).last).toBe('jones');
    expect(normalisePersonName({ first: '', last: ' ', full: 'Robert Smith' }).last).toBe('smith');
  });

  it('gives all nulls for an empty full name', () => {
    expect(normalisePersonName({ full: '   ' })).toEqual(EMPTY);
    expect(normalisePersonName({ full: ', ,' })).toEqual(EMPTY);
  });
});

describe('nameKey', () => {
  it('joins canonical first name and compact surname', () => {
    expect(nameKey(normalisePersonName({ full: 'Bob van der Berg' }))).toBe('robert vanderberg');
    expect(nameKey(normalisePersonName({ first: 'Robert', last: 'Vanderberg' }))).toBe('robert vanderberg');
  });

  it('uses what there is when one part is missing', () => {
    expect(nameKey(normalisePersonName({ last: "O'Neill" }))).toBe('oneill');
    expect(nameKey(normalisePersonName({ first: 'Liz' }))).toBe('elizabeth');
    expect(nameKey(normalisePersonName({}))).toBeNull();
  });
});
