import type { PostalAddress } from '../../../lambdas/core/model/record';
import {
  normaliseAddress,
  normalisePostcode,
  normaliseState,
  parseAddressLine,
} from '../../../lambdas/core/normalise/address';

function address(parts: Partial<PostalAddress>): PostalAddress {
  return { number: null, street: null, unit: null, city: null, state: null, postcode: null, ...parts };
}

describe('parseAddressLine', () => {
  it('parses a full line with unit, city, state and ZIP+4', () => {
    expect(parseAddressLine('12 Main Street Apt 4B, Springfield, IL 62704-1234')).toEqual(
      address({ number: '12', street: 'main st', unit: '4b', city: 'springfield', state: 'il', postcode: '62704' }),
    );
  });

  it('parses a line without commas, unit first', () => {
    expect(parseAddressLine('Apt 4 12 Main St Springfield IL 62704')).toEqual(
      address({ number: '12', street: 'main st', unit: '4', city: 'springfield', state: 'il', postcode: '62704' }),
    );
  });

  it('parses PO boxes in their spellings', () => {
    const expected = address({ number: '12', street: 'po box', city: 'springfield', state: 'il', postcode: '62704' });
    expect(parseAddressLine('PO Box 12, Springfield, IL 62704')).toEqual(expected);
    expect(parseAddressLine('P.O. Box 12 Springfield Illinois 62704')).toEqual(expected);
    expect(parseAddressLine('Post Office Box 12, Springfield, IL 62704')).toEqual(expected);
  });

  it('gives the same parts for the same address written two ways', () => {
    const a = parseAddressLine('1600 Pennsylvania Avenue Northwest, Washington, District of Columbia 20500');
    const b = parseAddressLine('1600 PENNSYLVANIA AVE. NW WASHINGTON DC 20500-0003');
    expect(a).toEqual(b);
    expect(a).toEqual(address({ number: '1600', street: 'pennsylvania ave nw', city: 'washington', state: 'dc', postcode: '20500' }));
  });

  it('does not cut the street at a name word that is also a street type', () => {
    expect(parseAddressLine('12 Park Ave New York NY 10001')).toMatchObject({ street: 'park ave', city: 'new york' });
    expect(parseAddressLine('9 Court St Park City UT 84060')).toMatchObject({ street: 'ct st', city: 'park city' });
  });

  it('keeps an abbreviated post-directional with the street, and a spelled-out one with the city', () => {
    expect(parseAddressLine('100 Lake Shore Dr N Chicago IL 60611')).toMatchObject({
      street: 'lake shore dr n',
      city: 'chicago',
    });
    expect(parseAddressLine('12 Main St East Orange NJ 07017')).toMatchObject({
      street: 'main st',
      city: 'east orange',
      postcode: '07017',
    });
    expect(parseAddressLine('12 Main St North')).toMatchObject({ street: 'main st n', city: null });
  });

  it('reads units written with # and attached designators', () => {
    expect(parseAddressLine('12 Main St #4B Springfield IL 62704')).toMatchObject({ unit: '4b', city: 'springfield' });
    expect(parseAddressLine('12 Main St Apt#4B, Springfield, IL')).toMatchObject({ unit: '4b', city: 'springfield' });
    expect(parseAddressLine('12 Main St Unit 04-B, Springfield, IL')).toMatchObject({ unit: '4b' });
  });

  it('reads a unit/number pair and a trailing unit segment', () => {
    expect(parseAddressLine('4/12 Smith Circuit, Canberra')).toMatchObject({
      number: '12',
      street: 'smith cct',
      unit: '4',
      city: 'canberra',
    });
    expect(parseAddressLine('12 Main St, Apt 4B')).toEqual(address({ number: '12', street: 'main st', unit: '4b' }));
  });

  it('does not read a street type as a state when there is no postcode', () => {
    // "Ct" is Court here, not Connecticut; "NE" is north-east, not Nebraska.
    expect(parseAddressLine('12 Elm Ct')).toEqual(address({ number: '12', street: 'elm ct' }));
    expect(parseAddressLine('12 Main St NE')).toEqual(address({ number: '12', street: 'main st ne' }));
  });

  it('reads multi-word state names and ordinal street names', () => {
    expect(parseAddressLine('350 Fifth Avenue, New York, New York 10118')).toEqual(
      address({ number: '350', street: '5th ave', city: 'new york', state: 'ny', postcode: '10118' }),
    );
  });

  it('pads a ZIP that lost its leading zero when a US state precedes it', () => {
    expect(parseAddressLine('12 Main St, Boston, MA 2134')).toMatchObject({ state: 'ma', postcode: '02134' });
  });

  it('keeps non-US postcodes as upper-case alphanumerics', () => {
    expect(parseAddressLine('221B Baker Street, London NW1 6XE')).toEqual(
      address({ number: '221b', street: 'baker st', city: 'london', postcode: 'NW16XE' }),
    );
    expect(parseAddressLine('24 Sussex Drive, Ottawa K1M 1M4')).toMatchObject({ city: 'ottawa', postcode: 'K1M1M4' });
  });

  it('keeps hyphenated number ranges and splits hyphenated words', () => {
    expect(parseAddressLine('12-14 Wilkes-Barre Blvd, Wilkes-Barre, PA')).toEqual(
      address({ number: '12-14', street: 'wilkes barre blvd', city: 'wilkes barre', state: 'pa' }),
    );
  });

  it('reads a city-only line', () => {
    expect(parseAddressLine('Springfield, IL 62704')).toEqual(address({ city: 'springfield', state: 'il', postcode: '62704' }));
  });

  it('folds accents and abbreviates Saint in cities', () => {
    expect(parseAddressLine('5 Rue Sainte-Catherine, Saint Louis, MO 63101')).toMatchObject({
      street: 'rue ste catherine',
      city: 'st louis',
    });
    expect(parseAddressLine('5 Élysée Rd, Montréal')).toMatchObject({ street: 'elysee rd', city: 'montreal' });
  });

  it('returns all nulls for empty input', () => {
    expect(parseAddressLine('')).toEqual(address({}));
    expect(parseAddressLine('   ')).toEqual(address({}));
    expect(parseAddressLine(null)).toEqual(address({}));
  });
});

describe('normaliseAddress', () => {
  it('normalises split columns', () => {
    expect(
      normaliseAddress({ line1: '12 Main Street', line2: 'Apt. 4-B', city: 'Saint Louis', state: 'Missouri', postcode: '63101-1234' }),
    ).toEqual(address({ number: '12', street: 'main st', unit: '4b', city: 'st louis', state: 'mo', postcode: '63101' }));
  });

  it('uses separate number, street and unit columns', () => {
    expect(
      normaliseAddress({ number: '0012', street: 'North Main Street', unit: '#04', city: 'BOSTON', state: 'ma', postcode: '2134' }),
    ).toEqual(address({ number: '12', street: 'n main st', unit: '4', city: 'boston', state: 'ma', postcode: '02134' }));
  });

  it('takes a short code on line 2 as the unit but ignores care-of lines', () => {
    expect(normaliseAddress({ line1: '12 Main St', line2: '4B' }).unit).toBe('4b');
    expect(normaliseAddress({ line1: '12 Main St', line2: 'c/o Jane Smith' }).unit).toBeNull();
    expect(normaliseAddress({ line1: '12 Main St', line2: 'Suite 200' }).unit).toBe('200');
  });

  it('parses line1 as a whole address when there are no city, state or postcode columns', () => {
    expect(normaliseAddress({ line1: '12 Main St, Springfield, IL 62704' })).toEqual(
      address({ number: '12', street: 'main st', city: 'springfield', state: 'il', postcode: '62704' }),
    );
  });

  it('takes a PO box from line 2 when line 1 is empty', () => {
    expect(normaliseAddress({ line2: 'PO Box 77', city: 'Springfield' })).toMatchObject({ number: '77', street: 'po box' });
  });

  it('does not pad a short postcode outside the US', () => {
    expect(normaliseAddress({ city: 'Sydney', state: 'NSW', postcode: '2000' })).toEqual(
      address({ city: 'sydney', state: 'nsw', postcode: '2000' }),
    );
  });

  it('returns all nulls when every part is empty', () => {
    expect(normaliseAddress({ line1: ' ', city: '', postcode: 'NULL' })).toEqual(address({}));
  });
});

describe('normaliseState', () => {
  it('maps US state names and codes to lower-case codes', () => {
    expect(normaliseState('Illinois')).toBe('il');
    expect(normaliseState('IL')).toBe('il');
    expect(normaliseState('new  york')).toBe('ny');
    expect(normaliseState('District of Columbia')).toBe('dc');
    expect(normaliseState('Puerto Rico')).toBe('pr');
  });

  it('folds other regions as written', () => {
    expect(normaliseState('Ontario')).toBe('ontario');
    expect(normaliseState('Québec')).toBe('quebec');
    expect(normaliseState('')).toBeNull();
  });
});

describe('normalisePostcode', () => {
  it('cuts ZIP+4 to five digits', () => {
    expect(normalisePostcode('62704-1234')).toBe('62704');
    expect(normalisePostcode('627041234')).toBe('62704');
  });

  it('restores leading zeros only for US states', () => {
    expect(normalisePostcode('2134', 'ma')).toBe('02134');
    expect(normalisePostcode('2134-1234', 'ma')).toBe('02134');
    expect(normalisePostcode('501', 'ny')).toBe('00501');
    expect(normalisePostcode('2134')).toBe('2134');
  });

  it('upper-cases and removes spaces from other postcodes', () => {
    expect(normalisePostcode('sw1a 1aa')).toBe('SW1A1AA');
    expect(normalisePostcode(' k1m-1m4 ')).toBe('K1M1M4');
    expect(normalisePostcode('  ')).toBeNull();
  });
});
