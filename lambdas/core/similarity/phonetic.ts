/**
 * Phonetic codes for blocking and comparison levels: American Soundex and the primary code of Lawrence Philips'
 * Double Metaphone (following the rules of the widely used Apache Commons Codec implementation). Both expect a name
 * in Latin letters; accents are folded and anything that is not a letter is ignored.
 */
import { stripAccents } from '../normalise/text';

const NOT_LETTER_UPPER = /[^A-Z]/g;

function lettersUpper(value: string): string {
  return stripAccents(value).toUpperCase().replace(NOT_LETTER_UPPER, '');
}

// ---------------------------------------------------------------------------------------------------------------
// Soundex

/** Soundex digit per letter A-Z; "0" letters (vowels, Y) separate equal codes, "-" letters (H, W) do not. */
const SOUNDEX_CODES = '0123012-02245501262301-202';

/** American Soundex: "Robert" and "Rupert" -> "R163", "Tymczak" -> "T522", "Pfister" -> "P236". "" for no letters. */
export function soundex(value: string): string {
  const letters = lettersUpper(value);
  if (letters.length === 0) return '';
  let code = letters.charAt(0);
  let previous = SOUNDEX_CODES.charAt(letters.charCodeAt(0) - 65);
  for (let i = 1; i < letters.length && code.length < 4; i++) {
    const digit = SOUNDEX_CODES.charAt(letters.charCodeAt(i) - 65);
    if (digit === '-') continue;
    if (digit !== '0' && digit !== previous) code += digit;
    previous = digit;
  }
  return code.padEnd(4, '0');
}

// ---------------------------------------------------------------------------------------------------------------
// Double Metaphone (primary code)

const VOWELS = 'AEIOUY';

/** Read-only view of the word being encoded, with the bounds-safe helpers the rules are written in. */
class Word {
  readonly length: number;
  readonly slavoGermanic: boolean;

  constructor(readonly text: string) {
    this.length = text.length;
    this.slavoGermanic =
      text.includes('W') || text.includes('K') || text.includes('CZ') || text.includes('WITZ');
  }

  at(index: number): string {
    return index >= 0 && index < this.length ? (this.text[index] as string) : '';
  }

  isVowel(index: number): boolean {
    const char = this.at(index);
    return char !== '' && VOWELS.includes(char);
  }

  /** True when the substring at `start` of length `length` is one of `options`. */
  has(start: number, length: number, ...options: string[]): boolean {
    if (start < 0 || start + length > this.length) return false;
    const part = this.text.substring(start, start + length);
    return options.includes(part);
  }

  startsGermanic(): boolean {
    return this.has(0, 4, 'VAN ', 'VON ') || this.has(0, 3, 'SCH');
  }
}

class Code {
  private value = '';

  constructor(private readonly maxLength: number) {}

  add(part: string): void {
    if (this.value.length < this.maxLength) this.value = (this.value + part).slice(0, this.maxLength);
  }

  get complete(): boolean {
    return this.value.length >= this.maxLength;
  }

  toString(): string {
    return this.value;
  }
}

function conditionC0(w: Word, i: number): boolean {
  if (w.has(i, 4, 'CHIA')) return true;
  if (i <= 1) return false;
  if (w.isVowel(i - 2)) return false;
  if (!w.has(i - 1, 3, 'ACH')) return false;
  const next = w.at(i + 2);
  return (next !== 'I' && next !== 'E') || w.has(i - 2, 6, 'BACHER', 'MACHER');
}

function conditionCH0(w: Word, i: number): boolean {
  if (i !== 0) return false;
  if (!w.has(i + 1, 5, 'HARAC', 'HARIS') && !w.has(i + 1, 3, 'HOR', 'HYM', 'HIA', 'HEM')) return false;
  return !w.has(0, 5, 'CHORE');
}

function conditionCH1(w: Word, i: number): boolean {
  return (
    w.startsGermanic() ||
    w.has(i - 2, 6, 'ORCHES', 'ARCHIT', 'ORCHID') ||
    w.has(i + 2, 1, 'T', 'S') ||
    ((w.has(i - 1, 1, 'A', 'O', 'U', 'E') || i === 0) &&
      (w.has(i + 2, 1, 'L', 'R', 'N', 'M', 'B', 'H', 'F', 'V', 'W', ' ') || i + 1 === w.length - 1))
  );
}

function handleCH(w: Word, code: Code, i: number): number {
  if (i > 0 && w.has(i, 4, 'CHAE')) {
    code.add('K');
  } else if (conditionCH0(w, i) || conditionCH1(w, i)) {
    code.add('K');
  } else if (i > 0) {
    code.add(w.has(0, 2, 'MC') ? 'K' : 'X');
  } else {
    code.add('X');
  }
  return i + 2;
}

function handleCC(w: Word, code: Code, i: number): number {
  if (w.has(i + 2, 1, 'I', 'E', 'H') && !w.has(i + 2, 2, 'HU')) {
    if ((i === 1 && w.at(i - 1) === 'A') || w.has(i - 1, 5, 'UCCEE', 'UCCES')) code.add('KS');
    else code.add('X');
    return i + 3;
  }
  code.add('K');
  return i + 2;
}

function handleC(w: Word, code: Code, i: number): number {
  if (conditionC0(w, i)) {
    code.add('K');
    return i + 2;
  }
  if (i === 0 && w.has(i, 6, 'CAESAR')) {
    code.add('S');
    return i + 2;
  }
  if (w.has(i, 2, 'CH')) return handleCH(w, code, i);
  if (w.has(i, 2, 'CZ') && !w.has(i - 2, 4, 'WICZ')) {
    code.add('S');
    return i + 2;
  }
  if (w.has(i + 1, 3, 'CIA')) {
    code.add('X');
    return i + 3;
  }
  if (w.has(i, 2, 'CC') && !(i === 1 && w.at(0) === 'M')) return handleCC(w, code, i);
  if (w.has(i, 2, 'CK', 'CG', 'CQ')) {
    code.add('K');
    return i + 2;
  }
  if (w.has(i, 2, 'CI', 'CE', 'CY')) {
    code.add('S');
    return i + 2;
  }
  code.add('K');
  if (w.has(i + 1, 2, ' C', ' Q', ' G')) return i + 3;
  if (w.has(i + 1, 1, 'C', 'K', 'Q') && !w.has(i + 1, 2, 'CE', 'CI')) return i + 2;
  return i + 1;
}

function handleD(w: Word, code: Code, i: number): number {
  if (w.has(i, 2, 'DG')) {
    if (w.has(i + 2, 1, 'I', 'E', 'Y')) {
      code.add('J');
      return i + 3;
    }
    code.add('TK');
    return i + 2;
  }
  code.add('T');
  return w.has(i, 2, 'DT', 'DD') ? i + 2 : i + 1;
}

function handleGH(w: Word, code: Code, i: number): number {
  if (i > 0 && !w.isVowel(i - 1)) {
    code.add('K');
    return i + 2;
  }
  if (i === 0) {
    code.add(w.at(i + 2) === 'I' ? 'J' : 'K');
    return i + 2;
  }
  // Parker's rule: "hugh", "bough", "broughton" are silent.
  if (
    (i > 1 && w.has(i - 2, 1, 'B', 'H', 'D')) ||
    (i > 2 && w.has(i - 3, 1, 'B', 'H', 'D')) ||
    (i > 3 && w.has(i - 4, 1, 'B', 'H'))
  ) {
    return i + 2;
  }
  if (i > 2 && w.at(i - 1) === 'U' && w.has(i - 3, 1, 'C', 'G', 'L', 'R', 'T')) code.add('F');
  else if (i > 0 && w.at(i - 1) !== 'I') code.add('K');
  return i + 2;
}

function handleG(w: Word, code: Code, i: number): number {
  const next = w.at(i + 1);
  if (next === 'H') return handleGH(w, code, i);
  if (next === 'N') {
    if (i === 1 && w.isVowel(0) && !w.slavoGermanic) code.add('KN');
    else if (!w.has(i + 2, 2, 'EY') && !w.slavoGermanic) code.add('N');
    else code.add('KN');
    return i + 2;
  }
  if (w.has(i + 1, 2, 'LI') && !w.slavoGermanic) {
    code.add('KL');
    return i + 2;
  }
  if (i === 0 && (next === 'Y' || w.has(i + 1, 2, 'ES', 'EP', 'EB', 'EL', 'EY', 'IB', 'IL', 'IN', 'IE', 'EI', 'ER'))) {
    code.add('K');
    return i + 2;
  }
  if (
    (w.has(i + 1, 2, 'ER') || next === 'Y') &&
    !w.has(0, 6, 'DANGER', 'RANGER', 'MANGER') &&
    !w.has(i - 1, 1, 'E', 'I') &&
    !w.has(i - 1, 3, 'RGY', 'OGY')
  ) {
    code.add('K');
    return i + 2;
  }
  if (w.has(i + 1, 1, 'E', 'I', 'Y') || w.has(i - 1, 4, 'AGGI', 'OGGI')) {
    if (w.startsGermanic() || w.has(i + 1, 2, 'ET')) code.add('K');
    else code.add('J');
    return i + 2;
  }
  code.add('K');
  return next === 'G' ? i + 2 : i + 1;
}

function handleH(w: Word, code: Code, i: number): number {
  // Kept only when first or between vowels, and before a vowel.
  if ((i === 0 || w.isVowel(i - 1)) && w.isVowel(i + 1)) {
    code.add('H');
    return i + 2;
  }
  return i + 1;
}

function handleJ(w: Word, code: Code, i: number): number {
  if (w.has(i, 4, 'JOSE') || w.has(0, 4, 'SAN ')) {
    // Spanish "Jose", "San Jacinto".
    if ((i === 0 && w.at(i + 4) === ' ') || w.length === 4 || w.has(0, 4, 'SAN ')) code.add('H');
    else code.add('J');
    return i + 1;
  }
  if (i === 0) code.add('J');
  else if (w.isVowel(i - 1) && !w.slavoGermanic && (w.at(i + 1) === 'A' || w.at(i + 1) === 'O')) code.add('J');
  else if (i === w.length - 1) code.add('J');
  else if (!w.has(i + 1, 1, 'L', 'T', 'K', 'S', 'N', 'M', 'B', 'Z') && !w.has(i - 1, 1, 'S', 'K', 'L')) code.add('J');
  return w.at(i + 1) === 'J' ? i + 2 : i + 1;
}

function handleL(w: Word, code: Code, i: number): number {
  code.add('L');
  return w.at(i + 1) === 'L' ? i + 2 : i + 1;
}

function handleM(w: Word, code: Code, i: number): number {
  code.add('M');
  const doubled =
    w.at(i + 1) === 'M' || (w.has(i - 1, 3, 'UMB') && (i + 1 === w.length - 1 || w.has(i + 2, 2, 'ER')));
  return doubled ? i + 2 : i + 1;
}

function handleP(w: Word, code: Code, i: number): number {
  if (w.at(i + 1) === 'H') {
    code.add('F');
    return i + 2;
  }
  code.add('P');
  return w.has(i + 1, 1, 'P', 'B') ? i + 2 : i + 1;
}

function handleR(w: Word, code: Code, i: number): number {
  // French final "-ier" is silent in the primary code ("Xavier", but not "Meier").
  const silent = i === w.length - 1 && !w.slavoGermanic && w.has(i - 2, 2, 'IE') && !w.has(i - 4, 2, 'ME', 'MA');
  if (!silent) code.add('R');
  return w.at(i + 1) === 'R' ? i + 2 : i + 1;
}

function handleSC(w: Word, code: Code, i: number): number {
  if (w.at(i + 2) === 'H') {
    if (w.has(i + 3, 2, 'OO', 'ER', 'EN', 'UY', 'ED', 'EM')) {
      code.add(w.has(i + 3, 2, 'ER', 'EN') ? 'X' : 'SK');
    } else {
      code.add('X');
    }
  } else if (w.has(i + 2, 1, 'I', 'E', 'Y')) {
    code.add('S');
  } else {
    code.add('SK');
  }
  return i + 3;
}

function handleS(w: Word, code: Code, i: number): number {
  if (w.has(i - 1, 3, 'ISL', 'YSL')) return i + 1;
  if (i === 0 && w.has(i, 5, 'SUGAR')) {
    code.add('X');
    return i + 1;
  }
  if (w.has(i, 2, 'SH')) {
    code.add(w.has(i + 1, 4, 'HEIM', 'HOEK', 'HOLM', 'HOLZ') ? 'S' : 'X');
    return i + 2;
  }
  if (w.has(i, 3, 'SIO', 'SIA') || w.has(i, 4, 'SIAN')) {
    code.add('S');
    return i + 3;
  }
  if ((i === 0 && w.has(i + 1, 1, 'M', 'N', 'L', 'W')) || w.has(i + 1, 1, 'Z')) {
    code.add('S');
    return w.has(i + 1, 1, 'Z') ? i + 2 : i + 1;
  }
  if (w.has(i, 2, 'SC')) return handleSC(w, code, i);
  // French final "-ais"/"-ois" is silent in the primary code.
  if (!(i === w.length - 1 && w.has(i - 2, 2, 'AI', 'OI'))) code.add('S');
  return w.has(i + 1, 1, 'S', 'Z') ? i + 2 : i + 1;
}

function handleT(w: Word, code: Code, i: number): number {
  if (w.has(i, 4, 'TION') || w.has(i, 3, 'TIA', 'TCH')) {
    code.add('X');
    return i + 3;
  }
  if (w.has(i, 2, 'TH') || w.has(i, 3, 'TTH')) {
    code.add(w.has(i + 2, 2, 'OM', 'AM') || w.startsGermanic() ? 'T' : '0');
    return i + 2;
  }
  code.add('T');
  return w.has(i + 1, 1, 'T', 'D') ? i + 2 : i + 1;
}

function handleW(w: Word, code: Code, i: number): number {
  if (w.has(i, 2, 'WR')) {
    code.add('R');
    return i + 2;
  }
  if (i === 0 && (w.isVowel(i + 1) || w.has(i, 2, 'WH'))) {
    code.add('A');
    return i + 1;
  }
  if (w.has(i, 4, 'WICZ', 'WITZ')) {
    code.add('TS');
    return i + 4;
  }
  return i + 1;
}

function handleX(w: Word, code: Code, i: number): number {
  if (i === 0) {
    code.add('S');
    return i + 1;
  }
  // French final "-eaux", "-oux" is silent.
  if (!(i === w.length - 1 && (w.has(i - 3, 3, 'IAU', 'EAU') || w.has(i - 2, 2, 'AU', 'OU')))) code.add('KS');
  return w.has(i + 1, 1, 'C', 'X') ? i + 2 : i + 1;
}

function handleZ(w: Word, code: Code, i: number): number {
  if (w.at(i + 1) === 'H') {
    code.add('J');
    return i + 2;
  }
  code.add('S');
  return w.at(i + 1) === 'Z' ? i + 2 : i + 1;
}

/**
 * Primary Double Metaphone code, at most `maxLength` characters (4, as in the original): "Smith" -> "SM0",
 * "Schmidt" -> "XMT", "Catherine" and "Katherine" -> "K0RN", "Thompson" -> "TMPS". "" when there are no letters.
 */
export function doubleMetaphone(value: string, maxLength = 4): string {
  const text = lettersUpper(value);
  if (text.length === 0) return '';
  const w = new Word(text);
  const code = new Code(maxLength);
  let i = 0;
  if (w.has(0, 2, 'GN', 'KN', 'PN', 'WR', 'PS')) i = 1;
  if (w.at(0) === 'X') {
    code.add('S');
    i = 1;
  }
  while (!code.complete && i < w.length) {
    const char = w.at(i);
    switch (char) {
      case 'A':
      case 'E':
      case 'I':
      case 'O':
      case 'U':
      case 'Y':
        if (i === 0) code.add('A');
        i++;
        break;
      case 'B':
        code.add('P');
        i = w.at(i + 1) === 'B' ? i + 2 : i + 1;
        break;
      case 'C':
        i = handleC(w, code, i);
        break;
      case 'D':
        i = handleD(w, code, i);
        break;
      case 'F':
        code.add('F');
        i = w.at(i + 1) === 'F' ? i + 2 : i + 1;
        break;
      case 'G':
        i = handleG(w, code, i);
        break;
      case 'H':
        i = handleH(w, code, i);
        break;
      case 'J':
        i = handleJ(w, code, i);
        break;
      case 'K':
        code.add('K');
        i = w.at(i + 1) === 'K' ? i + 2 : i + 1;
        break;
      case 'L':
        i = handleL(w, code, i);
        break;
      case 'M':
        i = handleM(w, code, i);
        break;
      case 'N':
        code.add('N');
        i = w.at(i + 1) === 'N' ? i + 2 : i + 1;
        break;
      case 'P':
        i = handleP(w, code, i);
        break;
      case 'Q':
        code.add('K');
        i = w.at(i + 1) === 'Q' ? i + 2 : i + 1;
        break;
      case 'R':
        i = handleR(w, code, i);
        break;
      case 'S':
        i = handleS(w, code, i);
        break;
      case 'T':
        i = handleT(w, code, i);
        break;
      case 'V':
        code.add('F');
        i = w.at(i + 1) === 'V' ? i + 2 : i + 1;
        break;
      case 'W':
        i = handleW(w, code, i);
        break;
      case 'X':
        i = handleX(w, code, i);
        break;
      case 'Z':
        i = handleZ(w, code, i);
        break;
      default:
        i++;
    }
  }
  return code.toString();
}
