import { middleNameComparison, suffixComparison } from '../../lambdas/core/matching/comparisons';
import { toFeatures } from '../../lambdas/core/matching/features';
import type { PersonName } from '../../lambdas/core/model/record';
import { customerRecord } from '../core/profiles/fixtures';

const person = (id: string, name: Partial<PersonName>, dateOfBirth: string | null = null) =>
  toFeatures(customerRecord({ source: 's', recordId: id, name, dateOfBirth }), 0);

describe('suffix comparison', () => {
  const label = (a: ReturnType<typeof person>, b: ReturnType<typeof person>) =>
    suffixComparison.levels[suffixComparison.level(a, b)];

  it('a suffix on one side with no birth date to tell father and son apart is clearly different', () => {
    const junior = person('1', { first: 'joseph', last: 'bryant', suffix: 'jr' });
    const father = person('2', { first: 'joseph', last: 'bryant' }, '1941-07-24');
    expect(label(junior, father).label).toBe('only one states a suffix, nothing tells father from son');
    expect(label(junior, father).decisive).toBe('always');
  });

  it('a suffix on one side with birth dates decades apart is clearly different', () => {
    const junior = person('1', { first: 'joseph', last: 'bryant', suffix: 'jr' }, '1969-03-02');
    const father = person('2', { first: 'joseph', last: 'bryant' }, '1941-07-24');
    expect(label(junior, father).decisive).toBe('always');
  });

  it('a dropped suffix with the same birth date stays linkable (the son in two exports)', () => {
    const junior = person('1', { first: 'joseph', last: 'bryant', suffix: 'jr' }, '1969-03-02');
    const same = person('2', { first: 'joseph', last: 'bryant' }, '1969-03-02');
    expect(label(junior, same).label).toBe('only one states a suffix');
    expect(label(junior, same).decisive).toBeUndefined();
  });

  it('a dropped suffix with the same email stays linkable (a campaign row without birth date)', () => {
    const senior = person('1', { first: 'matthew', last: 'young', suffix: 'sr' }, '1951-06-27');
    const lead = toFeatures(
      customerRecord({ source: 'c', recordId: '2', name: { first: 'matthew', last: 'young' }, emails: ['m.young@att.net'] }),
      1,
    );
    const withEmail = toFeatures(
      customerRecord({
        source: 's',
        recordId: '1',
        name: { first: 'matthew', last: 'young', suffix: 'sr' },
        dateOfBirth: '1951-06-27',
        emails: ['m.young@att.net'],
      }),
      0,
    );
    expect(label(senior, lead).decisive).toBe('always');
    expect(label(withEmail, lead).label).toBe('only one states a suffix');
  });

  it('a dropped suffix with the same numbered email local part at another provider stays linkable', () => {
    const record = (id: string, suffix: string | null, email: string) =>
      toFeatures(
        customerRecord({ source: 's', recordId: id, name: { first: 'donald', last: 'gomez', ...(suffix ? { suffix } : {}) }, emails: [email] }),
        Number(id),
      );
    const lead = record('1', 'sr', 'donald1979@protonmail.com');
    expect(label(lead, record('2', null, 'donald1979@yahoo.com')).label).toBe('only one states a suffix');
    // A local part of the name alone ("dgomez") is every Donald Gomez's: it tells father from son no better than the name.
    const nameMade = record('3', 'sr', 'dgomez@protonmail.com');
    expect(label(nameMade, record('4', null, 'dgomez@yahoo.com')).decisive).toBe('always');
  });

  it('keeps the other levels: none stated is null, Jr and Sr differ, same is same', () => {
    const plain = person('1', { first: 'joseph', last: 'bryant' });
    expect(suffixComparison.level(plain, plain)).toBe(0);
    const jr = person('2', { first: 'joseph', last: 'bryant', suffix: 'jr' });
    const sr = person('3', { first: 'joseph', last: 'bryant', suffix: 'sr' });
    expect(label(jr, sr).label).toBe('different');
    expect(label(jr, jr).label).toBe('same');
  });
});

describe('middle name comparison (for first names that are forms of one name)', () => {
  const label = (a: ReturnType<typeof person>, b: ReturnType<typeof person>) =>
    middleNameComparison.levels[middleNameComparison.level(a, b)].label;

  it('twins known by nicknames of one name, with different middle names, are different', () => {
    const christina = person('1', { first: 'christina', firstCanonical: 'christina', middle: 'f', last: 'brown' });
    const chris = person('2', { first: 'chris', firstCanonical: 'christopher', middle: 'philip', last: 'brown' });
    expect(label(christina, chris)).toBe('different');
    const tina = person('3', { first: 'tina', firstCanonical: 'christina', middle: 'nguyen', last: 'hayes' });
    const chrisJ = person('4', { first: 'chris', firstCanonical: 'christopher', middle: 'j', last: 'hayes' });
    expect(label(tina, chrisJ)).toBe('different');
  });

  it('an initial, the full middle name, or a nickname of it agree', () => {
    const bob = person('1', { first: 'bob', firstCanonical: 'robert', middle: 'j' });
    const robert = person('2', { first: 'robert', middle: 'james' });
    expect(label(bob, robert)).toBe('compatible');
    const kate = person('3', { first: 'bob', firstCanonical: 'robert', middle: 'kate' });
    const catherine = person('4', { first: 'robert', middle: 'catherine' });
    expect(label(kate, catherine)).toBe('compatible');
  });

  it('says nothing for the same first name, unrelated first names, or a missing middle name', () => {
    const a = person('1', { first: 'robert', middle: 'james' });
    expect(label(a, person('2', { first: 'robert', middle: 'karl' }))).toBe('null');
    expect(label(a, person('3', { first: 'brian', middle: 'karl' }))).toBe('null');
    expect(label(a, person('4', { first: 'bob', firstCanonical: 'robert', middle: null }))).toBe('null');
  });
});
