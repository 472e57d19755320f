import type { Readable } from 'node:stream';

/**
 * How much of a streamed upload may be held in memory: a job writing many objects at once (route, one per partition)
 * asks for less per object so its memory stays bounded by the object count.
 */
export interface StreamBuffering {
  /** Multipart part size (>= 5 MiB). */
  partSizeBytes: number;
  /** Parts in flight at once. */
  queueSize: number;
}

/** A location in object storage. */
export interface ObjectRef {
  bucket: string;
  key: string;
}

/**
 * The object store crm-merge needs: whole-object and streaming reads and writes, listing and deletion.
 * One real implementation (S3, `S3ObjectStore`), used against AWS and against s3rver on a laptop.
 */
export interface ObjectStore {
  getText(ref: ObjectRef): Promise<string>;
  getBytes(ref: ObjectRef): Promise<Uint8Array>;
  getStream(ref: ObjectRef): Promise<Readable>;
  putText(ref: ObjectRef, body: string, contentType?: string): Promise<void>;
  putBytes(ref: ObjectRef, body: Uint8Array, contentType?: string): Promise<void>;
  /** Streams a body of unknown length (multipart under the hood). */
  putStream(ref: ObjectRef, body: Readable, contentType?: string, buffering?: StreamBuffering): Promise<void>;
  exists(ref: ObjectRef): Promise<boolean>;
  /** Keys under a prefix, in lexical order. */
  list(bucket: string, prefix: string): Promise<string[]>;
  deletePrefix(bucket: string, prefix: string): Promise<number>;
  /** A time-limited GET URL (at most 900 seconds). */
  presignGet(ref: ObjectRef, expiresInSeconds: number): Promise<string>;
}

/** Parses "s3://bucket/key/with/slashes". Returns null for anything else. */
export function parseS3Uri(uri: string): ObjectRef | null {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  return match ? { bucket: match[1], key: match[2] } : null;
}

export function s3Uri(ref: ObjectRef): string {
  return `s3://${ref.bucket}/${ref.key}`;
}
