import { normaliseEmail } from '../../../lambdas/core/normalise/email';

function ok(raw: string): { display: string; matchKey: string; local: string; domain: string } {
  const result = normaliseEmail(raw);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(raw)} to be valid, got ${result.reason}`);
  return result;
}

function reason(raw: string | null | undefined): string {
  const result = normaliseEmail(raw);
  if (result.ok) throw new Error(`expected ${JSON.stringify(raw)} to be invalid`);
  return result.reason;
}

describe('normaliseEmail: cleaning', () => {
  it('trims and lower-cases', () => {
    expect(normaliseEmail('  Jane.Doe@Example.COM ')).toEqual({
      ok: true,
      display: 'jane.doe@example.com',
      matchKey: 'jane.doe@example.com',
      local: 'jane.doe',
      domain: 'example.com',
    });
  });

  it('strips mailto:, angle brackets, display names, quotes and trailing punctuation', () => {
    expect(ok('mailto:Jane@Example.com').display).toBe('jane@example.com');
    expect(ok('<jane@example.com>').display).toBe('jane@example.com');
    expect(ok('"Doe, Jane" <Jane@Example.com>').display).toBe('jane@example.com');
    expect(ok("'jane@example.com'").display).toBe('jane@example.com');
    expect(ok('jane@example.com;').display).toBe('jane@example.com');
  });

  it('converts an internationalised domain to punycode', () => {
    expect(ok('jane@bücher.de').domain).toBe('xn--bcher-kva.de');
  });
});

describe('normaliseEmail: provider rules', () => {
  it('drops dots and +tags at Gmail, and maps googlemail.com to gmail.com', () => {
    const result = ok('J.Doe+News@GoogleMail.com');
    expect(result.display).toBe('j.doe+news@googlemail.com');
    expect(result.matchKey).toBe('jdoe@gmail.com');
    expect(result.local).toBe('jdoe');
    expect(result.domain).toBe('gmail.com');
    expect(ok('jdoe@gmail.com').matchKey).toBe(result.matchKey);
  });

  it('drops +tags but keeps dots at Outlook, Hotmail, iCloud and Fastmail', () => {
    expect(ok('john.smith+shop@outlook.com').matchKey).toBe('john.smith@outlook.com');
    expect(ok('john.smith+shop@hotmail.co.uk').matchKey).toBe('john.smith@hotmail.co.uk');
    expect(ok('j.s+x@icloud.com').matchKey).toBe('j.s@icloud.com');
    expect(ok('me+lists@fastmail.com').matchKey).toBe('me@fastmail.com');
  });

  it('leaves Yahoo "-" disposable addresses and other domains alone', () => {
    expect(ok('jane-shopping@yahoo.com').matchKey).toBe('jane-shopping@yahoo.com');
    expect(ok('jane+tag@yahoo.com').matchKey).toBe('jane+tag@yahoo.com');
    expect(ok('j.doe+tag@company.com').matchKey).toBe('j.doe+tag@company.com');
  });
});

describe('normaliseEmail: invalid values', () => {
  it.each([
    ['', 'invalid email: empty'],
    ['   ', 'invalid email: empty'],
    ['john.smith', 'invalid email: missing @'],
    ['john@@example.com', 'invalid email: more than one @'],
    ['a@b@example.com', 'invalid email: more than one @'],
    ['@example.com', 'invalid email: empty local part'],
    ['john@', 'invalid email: empty domain'],
    ['john@localhost', 'invalid email: domain has no dot'],
    ['john@gmail,com', 'invalid email: domain has no dot'],
    ['jo hn@example.com', 'invalid email: contains whitespace'],
    ['john..smith@example.com', 'invalid email: consecutive dots in local part'],
    ['.john@example.com', 'invalid email: local part starts or ends with a dot'],
    ['john(x)@example.com', 'invalid email: invalid characters in local part'],
    ['john@-example.com', 'invalid email: invalid domain'],
    ['john@example.c', 'invalid email: invalid top-level domain'],
    ['john@example.123', 'invalid email: invalid top-level domain'],
  ])('%j -> %s', (raw, expected) => {
    expect(reason(raw)).toBe(expected);
  });

  it('rejects an over-long local part', () => {
    expect(reason(`${'a'.repeat(65)}@example.com`)).toBe('invalid email: local part too long');
  });

  it('rejects a Gmail address that is only a +tag', () => {
    expect(reason('+news@gmail.com')).toBe('invalid email: empty local part');
  });

  it('never puts the address into the reason', () => {
    for (const raw of ['secret.person', 'secret@@person.com', 'secret person@x.com', 'secret@x']) {
      expect(reason(raw)).not.toMatch(/secret/);
    }
  });

  it('handles null and undefined', () => {
    expect(reason(null)).toBe('invalid email: empty');
    expect(reason(undefined)).toBe('invalid email: empty');
  });
});
