/**
 * Text noise of the kind data entry and system migrations produce. Each function changes one thing, so the
 * company modules can decide per field and per row which noise applies (and a reader can see the rates there).
 */
import type { Rng } from './random';

const NON_ASCII = /[^\x00-\x7f]/;
const COMBINING_MARKS = /[\u0300-\u036f]/g;
/** Letters NFD does not decompose. */
const FOLDED: Readonly<Record<string, string>> = { ø: 'o', Ø: 'O', ß: 'ss', æ: 'ae', Æ: 'AE', œ: 'oe', Œ: 'OE' };

/** "José Muñoz" -> "Jose Munoz", the way an ASCII-only CRM screen stores it. */
export function stripAccents(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  return text.normalize('NFD').replace(COMBINING_MARKS, '').replace(/[øØßæÆœŒ]/g, (c) => FOLDED[c] ?? c);
}

/** QWERTY neighbours: substitution typos hit an adjacent key far more often than a random one. */
const NEIGHBOURS: Readonly<Record<string, string>> = {
  a: 'qswz', b: 'vghn', c: 'xdfv', d: 'serfcx', e: 'wsdr', f: 'drtgvc', g: 'ftyhbv', h: 'gyujnb', i: 'ujko',
  j: 'huikmn', k: 'jiolm', l: 'kop', m: 'njk', n: 'bhjm', o: 'iklp', p: 'ol', q: 'wa', r: 'edft', s: 'awedxz',
  t: 'rfgy', u: 'yhji', v: 'cfgb', w: 'qase', x: 'zsdc', y: 'tghu', z: 'asx',
};

function isLetter(char: string): boolean {
  return char.toLowerCase() !== char.toUpperCase();
}

function sameCase(model: string, char: string): string {
  return model === model.toUpperCase() ? char.toUpperCase() : char;
}

/**
 * One realistic keying error: adjacent-key substitution, dropped letter, doubled letter or transposition.
 * The first letter is kept (people rarely mistype it, and blocking on it is common), so is text under 4 letters.
 */
export function typo(text: string, rng: Rng): string {
  if (text.length < 4) return text;
  const position = rng.int(1, text.length - 2);
  const char = text[position] as string;
  const next = text[position + 1] as string;
  if (!isLetter(char)) return text;
  switch (rng.int(0, 3)) {
    case 0: {
      const options = NEIGHBOURS[char.toLowerCase()];
      if (!options) return text;
      return text.slice(0, position) + sameCase(char, rng.pick([...options])) + text.slice(position + 1);
    }
    case 1:
      return text.slice(0, position) + text.slice(position + 1);
    case 2:
      return text.slice(0, position + 1) + char.toLowerCase() + text.slice(position + 1);
    default:
      if (!isLetter(next) || next === char) return text.slice(0, position) + text.slice(position + 1);
      return text.slice(0, position) + next + char + text.slice(position + 2);
  }
}

export type CaseStyle = 'as-is' | 'upper' | 'lower';

export function caseStyle(rng: Rng, upper: number, lower: number): CaseStyle {
  const draw = rng.next();
  if (draw < upper) return 'upper';
  if (draw < upper + lower) return 'lower';
  return 'as-is';
}

export function applyCase(text: string, style: CaseStyle): string {
  if (style === 'upper') return text.toUpperCase();
  if (style === 'lower') return text.toLowerCase();
  return text;
}

/** "Robert" -> "R." or "R" (data-entry screens differ in whether they add the dot). */
export function initial(name: string, withDot: boolean): string {
  const first = name.charAt(0).toUpperCase();
  return withDot ? `${first}.` : first;
}

const PLUS_TAGS: readonly string[] = ['tv', 'sky', 'bills', 'promo', 'nw', 'shopping', 'news'];

/**
 * The same mailbox written differently: Gmail ignores dots and "+tags" in the local part and case everywhere,
 * so "Jane.Doe+tv@gmail.com" reaches "janedoe@gmail.com". Other providers only get case variation.
 */
export function emailVariant(email: string, rng: Rng, rates: { dots: number; plusTag: number; upper: number }): string {
  const at = email.indexOf('@');
  let local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (domain === 'gmail.com') {
    if (rng.chance(rates.dots)) {
      if (local.includes('.') && rng.chance(0.7)) local = local.replace(/\./g, '');
      else if (local.length > 2) {
        const cut = rng.int(1, local.length - 1);
        if (local[cut - 1] !== '.' && local[cut] !== '.') local = `${local.slice(0, cut)}.${local.slice(cut)}`;
      }
    }
    if (rng.chance(rates.plusTag)) local = `${local}+${rng.pick(PLUS_TAGS)}`;
  }
  let result = `${local}@${domain}`;
  if (rng.chance(rates.upper)) {
    result = rng.chance(0.5) ? result.toUpperCase() : result.charAt(0).toUpperCase() + result.slice(1);
  }
  return result;
}

/** A single wrong digit among the last seven (area codes are usually typed right: they come from a list). */
export function phoneTypo(digits: string, rng: Rng): string {
  const position = rng.int(3, 9);
  const current = digits.charCodeAt(position) - 48;
  const replacement = (current + rng.int(1, 9)) % 10;
  return digits.slice(0, position) + String(replacement) + digits.slice(position + 1);
}

export type PhoneStyle = 'dashes' | 'parens' | 'dots' | 'plain' | 'e164' | 'intl-spaces' | 'one-dashes' | 'spaces';

/** Writes a 10-digit US number in one of the layouts seen in CRM exports. */
export function formatPhone(digits: string, style: PhoneStyle): string {
  const area = digits.slice(0, 3);
  const exchange = digits.slice(3, 6);
  const line = digits.slice(6);
  switch (style) {
    case 'dashes':
      return `${area}-${exchange}-${line}`;
    case 'parens':
      return `(${area}) ${exchange}-${line}`;
    case 'dots':
      return `${area}.${exchange}.${line}`;
    case 'plain':
      return digits;
    case 'e164':
      return `+1${digits}`;
    case 'intl-spaces':
      return `+1 ${area} ${exchange} ${line}`;
    case 'one-dashes':
      return `1-${area}-${exchange}-${line}`;
    case 'spaces':
      return `${area} ${exchange} ${line}`;
  }
}
