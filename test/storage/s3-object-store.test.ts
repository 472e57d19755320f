import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { NotFoundError } from '../../lambdas/core/errors';
import { createS3Client, sseParams } from '../../lambdas/storage/clients';
import { PresignExpiryError, S3ObjectStore } from '../../lambdas/storage/s3-object-store';
import { startHarness, type Harness } from './local-harness';

let harness: Harness;
let store: S3ObjectStore;
let client: ReturnType<typeof createS3Client>;
let bucket: string;

beforeAll(async () => {
  harness = await startHarness();
  client = createS3Client(harness.env);
  store = new S3ObjectStore(client);
  bucket = harness.env.CRM_MERGE_WORK_BUCKET;
});

afterAll(async () => {
  client?.destroy();
  await harness?.dispose();
});

/** A deterministic 20 MB body streamed in uneven pieces, so parts never line up with the source chunks. */
function* pseudoRandomChunks(totalBytes: number): Generator<Buffer> {
  let produced = 0;
  let counter = 0;
  while (produced < totalBytes) {
    const size = Math.min(totalBytes - produced, 65_537 + (counter % 7) * 1_000);
    const chunk = Buffer.alloc(size);
    for (let offset = 0; offset < size; offset += 32) {
      createHash('sha256').update(`${counter}:${offset}`).digest().copy(chunk, offset);
    }
    produced += size;
    counter += 1;
    yield chunk;
  }
}

describe('S3ObjectStore against s3rver', () => {
  it('round-trips text and bytes, and reports existence', async () => {
    const text = { bucket, key: 'roundtrip/hello.txt' };
    await store.putText(text, 'héllo, wörld\nline 2');
    expect(await store.getText(text)).toBe('héllo, wörld\nline 2');
    expect(await store.exists(text)).toBe(true);

    const bytes = { bucket, key: 'roundtrip/blob.bin' };
    const body = new Uint8Array(randomBytes(70_000));
    await store.putBytes(bytes, body);
    expect(Buffer.from(await store.getBytes(bytes)).equals(Buffer.from(body))).toBe(true);

    const stream = await store.getStream(bytes);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(Buffer.from(body))).toBe(true);

    expect(await store.exists({ bucket, key: 'roundtrip/missing' })).toBe(false);
  });

  it('raises NotFoundError (with the SDK error as cause) for a missing key', async () => {
    const error = await store.getText({ bucket, key: 'nope/missing.txt' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).name).toBe('NotFoundError');
    expect((error as NotFoundError).cause).toBeInstanceOf(Error);
  });

  it('uploads a 20 MB stream of unknown length (multipart) and reads it back byte-identical', async () => {
    const totalBytes = 20 * 1024 * 1024;
    const expected = createHash('sha256');
    for (const chunk of pseudoRandomChunks(totalBytes)) expected.update(chunk);

    const ref = { bucket, key: 'big/stream.bin' };
    await store.putStream(ref, Readable.from(pseudoRandomChunks(totalBytes)), 'application/octet-stream');

    const actual = createHash('sha256');
    let length = 0;
    for await (const chunk of await store.getStream(ref)) {
      length += (chunk as Buffer).length;
      actual.update(chunk as Buffer);
    }
    expect(length).toBe(totalBytes);
    expect(actual.digest('hex')).toBe(expected.digest('hex'));
  });

  it('client settings keep a raw PutObject stream body free of aws-chunked framing', async () => {
    // Upload (putStream) buffers parts, so this is the one request shape where the SDK default
    // (requestChecksumCalculation WHEN_SUPPORTED) makes s3rver store the framing: 100,000 bytes come back as 100,045.
    const body = randomBytes(100_000);
    const ref = { bucket, key: 'raw/put-object-stream.bin' };
    await client.send(
      new PutObjectCommand({ Bucket: ref.bucket, Key: ref.key, Body: Readable.from([body]), ContentLength: body.length }),
    );
    expect(Buffer.from(await store.getBytes(ref)).equals(body)).toBe(true);
  });

  it('lists keys under a prefix in lexical order and deletes a prefix', async () => {
    const keys = ['runs/r1/b.csv', 'runs/r1/a.csv', 'runs/r1/sub/c.csv', 'runs/r10/x.csv', 'runs/r2/y.csv'];
    for (const key of keys) await store.putText({ bucket, key }, key);

    expect(await store.list(bucket, 'runs/r1/')).toEqual(['runs/r1/a.csv', 'runs/r1/b.csv', 'runs/r1/sub/c.csv']);
    expect(await store.list(bucket, 'runs/')).toEqual([...keys].sort());

    expect(await store.deletePrefix(bucket, 'runs/r1/')).toBe(3);
    expect(await store.list(bucket, 'runs/')).toEqual(['runs/r10/x.csv', 'runs/r2/y.csv']);
    expect(await store.deletePrefix(bucket, 'runs/none/')).toBe(0);
  });

  it('lists across pages (more than 1,000 keys)', async () => {
    const keys = Array.from({ length: 1_005 }, (_, index) => `many/${String(index).padStart(4, '0')}`);
    // s3rver writes each object as files; bounded parallelism keeps it fast without exhausting descriptors.
    for (let start = 0; start < keys.length; start += 50) {
      await Promise.all(keys.slice(start, start + 50).map((key) => store.putText({ bucket, key }, 'x')));
    }
    expect(await store.list(bucket, 'many/')).toEqual(keys);
    expect(await store.deletePrefix(bucket, 'many/')).toBe(1_005);
    expect(await store.list(bucket, 'many/')).toEqual([]);
  });

  it('presigns a GET URL that Node fetch can read, and refuses expiries over 900 s', async () => {
    const ref = { bucket: harness.env.CRM_MERGE_REPORTS_BUCKET, key: 'reports/run-1/summary.json' };
    await store.putText(ref, '{"ok":true}', 'application/json');

    const url = await store.presignGet(ref, 900);
    expect(url).toContain('X-Amz-Expires=900');
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"ok":true}');

    await expect(store.presignGet(ref, 901)).rejects.toBeInstanceOf(PresignExpiryError);
    await expect(store.presignGet(ref, 0)).rejects.toBeInstanceOf(PresignExpiryError);
  });

  it('adds SSE-KMS parameters only when a key id is configured', () => {
    expect(sseParams(undefined)).toEqual({});
    expect(sseParams('alias/crm-merge')).toEqual({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'alias/crm-merge' });
  });
});
