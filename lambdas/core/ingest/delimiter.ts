import { ConfigurationError } from '../errors';

/**
 * Delimiter sniffing: the candidate (comma, semicolon, tab, pipe) occurring most often outside double quotes in the
 * header record wins; ties and a header without any candidate fall back to the earlier candidate, comma first.
 */

export const DELIMITER_CANDIDATES: readonly string[] = [',', ';', '\t', '|'];

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Start and end (just past its line terminator) of the first non-blank record of `text`; `end` is -1 when `text`
 * does not yet hold a complete one. Quotes are toggled naively, which is enough to find the header record.
 */
export function firstRecord(text: string): { start: number; end: number } {
  let inQuotes = false;
  let start = -1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      inQuotes = !inQuotes;
      if (start === -1) start = lineStart;
    } else if ((c === LF || c === CR) && !inQuotes) {
      if (start !== -1) return { start, end: i + 1 };
      lineStart = i + 1;
    } else if (c !== 0x20 && c !== 0x09 && start === -1) {
      start = lineStart;
    }
  }
  return { start: start === -1 ? text.length : start, end: -1 };
}

/** Picks the delimiter of a file from the text at its start (the header record, possibly after blank lines). */
export function sniffDelimiter(text: string): string {
  const { start, end } = firstRecord(text);
  const header = text.slice(start, end === -1 ? text.length : end);
  const counts = new Map<string, number>(DELIMITER_CANDIDATES.map((d) => [d, 0]));
  let inQuotes = false;
  for (const ch of header) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = DELIMITER_CANDIDATES[0];
  for (const candidate of DELIMITER_CANDIDATES) {
    if ((counts.get(candidate) ?? 0) > (counts.get(best) ?? 0)) best = candidate;
  }
  return best;
}

/** Throws a ConfigurationError unless `delimiter` is a single character that can separate CSV fields. */
export function assertUsableDelimiter(delimiter: string): void {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n') {
    throw new ConfigurationError(
      'delimiter must be "auto" or a single character other than a double quote or a line break',
    );
  }
}
