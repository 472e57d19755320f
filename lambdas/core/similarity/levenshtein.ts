/**
 * Damerau-Levenshtein distance in its optimal-string-alignment form: insertions, deletions, substitutions and
 * transpositions of adjacent characters, each costing 1, no substring edited twice. This is the variant that catches
 * keying errors ("jhon" -> "john" is 1) and is what typo-tolerant comparison levels need.
 *
 * Hot path: comparisons only ask "within k?", so `maxDistance` lets a call stop as soon as every alignment is over
 * k, returning k + 1. Short ASCII strings (names, dates, identifiers) use a bit-parallel algorithm; the matrix rows
 * of longer ones live in module-level typed arrays that are reused; a call allocates nothing.
 */

let rowTwoBack = new Int32Array(64);
let rowBack = new Int32Array(64);
let rowCurrent = new Int32Array(64);

function ensureCapacity(length: number): void {
  if (rowCurrent.length >= length) return;
  let size = rowCurrent.length;
  while (size < length) size *= 2;
  rowTwoBack = new Int32Array(size);
  rowBack = new Int32Array(size);
  rowCurrent = new Int32Array(size);
}

/**
 * Edit distance between `a` and `b` (UTF-16 code units). When it exceeds `maxDistance` the result is
 * `maxDistance + 1` (not the true distance), so callers test `<= k`.
 */
export function damerauLevenshtein(a: string, b: string, maxDistance = Number.MAX_SAFE_INTEGER - 1): number {
  if (a === b) return 0;
  const over = maxDistance + 1;
  // Shared prefix and suffix never change the distance; trimming them makes typical name pairs tiny.
  let start = 0;
  let endA = a.length;
  let endB = b.length;
  while (start < endA && start < endB && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
    endA--;
    endB--;
  }
  const lengthA = endA - start;
  const lengthB = endB - start;
  if (Math.abs(lengthA - lengthB) > maxDistance) return over;
  if (lengthA === 0) return lengthB;
  if (lengthB === 0) return lengthA;
  if (lengthA <= WORD_BITS && asciiOnly(a, start, endA)) {
    const distance = bitParallelDistance(a, start, endA, b, endB, maxDistance);
    return distance > maxDistance ? over : distance;
  }
  return matrixDistance(a, b, start, lengthA, lengthB, maxDistance);
}

const WORD_BITS = 32;

/** Bit mask of the positions of each ASCII code in the pattern; all zero between calls. */
const patternMasks = new Int32Array(128);

function asciiOnly(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) >= 128) return false;
  return true;
}

/**
 * Optimal-string-alignment distance of a[start, endA) (at most 32 ASCII code units, the pattern) and b[start, endB),
 * by Hyyrö's bit-parallel algorithm (2003, as in rapidfuzz's OSA): one column of the matrix per int operation set,
 * so a name pair costs a few dozen instructions instead of a row-by-row matrix. Returns the exact distance, or some
 * value above maxDistance once the last row can no longer come back under it.
 */
function bitParallelDistance(a: string, start: number, endA: number, b: string, endB: number, maxDistance: number): number {
  const lengthA = endA - start;
  for (let i = start; i < endA; i++) patternMasks[a.charCodeAt(i)] |= 1 << (i - start);
  const lastBit = 1 << (lengthA - 1);
  let vp = -1;
  let vn = 0;
  let d0 = 0;
  let previousMask = 0;
  let distance = lengthA;
  for (let j = start; j < endB; j++) {
    const code = b.charCodeAt(j);
    const mask = code < 128 ? (patternMasks[code] as number) : 0;
    const transposed = ((~d0 & mask) << 1) & previousMask;
    // The sum may carry past bit 31; the XOR converts it back to int32, keeping exactly the low 32 bits.
    d0 = (((mask & vp) + vp) ^ vp) | mask | vn | transposed;
    let hp = vn | ~(d0 | vp);
    const hn = d0 & vp;
    if ((hp & lastBit) !== 0) distance++;
    if ((hn & lastBit) !== 0) distance--;
    hp = (hp << 1) | 1;
    vp = (hn << 1) | ~(d0 | hp);
    vn = hp & d0;
    previousMask = mask;
    // Each remaining column lowers the last row's value by at most one.
    if (distance - (endB - 1 - j) > maxDistance) break;
  }
  for (let i = start; i < endA; i++) patternMasks[a.charCodeAt(i)] = 0;
  return distance;
}

/** The row-by-row matrix, for patterns longer than 32 or with non-ASCII code units. */
function matrixDistance(a: string, b: string, start: number, lengthA: number, lengthB: number, maxDistance: number): number {
  const over = maxDistance + 1;
  ensureCapacity(lengthB + 1);
  let twoBack = rowTwoBack;
  let back = rowBack;
  let current = rowCurrent;
  for (let j = 0; j <= lengthB; j++) back[j] = j;

  let previousCodeA = -1;
  for (let i = 1; i <= lengthA; i++) {
    const codeA = a.charCodeAt(start + i - 1);
    current[0] = i;
    let rowMinimum = i;
    let previousCodeB = -1;
    for (let j = 1; j <= lengthB; j++) {
      const codeB = b.charCodeAt(start + j - 1);
      let value = (back[j - 1] as number) + (codeA === codeB ? 0 : 1);
      const deletion = (back[j] as number) + 1;
      if (deletion < value) value = deletion;
      const insertion = (current[j - 1] as number) + 1;
      if (insertion < value) value = insertion;
      if (codeA === previousCodeB && previousCodeA === codeB && i > 1 && j > 1) {
        const transposition = (twoBack[j - 2] as number) + 1;
        if (transposition < value) value = transposition;
      }
      current[j] = value;
      if (value < rowMinimum) rowMinimum = value;
      previousCodeB = codeB;
    }
    // Every later cell derives from this row (or from the one before, which is at most one lower), so nothing can
    // come back under the limit.
    if (rowMinimum > maxDistance) return over;
    const recycled = twoBack;
    twoBack = back;
    back = current;
    current = recycled;
    previousCodeA = codeA;
  }
  const distance = back[lengthB] as number;
  return distance > maxDistance ? over : distance;
}

/** True when `a` and `b` are at most `k` edits apart. */
export function withinEditDistance(a: string, b: string, k: number): boolean {
  return damerauLevenshtein(a, b, k) <= k;
}
