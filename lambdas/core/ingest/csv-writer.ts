import { Readable, type Writable } from 'node:stream';

/**
 * CSV output: RFC 4180 quoting plus OWASP CSV-injection escaping.
 *
 * - A string cell starting with `=`, `+`, `-`, `@`, tab or carriage return is prefixed with a single quote `'`, so a
 *   spreadsheet shows it as text instead of evaluating it. OWASP says escape all of them, and we do, for every string
 *   cell: "-1", "+4420…" (E.164 phones) and "@handle" written as strings come out as "'-1", "'+4420…", "'@handle".
 *   Values the program means as numbers must be passed as `number`: numbers and booleans are written plainly
 *   (`-1`, `true`), never escaped. Non-finite numbers are written as empty cells.
 * - Then the cell is wrapped in double quotes (inner quotes doubled) when it contains a comma, a quote, CR or LF, or
 *   starts or ends with a space (so readers that trim keep the spaces).
 * - `null` is an empty cell. Rows end with "\n".
 */

export type CsvValue = string | number | boolean | null;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^ | $/;

export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line: cells joined by commas, ending with "\n". */
export function csvRow(values: readonly CsvValue[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i === 0 ? '' : ',') + csvCell(values[i]);
  return `${line}\n`;
}

/**
 * CSV text for a header and rows, produced lazily in chunks of about `chunkChars` characters (default 64 Ki),
 * so huge outputs stream with bounded memory. Works with sync and async row sources.
 */
export async function* csvChunks(
  header: readonly string[] | null,
  rows: Iterable<readonly CsvValue[]> | AsyncIterable<readonly CsvValue[]>,
  chunkChars = 64 * 1024,
): AsyncGenerator<string> {
  let buffer = header === null ? '' : csvRow(header);
  for await (const row of rows) {
    buffer += csvRow(row);
    if (buffer.length >= chunkChars) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer.length > 0) yield buffer;
}

/** A Readable (UTF-8 bytes) of the CSV, e.g. as an S3 upload body. */
export function csvReadable(
  header: readonly string[] | null,
  rows: Iterable<readonly CsvValue[]> | AsyncIterable<readonly CsvValue[]>,
): Readable {
  return Readable.from(
    (async function* () {
      for await (const chunk of csvChunks(header, rows)) yield Buffer.from(chunk, 'utf8');
    })(),
    { objectMode: false },
  );
}

/**
 * Push-style writer onto a Writable (file, upload stream). Buffers about `chunkChars` characters per write and
 * honours backpressure: `writeRow` resolves once the sink can take more. A sink error rejects the pending or next
 * call. Call `end()` to flush and close.
 */
export class CsvWriter {
  private buffer = '';
  private rows = 0;
  private failure: Error | null = null;

  constructor(
    private readonly sink: Writable,
    private readonly chunkChars = 64 * 1024,
  ) {
    sink.on('error', (error: Error) => {
      this.failure ??= error;
    });
  }

  /** Data rows written so far (the header is not counted). */
  get rowCount(): number {
    return this.rows;
  }

  async writeHeader(columns: readonly string[]): Promise<void> {
    this.buffer += csvRow(columns);
    await this.flushIfFull();
  }

  async writeRow(values: readonly CsvValue[]): Promise<void> {
    this.buffer += csvRow(values);
    this.rows++;
    await this.flushIfFull();
  }

  /** Flushes buffered rows, ends the sink and resolves when it has finished. */
  async end(): Promise<void> {
    this.throwIfFailed();
    const last = this.buffer;
    this.buffer = '';
    if (last.length > 0) this.sink.write(last);
    await this.settle('finish', () => this.sink.end());
  }

  private async flushIfFull(): Promise<void> {
    this.throwIfFailed();
    if (this.buffer.length < this.chunkChars) return;
    const chunk = this.buffer;
    this.buffer = '';
    if (this.sink.write(chunk)) return;
    await this.settle('drain');
  }

  /** Resolves on `event`, rejects on a sink error (also one that happened already). */
  private settle(event: 'drain' | 'finish', start?: () => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.failure !== null) return reject(this.failure);
      const onEvent = (): void => {
        this.sink.off('error', onError);
        resolve();
      };
      const onError = (error: Error): void => {
        this.sink.off(event, onEvent);
        reject(error);
      };
      this.sink.once(event, onEvent);
      this.sink.once('error', onError);
      start?.();
    });
  }

  private throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
  }
}
