/**
 * Email addresses: a contactable display form and a matching key. The key applies a provider's rules only where that
 * provider really delivers variants to one mailbox (Gmail ignores dots and "+tags"; Outlook, iCloud, Fastmail and
 * Proton ignore "+tags"). Yahoo's "-" disposable addresses are separate mailboxes with their own keyword, so they are
 * left alone, as is every other domain. Failure reasons never contain the address.
 */
import { domainToASCII } from 'node:url';

export type EmailResult =
  | {
      ok: true;
      /** Trimmed, lower-cased, wrapper-free address to contact the person at. */
      display: string;
      /** Key for matching: provider rules applied ("j.doe+news@googlemail.com" -> "jdoe@gmail.com"). */
      matchKey: string;
      /** Local part of the match key. */
      local: string;
      /** Domain of the match key. */
      domain: string;
    }
  | { ok: false; reason: string };

const MAILTO = /^mailto:/i;
/** "Jane Doe <jane@example.com>" and "<jane@example.com>": the address is what is inside the brackets. */
const ANGLE_WRAPPED = /<([^<>]*)>/;
const SURROUNDING_QUOTES = /^["']+|["']+$/g;
const TRAILING_PUNCTUATION = /[.;,]+$/;
const WHITESPACE = /\s/;
/** RFC 5322 dot-atom characters, plus letters and digits of any script (RFC 6531 internationalised local parts). */
const LOCAL_CHARACTERS = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~.-]+$/u;
const DOMAIN_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const TOP_LEVEL_DOMAIN = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const NON_ASCII = /[^\x00-\x7f]/;
const DOTS = /\./g;

const GMAIL_DOMAINS: ReadonlySet<string> = new Set(['gmail.com', 'googlemail.com']);
const PLUS_TAG_DOMAINS: ReadonlySet<string> = new Set([
  // Microsoft consumer mail, including the national variants still in use.
  'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'passport.com',
  'hotmail.co.uk', 'hotmail.fr', 'hotmail.de', 'hotmail.it', 'hotmail.es', 'hotmail.ca', 'hotmail.com.au',
  'outlook.fr', 'outlook.de', 'outlook.it', 'outlook.es', 'outlook.co.uk', 'outlook.com.au',
  'live.co.uk', 'live.fr', 'live.de', 'live.it', 'live.ca', 'live.com.au',
  // Apple, Fastmail and Proton document "+" sub-addressing.
  'icloud.com', 'me.com', 'mac.com',
  'fastmail.com', 'fastmail.fm',
  'protonmail.com', 'protonmail.ch', 'proton.me', 'pm.me',
]);

function fail(reason: string): EmailResult {
  return { ok: false, reason: `invalid email: ${reason}` };
}

/** Strips what surrounds an address in exports: whitespace, "mailto:", display names and angle brackets, quotes. */
function unwrap(raw: string): string {
  let value = raw.trim();
  const wrapped = ANGLE_WRAPPED.exec(value);
  if (wrapped) value = (wrapped[1] as string).trim();
  value = value.replace(MAILTO, '').replace(SURROUNDING_QUOTES, '').trim();
  return value.replace(TRAILING_PUNCTUATION, '');
}

function validateLocal(local: string): string | null {
  if (local === '') return 'empty local part';
  if (local.length > 64) return 'local part too long';
  if (!LOCAL_CHARACTERS.test(local)) return 'invalid characters in local part';
  if (local.startsWith('.') || local.endsWith('.')) return 'local part starts or ends with a dot';
  if (local.includes('..')) return 'consecutive dots in local part';
  return null;
}

/** The domain in ASCII (IDNs as punycode), or the failure reason. */
function validateDomain(domain: string): { ok: true; ascii: string } | { ok: false; reason: string } {
  if (domain === '') return { ok: false, reason: 'empty domain' };
  const ascii = NON_ASCII.test(domain) ? domainToASCII(domain) : domain;
  if (ascii === '') return { ok: false, reason: 'invalid domain' };
  if (ascii.length > 253) return { ok: false, reason: 'domain too long' };
  const labels = ascii.split('.');
  if (labels.length < 2) return { ok: false, reason: 'domain has no dot' };
  for (const label of labels) if (!DOMAIN_LABEL.test(label)) return { ok: false, reason: 'invalid domain' };
  if (!TOP_LEVEL_DOMAIN.test(labels[labels.length - 1] as string)) {
    return { ok: false, reason: 'invalid top-level domain' };
  }
  return { ok: true, ascii };
}

/** "john+news" -> "john"; "+news" -> "" (a mailbox that is only a tag does not exist at these providers). */
function withoutPlusTag(local: string): string {
  const plus = local.indexOf('+');
  return plus >= 0 ? local.slice(0, plus) : local;
}

/** Validates and normalises one email address. */
export function normaliseEmail(raw: string | null | undefined): EmailResult {
  if (raw === null || raw === undefined || raw.trim() === '') return fail('empty');
  const value = unwrap(raw).toLowerCase();
  if (value === '') return fail('empty');
  if (WHITESPACE.test(value)) return fail('contains whitespace');
  const at = value.indexOf('@');
  if (at < 0) return fail('missing @');
  if (value.indexOf('@', at + 1) >= 0) return fail('more than one @');

  const local = value.slice(0, at);
  const localProblem = validateLocal(local);
  if (localProblem !== null) return fail(localProblem);
  const domainCheck = validateDomain(value.slice(at + 1));
  if (!domainCheck.ok) return fail(domainCheck.reason);
  const domain = domainCheck.ascii;
  const display = `${local}@${domain}`;
  if (display.length > 254) return fail('address too long');

  let matchLocal = local;
  let matchDomain = domain;
  if (GMAIL_DOMAINS.has(domain)) {
    matchLocal = withoutPlusTag(local).replace(DOTS, '');
    matchDomain = 'gmail.com';
  } else if (PLUS_TAG_DOMAINS.has(domain)) {
    matchLocal = withoutPlusTag(local);
  }
  if (matchLocal === '') return fail('empty local part');
  return { ok: true, display, matchKey: `${matchLocal}@${matchDomain}`, local: matchLocal, domain: matchDomain };
}
