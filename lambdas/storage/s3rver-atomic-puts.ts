import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * S3 replaces an object atomically: a GET during a PUT gets the old body or the new one. s3rver 3.7.1 truncates the
 * object's file and rewrites it in place, then its metadata, so a GET in between reads a torn body whose length
 * disagrees with the Content-Length it sends; the SDK sees the socket aborted. The API's screening-job poll hit
 * exactly that (its job file is rewritten when the job ends). This makes the embedded server keep S3's promise:
 * a body is written to a side file and renamed into place, and the rename plus metadata write, and a GET's metadata
 * read plus file open, take a per-key lock. An open file keeps the inode it opened, so a GET already streaming
 * finishes on the old body.
 */

interface StoredObject {
  bucket: string;
  key: string;
  content: Buffer | Readable;
  metadata: Record<string, string>;
}

/** The slice of s3rver's FilesystemStore this replaces or wraps (s3rver/lib/stores/filesystem.js). */
export interface S3rverFilesystemStore {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5?: string): Promise<void>;
  putObject(object: StoredObject): Promise<{ size: number; md5: string }>;
  getObject(bucket: string, key: string, options?: unknown): Promise<unknown>;
  copyObject(...args: unknown[]): Promise<unknown>;
  deleteObject(bucket: string, key: string): Promise<void>;
}

/** Serialises async sections per key; sections on different keys run concurrently. */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, section: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const tail = previous.then(() => new Promise<void>((resolve) => (release = resolve)));
    this.tails.set(key, tail);
    await previous;
    try {
      return await section();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

export function makeObjectPutsAtomic(store: S3rverFilesystemStore): void {
  const lock = new KeyedLock();
  const lockKey = (bucket: string, key: string) => `${bucket}/${key}`;
  const getObject = store.getObject.bind(store);
  const copyObject = store.copyObject.bind(store);
  const deleteObject = store.deleteObject.bind(store);

  store.putObject = async (object) => {
    const objectPath = store.getResourcePath(object.bucket, object.key, 'object');
    await mkdir(dirname(objectPath), { recursive: true });
    // Not ending in "._S3rver_object", so a listing never shows a body still being written.
    const sidePath = `${objectPath}.${randomBytes(6).toString('hex')}.partial`;
    const md5 = createHash('md5');
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        md5.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    const source = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
    try {
      await pipeline(source, measure, createWriteStream(sidePath));
    } catch (error) {
      await rm(sidePath, { force: true });
      throw error;
    }
    const digest = md5.digest('hex');
    await lock.run(lockKey(object.bucket, object.key), async () => {
      await rename(sidePath, objectPath);
      await store.putMetadata(object.bucket, object.key, object.metadata, digest);
    });
    return { size, md5: digest };
  };
  store.getObject = (bucket, key, options) => lock.run(lockKey(bucket, key), () => getObject(bucket, key, options));
  store.deleteObject = (bucket, key) => lock.run(lockKey(bucket, key), () => deleteObject(bucket, key));
  // copyObject(srcBucket, srcKey, destBucket, destKey, metadata) writes the destination in place.
  store.copyObject = (...args) => lock.run(lockKey(String(args[2]), String(args[3])), () => copyObject(...args));
}
