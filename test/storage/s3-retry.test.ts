import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { createS3Client } from '../../lambdas/storage/clients';
import { S3ObjectStore } from '../../lambdas/storage/s3-object-store';
import { startHarness, type Harness } from './local-harness';

/**
 * Partial S3 failures are retried where they happen: one failed UploadPart of a multipart upload is re-sent alone
 * (the upload is not restarted), and a failed GetObject is re-sent, by the SDK's standard retry strategy that every
 * client gets (clients.ts). The failures are real HTTP 503 SlowDown / 500 responses injected in front of s3rver.
 */

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness?.dispose());

/** The parts of the SDK's HTTP layer this test touches (a smithy HttpHandler). */
interface HttpRequest {
  method: string;
  query: Record<string, string | string[] | null>;
}

const MiB = 1024 * 1024;
interface HttpHandler {
  handle(request: HttpRequest, options?: object): Promise<{ response: unknown }>;
}

interface Sent {
  method: string;
  partNumber: string | null;
  /** A multipart request (create, part, complete, abort): it names an upload or asks for one. */
  multipart: boolean;
  status: number;
}

/** An S3ObjectStore whose HTTP layer answers chosen requests with an error status instead of forwarding them. */
function flakyStore(
  failWith: (request: HttpRequest, sent: Sent[]) => number | null,
  buffering = { partSizeBytes: 5 * MiB, queueSize: 1 },
): { store: S3ObjectStore; sent: Sent[] } {
  const client = createS3Client(harness.env, { maxAttempts: 3 });
  // The client's own handler instance: its `handle` is replaced for this client only.
  const handler = client.config.requestHandler as unknown as HttpHandler;
  const forward = handler.handle.bind(handler);
  const sent: Sent[] = [];
  handler.handle = async (request, options) => {
    const partNumber = typeof request.query.partNumber === 'string' ? request.query.partNumber : null;
    const status = failWith(request, sent);
    const multipart = 'uploads' in request.query || 'uploadId' in request.query;
    sent.push({ method: request.method, partNumber, multipart, status: status ?? 200 });
    if (status === null) return forward(request, options);
    const code = status === 503 ? 'SlowDown' : 'InternalError';
    const body = Readable.from([Buffer.from(`<?xml version="1.0"?><Error><Code>${code}</Code><Message>injected</Message></Error>`)]);
    return { response: { statusCode: status, headers: { 'content-type': 'application/xml' }, body } };
  };
  return { store: new S3ObjectStore(client, buffering), sent };
}

describe('S3 partial failures', () => {
  it('a failed part of a multipart upload is re-sent alone and the object is complete', async () => {
    let failed = false;
    const { store, sent } = flakyStore((request) => {
      if (failed || request.query.partNumber !== '2') return null;
      failed = true;
      return 503;
    });
    const body = randomBytes(12 * 1024 * 1024);
    const ref = { bucket: harness.env.CRM_MERGE_WORK_BUCKET, key: 'retry/multipart.bin' };
    await store.putStream(ref, Readable.from([body.subarray(0, 7_000_000), body.subarray(7_000_000)]));
    const parts = sent.filter((s) => s.partNumber !== null).map((s) => `${s.partNumber}:${s.status}`);
    expect(parts).toEqual(['1:200', '2:503', '2:200', '3:200']);
    const digest = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
    expect(digest(await store.getBytes(ref))).toBe(digest(body));
  });

  it('a part that keeps failing aborts the upload: a typed error, the abort sent, no object left', async () => {
    const { store, sent } = flakyStore((request) => (request.query.partNumber === '2' ? 503 : null));
    const ref = { bucket: harness.env.CRM_MERGE_WORK_BUCKET, key: 'retry/aborted.bin' };
    const body = randomBytes(11 * MiB);
    await expect(store.putStream(ref, Readable.from([body]))).rejects.toMatchObject({ name: 'StorageError' });
    expect(sent.filter((s) => s.partNumber === '2').map((s) => s.status)).toEqual([503, 503, 503]);
    expect(sent.filter((s) => s.multipart && s.method === 'DELETE')).toHaveLength(1);
    expect(await store.exists(ref)).toBe(false);
  });

  it('parts uploading in parallel (queue of 3) make one object with the bytes in order; a short body is one PutObject', async () => {
    const { store, sent } = flakyStore(() => null, { partSizeBytes: 5 * MiB, queueSize: 3 });
    const body = randomBytes(23 * MiB + 17);
    const ref = { bucket: harness.env.CRM_MERGE_WORK_BUCKET, key: 'retry/parallel.bin' };
    // Chunks that do not line up with the parts.
    const chunks = Array.from({ length: Math.ceil(body.length / 700_001) }, (_, i) => body.subarray(i * 700_001, (i + 1) * 700_001));
    await store.putStream(ref, Readable.from(chunks));
    expect(sent.filter((s) => s.partNumber !== null).map((s) => s.partNumber).sort()).toEqual(['1', '2', '3', '4', '5']);
    expect(Buffer.from(await store.getBytes(ref)).equals(body)).toBe(true);

    sent.length = 0;
    const short = { bucket: ref.bucket, key: 'retry/short.bin' };
    await store.putStream(short, Readable.from([body.subarray(0, 5 * MiB)]));
    await store.putStream({ bucket: ref.bucket, key: 'retry/empty.bin' }, Readable.from([]));
    expect(sent.map((s) => `${s.method}${s.multipart ? ' multipart' : ''}`)).toEqual(['PUT', 'PUT']);
    expect(Buffer.from(await store.getBytes(short)).equals(body.subarray(0, 5 * MiB))).toBe(true);
    expect((await store.getBytes({ bucket: ref.bucket, key: 'retry/empty.bin' })).length).toBe(0);
  });

  it('a failed read is re-sent, and a store that keeps failing gives up with a typed error', async () => {
    const bucket = harness.env.CRM_MERGE_WORK_BUCKET;
    const ref = { bucket, key: 'retry/read.txt' };
    let failures = 1;
    const { store, sent } = flakyStore((request) => (request.method === 'GET' && failures-- > 0 ? 500 : null));
    await store.putText(ref, 'hello');
    expect(await store.getText(ref)).toBe('hello');
    expect(sent.filter((s) => s.method === 'GET').map((s) => s.status)).toEqual([500, 200]);

    const { store: broken } = flakyStore((request) => (request.method === 'GET' ? 503 : null));
    await expect(broken.getText(ref)).rejects.toMatchObject({ name: 'StorageError', message: expect.stringContaining('SlowDown') });
  });
});
