import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { InputFileError } from '../errors';

/**
 * Text encoding detection and chunk-wise decoding for CSV input.
 *
 * Detection (`detectEncoding`) looks at a prefix of the file (the reader uses the first 64 KiB):
 * - a byte order mark always wins: EF BB BF -> utf-8, FF FE -> utf-16le, FE FF -> utf-16be (the BOM is stripped);
 * - `requested` other than 'auto' is used as given;
 * - 'auto': a prefix that is valid UTF-8 -> utf-8, otherwise windows-1252.
 *
 * Late invalid UTF-8: when the prefix was valid UTF-8 but a later byte is not, the decoder does not replace it
 * silently. Each invalid byte b becomes the lone low surrogate U+DC00+b ("surrogateescape": valid UTF-8 never decodes
 * to a lone surrogate), `sawInvalidUtf8` turns true, and the reader rejects every row containing such a character
 * with reason "invalid UTF-8" (see `containsInvalidUtf8`, `displayInvalidUtf8`).
 *
 * 'latin1' is strict ISO-8859-1 (byte n -> U+00nn, so 0x80-0x9F are C1 controls); 'windows-1252' maps 0x80-0x9F to
 * "€", curly quotes etc. via iconv-lite (Node's own TextDecoder('windows-1252') is wrong for that range on builds
 * without full ICU). Bytes undefined in windows-1252 (0x81, 0x8D, 0x8F, 0x90, 0x9D) decode to U+FFFD.
 */

export type RequestedEncoding = 'auto' | 'utf-8' | 'windows-1252' | 'latin1';
export type TextEncodingName = 'utf-8' | 'windows-1252' | 'latin1' | 'utf-16le' | 'utf-16be';

export interface DetectedEncoding {
  encoding: TextEncodingName;
  /** Bytes of byte order mark to skip at the start of the file. */
  bomLength: number;
}

/** Bytes the reader inspects before deciding the encoding. */
export const DEFAULT_DETECTION_BYTES = 64 * 1024;

/** Decides the encoding from the first bytes of a file; throws InputFileError for input that is clearly not text. */
export function detectEncoding(prefix: Uint8Array, atEndOfFile: boolean, requested: RequestedEncoding): DetectedEncoding {
  if (startsWith(prefix, [0xef, 0xbb, 0xbf])) return { encoding: 'utf-8', bomLength: 3 };
  if (startsWith(prefix, [0xff, 0xfe])) return { encoding: 'utf-16le', bomLength: 0 };
  if (startsWith(prefix, [0xfe, 0xff])) return { encoding: 'utf-16be', bomLength: 0 };
  assertLooksLikeText(prefix);
  if (requested !== 'auto') return { encoding: requested, bomLength: 0 };
  const complete = atEndOfFile ? prefix : prefix.subarray(0, prefix.length - incompleteUtf8Tail(prefix));
  return { encoding: isUtf8(complete) ? 'utf-8' : 'windows-1252', bomLength: 0 };
}

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  if (bytes.length < magic.length) return false;
  return magic.every((b, i) => bytes[i] === b);
}

function assertLooksLikeText(prefix: Uint8Array): void {
  if (startsWith(prefix, [0x50, 0x4b, 0x03, 0x04])) {
    throw new InputFileError('file is a ZIP archive (an Excel .xlsx workbook?), not CSV text');
  }
  if (startsWith(prefix, [0x1f, 0x8b])) throw new InputFileError('file is gzip-compressed, not CSV text');
  if (prefix.includes(0)) {
    throw new InputFileError('file contains NUL bytes: it is binary or UTF-16 without a byte order mark, not CSV text');
  }
}

/**
 * Number of bytes at the end of `bytes` that start a UTF-8 sequence the chunk does not complete (0-3).
 * Those bytes are carried into the next chunk so a character split across chunks decodes correctly.
 */
export function incompleteUtf8Tail(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = bytes[n - back];
    if (b < 0x80) return 0;
    if (b >= 0xc0) {
      const needed = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return needed > back ? back : 0;
    }
  }
  return 0;
}

/** Turns byte chunks into string chunks; characters split across chunk boundaries are carried over. */
export interface ChunkDecoder {
  readonly encoding: TextEncodingName;
  /** True once any byte was not valid UTF-8 (utf-8 only); such bytes decode to U+DC80-U+DCFF. */
  readonly sawInvalidUtf8: boolean;
  write(bytes: Uint8Array): string;
  end(): string;
}

export function createDecoder(encoding: TextEncodingName): ChunkDecoder {
  switch (encoding) {
    case 'utf-8':
      return new Utf8Decoder();
    case 'latin1':
      return new Latin1Decoder();
    default:
      return new IconvDecoder(encoding);
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

class Latin1Decoder implements ChunkDecoder {
  readonly encoding = 'latin1';
  readonly sawInvalidUtf8 = false;
  write(bytes: Uint8Array): string {
    return asBuffer(bytes).toString('latin1');
  }
  end(): string {
    return '';
  }
}

class IconvDecoder implements ChunkDecoder {
  readonly sawInvalidUtf8 = false;
  private readonly decoder: iconv.DecoderStream;
  constructor(readonly encoding: 'windows-1252' | 'utf-16le' | 'utf-16be') {
    this.decoder = iconv.getDecoder(encoding);
  }
  write(bytes: Uint8Array): string {
    return this.decoder.write(asBuffer(bytes));
  }
  end(): string {
    return this.decoder.end() ?? '';
  }
}

class Utf8Decoder implements ChunkDecoder {
  readonly encoding = 'utf-8';
  sawInvalidUtf8 = false;
  private carry: Buffer | null = null;

  write(bytes: Uint8Array): string {
    let buffer = asBuffer(bytes);
    if (this.carry !== null) {
      buffer = Buffer.concat([this.carry, buffer]);
      this.carry = null;
    }
    const tail = incompleteUtf8Tail(buffer);
    if (tail > 0) {
      this.carry = Buffer.from(buffer.subarray(buffer.length - tail));
      buffer = buffer.subarray(0, buffer.length - tail);
    }
    return this.decode(buffer);
  }

  end(): string {
    const rest = this.carry;
    this.carry = null;
    return rest === null ? '' : this.decode(rest);
  }

  private decode(buffer: Buffer): string {
    if (isUtf8(buffer)) return buffer.toString('utf8');
    this.sawInvalidUtf8 = true;
    return decodeUtf8Escaping(buffer);
  }
}

/** Decodes UTF-8, turning every byte that is not part of a well-formed sequence into U+DC00 + byte. */
export function decodeUtf8Escaping(bytes: Buffer): string {
  const parts: string[] = [];
  let runStart = 0;
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const length = wellFormedLength(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    if (i > runStart) parts.push(bytes.toString('utf8', runStart, i));
    parts.push(String.fromCharCode(0xdc00 + bytes[i]));
    i++;
    runStart = i;
  }
  if (n > runStart) parts.push(bytes.toString('utf8', runStart, n));
  return parts.join('');
}

/** Length of the well-formed UTF-8 sequence at `i` (Unicode Table 3-7), or 0 when it is ill-formed. */
function wellFormedLength(bytes: Buffer, i: number): number {
  const b0 = bytes[i];
  if (b0 < 0x80) return 1;
  const n = bytes.length;
  const cont = (j: number, lo = 0x80, hi = 0xbf): boolean => j < n && bytes[j] >= lo && bytes[j] <= hi;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(i + 1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const lo = b0 === 0xe0 ? 0xa0 : 0x80;
    const hi = b0 === 0xed ? 0x9f : 0xbf;
    return cont(i + 1, lo, hi) && cont(i + 2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const lo = b0 === 0xf0 ? 0x90 : 0x80;
    const hi = b0 === 0xf4 ? 0x8f : 0xbf;
    return cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  }
  return 0;
}

/** A lone low surrogate U+DC80-U+DCFF: a byte the UTF-8 decoder could not decode. */
const ESCAPED_BYTE = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/;
const ESCAPED_BYTES = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/g;

export function containsInvalidUtf8(text: string): boolean {
  return ESCAPED_BYTE.test(text);
}

/** Replaces escaped invalid bytes with U+FFFD so the text can be written out (e.g. to the rejects file). */
export function displayInvalidUtf8(text: string): string {
  return text.replace(ESCAPED_BYTES, '\uFFFD');
}
