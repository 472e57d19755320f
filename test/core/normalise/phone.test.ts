import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { normalisePhone } from '../../../lambdas/core/normalise/phone';

function e164(raw: string, region = 'US'): string {
  const result = normalisePhone(raw, region);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(raw)} to be valid, got ${result.reason}`);
  return result.e164;
}

function reason(raw: string | null | undefined, region = 'US'): string {
  const result = normalisePhone(raw, region);
  if (result.ok) throw new Error(`expected ${JSON.stringify(raw)} to be invalid, got ${result.e164}`);
  return result.reason;
}

describe('normalisePhone: US layouts seen in exports', () => {
  it.each([
    '(212) 555-0123',
    '212-555-0123',
    '212.555.0123',
    '2125550123',
    '+12125550123',
    '+1 212 555 0123',
    '1-212-555-0123',
    '212 555 0123',
    ' (212)555-0123 ',
  ])('%j -> +12125550123', (raw) => {
    expect(e164(raw)).toBe('+12125550123');
  });

  it('drops extensions in their usual spellings', () => {
    for (const raw of ['+1 212.555.0123 ext 12', '212-555-0123 ext. 12', '212-555-0123 x12', '(212) 555-0123 #12', '212 555 0123 extension 4']) {
      expect(e164(raw)).toBe('+12125550123');
    }
  });
});

describe('normalisePhone: international', () => {
  it('reads numbers written with a country code, whatever the default region', () => {
    expect(e164('+44 20 7946 0958')).toBe('+442079460958');
    expect(e164('+61 2 9374 4000')).toBe('+61293744000');
  });

  it('reads the 00 international prefix even where the local one is 011', () => {
    expect(e164('00 44 20 7946 0958')).toBe('+442079460958');
    expect(e164('(00) 44 20 7946 0958')).toBe('+442079460958');
    expect(e164('011 44 20 7946 0958')).toBe('+442079460958');
  });

  it('uses the default region for national numbers', () => {
    expect(e164('020 7946 0958', 'GB')).toBe('+442079460958');
    expect(e164('020 7946 0958', 'gb')).toBe('+442079460958');
  });

  it('reads +numbers even when the default region is unknown', () => {
    expect(e164('+1 212 555 0123', 'ZZ')).toBe('+12125550123');
    expect(reason('212 555 0123', 'ZZ')).toBe('invalid phone: no country code and no usable default region');
  });
});

describe('normalisePhone: invalid values', () => {
  it('rejects numbers that cannot exist (exchange starting with 1, unassigned area code)', () => {
    expect(reason('(555) 123-4567')).toBe('invalid phone: not a valid number');
    expect(reason('+1 555.123.4567 ext 12')).toBe('invalid phone: not a valid number');
    expect(reason('(999) 555-0123')).toBe('invalid phone: not a valid number');
  });

  it('rejects letters: vanity numbers and free text', () => {
    expect(reason('1-800-FLOWERS')).toBe('invalid phone: contains letters');
    expect(reason('call after 6pm')).toBe('invalid phone: contains letters');
    expect(reason('N/A')).toBe('invalid phone: contains letters');
  });

  it('rejects too few or too many digits, and no digits', () => {
    expect(reason('12345')).toBe('invalid phone: too short');
    // Seven digits: a local number without its area code cannot be dialled from anywhere else.
    expect(reason('555-0123')).toBe('invalid phone: not a valid number');
    expect(reason('1234567890123456789')).toBe('invalid phone: too long');
    expect(reason('--')).toBe('invalid phone: no digits');
    expect(reason('')).toBe('invalid phone: empty');
    expect(reason(null)).toBe('invalid phone: empty');
  });

  it('never puts the number into the reason', () => {
    for (const raw of ['(555) 123-4567', '12345', '+999 1234 5678']) {
      expect(reason(raw)).not.toMatch(/\d{3}/);
    }
  });
});

describe('libphonenumber-js as installed (patches/libphonenumber-js+*.patch, applied by postinstall)', () => {
  // Unpatched, the library compiles a RegExp for every pattern it tries, several per number: half of ingest's
  // phone time. A clone installed without the postinstall step would silently be that much slower.
  it.each(['build/helpers/matchesEntirely.js', 'es6/helpers/matchesEntirely.js'])('%s compiles each pattern once', (file) => {
    const source = readFileSync(join(dirname(require.resolve('libphonenumber-js')), file), 'utf8');
    expect(source).toContain('compiledPatterns.get(regularExpressionText)');
  });
});
