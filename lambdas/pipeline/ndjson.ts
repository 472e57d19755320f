import { PassThrough, type Readable } from 'node:stream';
import type { ObjectRef, ObjectStore, StreamBuffering } from '../storage/object-store';

/** Reads newline-delimited JSON from an object, one parsed value per line, without holding the whole object. */
export async function* readNdjson<T>(objects: ObjectStore, ref: ObjectRef): AsyncGenerator<T> {
  const stream = await objects.getStream(ref);
  yield* parseNdjson<T>(stream);
}

/**
 * The lines of an NDJSON object as text, unparsed: a stage that only forwards a record (plan to partitions, cluster
 * to publish chunks) copies the text instead of parsing and re-encoding it.
 */
export async function* readNdjsonLines(objects: ObjectStore, ref: ObjectRef): AsyncGenerator<string> {
  const stream = await objects.getStream(ref);
  yield* splitLines(stream);
}

export async function* parseNdjson<T>(stream: Readable): AsyncGenerator<T> {
  for await (const line of splitLines(stream)) yield JSON.parse(line) as T;
}

async function* splitLines(stream: Readable): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let buffered = '';
  for await (const chunk of stream as AsyncIterable<Uint8Array | string>) {
    buffered += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let newline = buffered.indexOf('\n');
    let start = 0;
    while (newline !== -1) {
      if (newline > start) yield buffered.slice(start, newline);
      start = newline + 1;
      newline = buffered.indexOf('\n', start);
    }
    buffered = buffered.slice(start);
  }
  buffered += decoder.decode();
  if (buffered.trim().length > 0) yield buffered;
}

/**
 * Writes newline-delimited JSON to an object as a stream (multipart upload), buffering a few hundred kilobytes at a
 * time so memory stays bounded however many lines are written.
 */
export class NdjsonWriter {
  private readonly stream = new PassThrough();
  private readonly upload: Promise<void>;
  private buffer: string[] = [];
  private bufferedLength = 0;
  count = 0;

  constructor(objects: ObjectStore, ref: ObjectRef, buffering?: StreamBuffering) {
    this.upload = objects.putStream(ref, this.stream, 'application/x-ndjson', buffering);
    // Surface upload errors on close(), not as unhandled rejections while lines are still being written.
    this.upload.catch(() => undefined);
  }

  async write(value: unknown): Promise<void> {
    await this.writeLine(JSON.stringify(value));
  }

  /** Writes one line of already-encoded JSON (without its newline). */
  async writeLine(json: string): Promise<void> {
    this.buffer.push(json, '\n');
    this.bufferedLength += json.length + 1;
    this.count++;
    if (this.bufferedLength >= 256 * 1024) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const text = this.buffer.join('');
    this.buffer = [];
    this.bufferedLength = 0;
    // A failed upload stops reading the stream, so waiting for 'drain' alone would wait forever.
    if (!this.stream.write(text))
      await Promise.race([new Promise<void>((resolve) => this.stream.once('drain', resolve)), this.upload]);
  }

  async close(): Promise<number> {
    await this.flush();
    this.stream.end();
    await this.upload;
    return this.count;
  }
}
