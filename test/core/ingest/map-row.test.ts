import { mapRow, type MapRowResult } from '../../../lambdas/core/ingest/map-row';
import { parseMapping, type SourceMapping } from '../../../lambdas/core/model/mapping';
import type { CustomerRecord } from '../../../lambdas/core/model/record';

const TODAY = '2026-11-01';

/** A split-column export, like the telco sample. */
const splitMapping: SourceMapping = parseMapping({
  company: 'A',
  phoneRegion: 'US',
  columns: {
    id: 'customer_id',
    firstName: 'first_name',
    middleName: 'middle_name',
    lastName: 'last_name',
    nameSuffix: 'suffix',
    email: ['email', 'email2'],
    phone: ['mobile', 'home'],
    address: { line1: 'street', unit: 'apt', city: 'city', state: 'state', postcode: 'zip' },
    dateOfBirth: { column: 'dob', format: 'MM/DD/YYYY' },
    customerSince: { column: 'since', format: 'MM/DD/YYYY' },
    lastActivity: { column: 'last_seen', format: 'ISO' },
    status: { column: 'status', endedValues: ['Cancelled', 'Closed - Moved'] },
    products: { column: 'products', delimiter: ';' },
    consent: {
      column: 'email_opt_in',
      polarity: 'opt-in',
      trueValues: ['Y', 'yes'],
      falseValues: ['N', 'no'],
      date: { column: 'opt_in_date', format: 'ISO' },
    },
    identifiers: { loyalty_no: 'loyalty', national_id: 'ssn' },
  },
});

/** A full-name, one-line-address export, like the satellite sample. */
const fullMapping: SourceMapping = parseMapping({
  company: 'B',
  columns: {
    id: 'account_no',
    fullName: 'full_name',
    email: 'contact_email',
    phone: 'phone',
    addressLine: 'service_address',
    dateOfBirth: { column: 'dob', format: 'ISO' },
    status: { column: 'account_status', endedValues: ['Closed'] },
    products: { column: 'plans', delimiter: '|' },
    consent: { column: 'do_not_email', polarity: 'opt-out', trueValues: ['1', 'true'], falseValues: ['0', 'false'] },
  },
});

function splitRow(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    customer_id: 'NW001',
    first_name: 'Bob',
    middle_name: 'Q',
    last_name: "O'Neill Jr.",
    suffix: '',
    email: 'Bob.ONeill+shop@GMAIL.com',
    email2: '',
    mobile: '(212) 555-0123',
    home: '',
    street: '12 Main Street',
    apt: 'Apt 4B',
    city: 'NEW YORK',
    state: 'New York',
    zip: '10001-1234',
    dob: '03/07/1985',
    since: '1/15/2019',
    last_seen: '2026-10-30T08:00:00Z',
    status: 'Active',
    products: 'Fiber 500; Mobile Unlimited;;fiber 500 ',
    email_opt_in: 'Y',
    opt_in_date: '2020-05-01',
    loyalty: 'lo-0042',
    ssn: '123-45-6789',
    ...overrides,
  };
}

function mapSplit(overrides: Record<string, string> = {}, line = 2): MapRowResult {
  return mapRow(splitRow(overrides), { mapping: splitMapping, source: 'telco', line, today: TODAY });
}

function record(result: MapRowResult): CustomerRecord {
  if (!result.ok) throw new Error(`expected a record, got reject: ${result.reason}`);
  return result.record;
}

describe('mapRow: a clean split-column row', () => {
  it('builds the full record', () => {
    expect(record(mapSplit())).toEqual({
      key: 'telco:NW001',
      source: 'telco',
      company: 'A',
      recordId: 'NW001',
      line: 2,
      name: {
        first: 'bob',
        firstCanonical: 'robert',
        middle: 'q',
        last: 'oneill',
        suffix: 'jr',
        firstDisplay: 'Bob',
        lastDisplay: "O'Neill",
      },
      emails: ['boboneill@gmail.com'],
      emailsDisplay: ['bob.oneill+shop@gmail.com'],
      phones: ['+12125550123'],
      address: { number: '12', street: 'main st', unit: '4b', city: 'new york', state: 'ny', postcode: '10001' },
      dateOfBirth: '1985-03-07',
      identifiers: { loyalty_no: 'LO0042', national_id: '123456789' },
      customerSince: '2019-01-15',
      lastActivity: '2026-10-30',
      status: 'active',
      products: ['Fiber 500', 'Mobile Unlimited'],
      consent: { optedOut: false, date: '2020-05-01' },
      warnings: [],
    });
  });
});

describe('mapRow: row-level rejects', () => {
  it('rejects a row without an id, naming the column', () => {
    for (const id of ['', '   ', 'NULL']) {
      expect(mapSplit({ customer_id: id })).toEqual({ ok: false, reason: 'missing record id in column "customer_id"' });
    }
  });

  const anonymous = { first_name: '', middle_name: '', last_name: ' ', loyalty: '', ssn: 'N/A' };

  it('rejects a row with no name, no valid email, no valid phone and no identifier', () => {
    const result = mapSplit({ ...anonymous, email: 'not-an-email', mobile: '12345' });
    expect(result).toEqual({
      ok: false,
      reason: 'cannot identify a person: no name, no valid email, no valid phone and no identifier',
    });
  });

  it('keeps a row that has only a valid email, only a valid phone or only an identifier', () => {
    const emailOnly = record(mapSplit({ ...anonymous, mobile: '' }));
    expect(emailOnly.emails).toEqual(['boboneill@gmail.com']);
    const phoneOnly = record(mapSplit({ ...anonymous, email: '' }));
    expect(phoneOnly.phones).toEqual(['+12125550123']);
    const identifierOnly = record(mapSplit({ ...anonymous, email: '', mobile: '', ssn: '123-45-6789' }));
    expect(identifierOnly.identifiers).toEqual({ national_id: '123456789' });
  });

  it('keeps a row whose only name part is a middle name', () => {
    expect(record(mapSplit({ ...anonymous, middle_name: 'Quincy', email: '', mobile: '' })).name.middle).toBe('quincy');
  });

  it('keeps a row with a name but no contact details at all', () => {
    const result = record(mapSplit({ email: '', mobile: '' }));
    expect(result.emails).toEqual([]);
    expect(result.phones).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it('never puts customer values into a reject reason', () => {
    const result = mapSplit({ ...anonymous, email: 'secret-value', mobile: '999' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).not.toMatch(/secret|999/);
  });
});

describe('mapRow: field-level problems become warnings', () => {
  it('drops an invalid email and says which column and why', () => {
    const result = record(mapSplit({ email: 'bob.oneill.gmail.com' }));
    expect(result.emails).toEqual([]);
    expect(result.warnings).toEqual(['invalid email in column "email": missing @']);
  });

  it('drops an invalid phone with a warning', () => {
    const result = record(mapSplit({ mobile: '(555) 123-4567', home: 'call me' }));
    expect(result.phones).toEqual([]);
    expect(result.warnings).toEqual([
      'invalid phone in column "mobile": not a valid number',
      'invalid phone in column "home": contains letters',
    ]);
  });

  it('drops impossible and implausible dates with a warning', () => {
    const result = record(mapSplit({ dob: '02/30/1985', since: '13/01/2019', last_seen: 'yesterday' }));
    expect(result.dateOfBirth).toBeNull();
    expect(result.customerSince).toBeNull();
    expect(result.lastActivity).toBeNull();
    expect(result.warnings).toEqual([
      'invalid date in column "dob": impossible date: day out of range for the month',
      'invalid date in column "since": impossible date: month out of range',
      'invalid date in column "last_seen": date does not match format ISO',
    ]);
  });

  it('rejects a date of birth in the future or the 1900-01-01 placeholder', () => {
    expect(record(mapSplit({ dob: '12/31/2027' })).warnings).toEqual([
      'invalid date in column "dob": implausible date of birth: in the future',
    ]);
    expect(record(mapSplit({ dob: '01/01/1900' })).dateOfBirth).toBeNull();
  });

  it('warns about an unreadable one-line address', () => {
    const result = record(
      mapRow({ account_no: 'SK1', full_name: 'Jane Doe', service_address: '---' }, { mapping: fullMapping, source: 'sat', line: 3 }),
    );
    expect(result.address).toEqual({ number: null, street: null, unit: null, city: null, state: null, postcode: null });
    expect(result.warnings).toEqual(['invalid address in column "service_address": unparseable address']);
  });

  it('drops placeholder identifiers with a warning and skips empty ones silently', () => {
    const result = record(mapSplit({ ssn: '000-00-0000', loyalty: '' }));
    expect(result.identifiers).toEqual({});
    expect(result.warnings).toEqual(['invalid identifier in column "ssn": placeholder or empty value']);
  });

  it('never puts the bad values into warnings', () => {
    const result = record(
      mapSplit({ email: 'secret@@x.com', mobile: '555-SECRET', dob: '99/99/1999', ssn: '0000', email_opt_in: 'SECRET' }),
    );
    expect(result.warnings).toHaveLength(5);
    for (const warning of result.warnings) expect(warning).not.toMatch(/secret|99|0000/i);
  });
});

describe('mapRow: multiple email and phone columns', () => {
  it('merges columns into arrays without duplicates (by matching key)', () => {
    const result = record(
      mapSplit({
        email: 'Bob.ONeill@gmail.com',
        email2: 'boboneill+news@googlemail.com',
        mobile: '212-555-0123',
        home: '+1 (212) 555 0123',
      }),
    );
    expect(result.emails).toEqual(['boboneill@gmail.com']);
    expect(result.emailsDisplay).toEqual(['bob.oneill@gmail.com']);
    expect(result.phones).toEqual(['+12125550123']);
  });

  it('splits a cell holding several addresses or numbers', () => {
    const result = record(
      mapSplit({ email: 'a@example.com; b@example.com', email2: '', mobile: '212-555-0123 / 212-555-0199', home: '' }),
    );
    expect(result.emails).toEqual(['a@example.com', 'b@example.com']);
    expect(result.emailsDisplay).toEqual(['a@example.com', 'b@example.com']);
    expect(result.phones).toEqual(['+12125550123', '+12125550199']);
  });

  it('keeps display and key arrays parallel when one column is invalid', () => {
    const result = record(mapSplit({ email: 'nope', email2: 'Second@Example.com' }));
    expect(result.emails).toEqual(['second@example.com']);
    expect(result.emailsDisplay).toEqual(['second@example.com']);
  });
});

describe('mapRow: status, products and consent', () => {
  it('maps status: ended values case-insensitively, anything else active, empty null', () => {
    expect(record(mapSplit({ status: 'CANCELLED' })).status).toBe('ended');
    expect(record(mapSplit({ status: ' closed - moved ' })).status).toBe('ended');
    expect(record(mapSplit({ status: 'Suspended' })).status).toBe('active');
    expect(record(mapSplit({ status: '' })).status).toBeNull();
  });

  it('splits products, trims, drops empties and de-duplicates keeping the first spelling', () => {
    expect(record(mapSplit({ products: ' TV Basic ;;TV  Basic; tv basic;DVR ' })).products).toEqual(['TV Basic', 'DVR']);
    expect(record(mapSplit({ products: '' })).products).toEqual([]);
  });

  it('reads opt-in consent: true means allowed, false means opted out', () => {
    expect(record(mapSplit({ email_opt_in: 'yes' })).consent.optedOut).toBe(false);
    expect(record(mapSplit({ email_opt_in: 'n' })).consent.optedOut).toBe(true);
    expect(record(mapSplit({ email_opt_in: '' })).consent).toEqual({ optedOut: null, date: '2020-05-01' });
  });

  it('reads opt-out consent the other way round', () => {
    const map = (flag: string): boolean | null =>
      record(mapRow({ account_no: 'SK1', full_name: 'Jane Doe', do_not_email: flag }, { mapping: fullMapping, source: 'sat', line: 2 }))
        .consent.optedOut;
    expect(map('1')).toBe(true);
    expect(map('TRUE')).toBe(true);
    expect(map('0')).toBe(false);
    expect(map('')).toBeNull();
  });

  it('warns about an unknown consent value and leaves consent unknown', () => {
    const result = record(mapSplit({ email_opt_in: 'maybe' }));
    expect(result.consent.optedOut).toBeNull();
    expect(result.warnings).toEqual(['unrecognised consent value in column "email_opt_in"']);
  });

  it('does not let a bad consent date hide the consent flag', () => {
    const result = record(mapSplit({ opt_in_date: '2020-02-31' }));
    expect(result.consent).toEqual({ optedOut: false, date: null });
    expect(result.warnings).toEqual(['invalid date in column "opt_in_date": impossible date: day out of range for the month']);
  });
});

describe('mapRow: full-name sources', () => {
  it('parses "LAST, First M." and a one-line address', () => {
    const result = record(
      mapRow(
        {
          account_no: 'SK67778737',
          full_name: "O'CONNOR, MICHAEL C.",
          contact_email: 'michael_oconnor@gmail.com',
          phone: '212.502.3664',
          service_address: '4188 Oak Avenue #11B, New York, NY 10090-7599',
          dob: '1966-12-11',
          account_status: 'Closed',
          plans: 'Premier HD|Sports Pack',
          do_not_email: '0',
        },
        { mapping: fullMapping, source: 'satellite', line: 7 },
      ),
    );
    expect(result.key).toBe('satellite:SK67778737');
    expect(result.company).toBe('B');
    expect(result.name).toEqual({
      first: 'michael',
      firstCanonical: 'michael',
      middle: 'c',
      last: 'oconnor',
      suffix: null,
      firstDisplay: 'Michael',
      lastDisplay: "O'Connor",
    });
    expect(result.address).toEqual({ number: '4188', street: 'oak ave', unit: '11b', city: 'new york', state: 'ny', postcode: '10090' });
    expect(result.status).toBe('ended');
    expect(result.products).toEqual(['Premier HD', 'Sports Pack']);
    expect(result.consent).toEqual({ optedOut: false, date: null });
    expect(result.warnings).toEqual([]);
  });

  it('treats columns missing from the row as empty', () => {
    const result = record(mapRow({ account_no: 'SK2', full_name: 'Jane Doe' }, { mapping: fullMapping, source: 'sat', line: 2 }));
    expect(result.emails).toEqual([]);
    expect(result.dateOfBirth).toBeNull();
    expect(result.status).toBeNull();
    expect(result.consent).toEqual({ optedOut: null, date: null });
  });

  it('keeps the record id as written (trimmed) and builds the key from it', () => {
    const result = record(mapRow({ account_no: '  sk-0001 ', full_name: 'Jane Doe' }, { mapping: fullMapping, source: 'sat', line: 9 }));
    expect(result.recordId).toBe('sk-0001');
    expect(result.key).toBe('sat:sk-0001');
    expect(result.line).toBe(9);
  });
});
