/**
 * Minimal RFC 4180 writing plus "sinks" that receive text in large chunks. The same generator code writes either
 * to memory (tests, `generateSample`) or straight to files (the CLI), so a million-person sample never has to
 * exist as one string and both paths produce identical bytes.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

const NEEDS_QUOTES = /[",\r\n]/;

/** Quotes a value only when it must be quoted, like most CRM exporters do. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Joins plain values into one CSV line (no line ending). Array.join returns a flat string; building it with `+=`
 * would leave a rope of ~40 string pieces per row alive until the chunk is written, which made the young-generation
 * garbage collector the largest cost of a million-person run.
 */
export function csvLine(values: readonly string[]): string {
  const fields = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) fields[i] = csvField(values[i] as string);
  return fields.join(',');
}

export interface Sink {
  write(text: string): void;
}

/** Collects chunks and joins them once at the end (repeated `+=` on a 100 MB string would copy it over and over). */
export class MemorySink implements Sink {
  private readonly parts: string[] = [];

  write(text: string): void {
    this.parts.push(text);
  }

  text(): string {
    return this.parts.join('');
  }
}

/** Buffers chunks and writes them synchronously in ~4 MB blocks; synchronous keeps the generator a plain loop. */
export class FileSink implements Sink {
  private readonly fd: number;
  private parts: string[] = [];
  private buffered = 0;
  bytes = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  write(text: string): void {
    this.parts.push(text);
    this.buffered += text.length;
    if (this.buffered >= 4 * 1024 * 1024) this.flush();
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    const buffer = Buffer.from(this.parts.join(''), 'utf8');
    // writeSync may write less than asked; loop until the block is on disk.
    for (let offset = 0; offset < buffer.length; ) offset += writeSync(this.fd, buffer, offset);
    this.bytes += buffer.length;
    this.parts = [];
    this.buffered = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
