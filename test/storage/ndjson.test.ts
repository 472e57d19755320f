import { lineForLine, NdjsonWriter, readNdjsonLineBytes, readNdjsonLines } from '../../lambdas/pipeline/ndjson';
import { createS3Client } from '../../lambdas/storage/clients';
import { S3ObjectStore } from '../../lambdas/storage/s3-object-store';
import { startHarness, type Harness } from './local-harness';

/**
 * NDJSON work files go through S3 (s3rver here) as multipart uploads written from a byte buffer: lines must come
 * back exactly, whatever their characters and however they fall across the writer's buffers and the upload's parts.
 */
let harness: Harness;
let client: ReturnType<typeof createS3Client>;
let store: S3ObjectStore;

beforeAll(async () => {
  harness = await startHarness();
  client = createS3Client(harness.env);
  store = new S3ObjectStore(client);
});

afterAll(async () => {
  client?.destroy();
  await harness?.dispose();
});

it('reads back every line written, multi-byte characters and lines longer than the buffer included', async () => {
  const ref = { bucket: harness.env.CRM_MERGE_WORK_BUCKET, key: 'test/ndjson/lines.ndjson' };
  const writer = new NdjsonWriter(store, ref, { partSizeBytes: 5 * 1024 * 1024, queueSize: 1 });
  const lines: string[] = [];
  const texts = ['Zoë Müller', '李小龍', 'emoji 🙂 pair', 'plain ascii', 'quote " and \\ backslash'];
  for (let i = 0; i < 100_000; i++) {
    // Every 10,000th line is longer than the writer's 256 KiB buffer, in three-byte characters.
    const value = i % 10_000 === 9_999 ? '漢'.repeat(200_000) : `${texts[i % texts.length]} #${i}`;
    const line = JSON.stringify({ i, value });
    lines.push(line);
    if (i % 3 === 0) await writer.write({ i, value });
    else await writer.writeLine(line);
  }
  expect(await writer.close()).toBe(lines.length);
  const read: string[] = [];
  for await (const line of readNdjsonLines(store, ref)) read.push(line);
  expect(read.length).toBe(lines.length);
  expect(read).toEqual(lines);
  // The same lines as bytes, never decoded on the way: lines crossing the stream's chunks are joined.
  const bytes: string[] = [];
  for await (const line of readNdjsonLineBytes(store, ref)) bytes.push(line.toString('utf8'));
  expect(bytes).toEqual(lines);
  // Over one 5 MiB part, so the upload had two or more.
  expect((await store.getBytes(ref)).length).toBeGreaterThan(5 * 1024 * 1024);
});

it('writes an empty object when no line was written', async () => {
  const ref = { bucket: harness.env.CRM_MERGE_WORK_BUCKET, key: 'test/ndjson/empty.ndjson' };
  expect(await new NdjsonWriter(store, ref).close()).toBe(0);
  expect((await store.getBytes(ref)).length).toBe(0);
});

it('copies a line of bytes between a text prefix and suffix, as forwarding stages do, however long', async () => {
  const source = { bucket: harness.env.CRM_MERGE_WORK_BUCKET, key: 'test/ndjson/source.ndjson' };
  const target = { bucket: harness.env.CRM_MERGE_WORK_BUCKET, key: 'test/ndjson/target.ndjson' };
  const records = Array.from({ length: 30_000 }, (_, i) => JSON.stringify({ i, name: i % 1000 === 999 ? 'Ø'.repeat(150_000) : `Zoë ${i}` }));
  const writer = new NdjsonWriter(store, source);
  for (const record of records) await writer.writeLine(record);
  await writer.close();
  const forward = new NdjsonWriter(store, target);
  let i = 0;
  for await (const line of readNdjsonLineBytes(store, source)) await forward.writeLineParts(`{"profileId":"p${i++}","record":`, line, '}');
  expect(await forward.close()).toBe(records.length);
  const read: unknown[] = [];
  for await (const line of readNdjsonLines(store, target)) read.push(JSON.parse(line));
  expect(read).toEqual(records.map((record, n) => ({ profileId: `p${n}`, record: JSON.parse(record) as unknown })));
});

it('pairs two files written line for line, and names both when one ends early or runs on', async () => {
  const put = async (key: string, lines: string[]): Promise<{ bucket: string; key: string }> => {
    const ref = { bucket: harness.env.CRM_MERGE_WORK_BUCKET, key };
    await store.putText(ref, lines.map((line) => `${line}\n`).join(''), 'application/x-ndjson');
    return ref;
  };
  const names = { lines: 'its records', beside: 'assignments' };
  const records = await put('beside/records.ndjson', ['{"id":1}', '{"id":2}', '{"id":3}']);
  const pairs = async (besideLines: string[]): Promise<[string, string][]> => {
    const beside = await put('beside/assignments.ndjson', besideLines);
    const found: [string, string][] = [];
    for await (const pair of lineForLine(readNdjsonLines(store, records), readNdjsonLines(store, beside), names)) found.push(pair);
    return found;
  };
  expect(await pairs(['"a"', 'null', '"c"'])).toEqual([
    ['{"id":1}', '"a"'],
    ['{"id":2}', 'null'],
    ['{"id":3}', '"c"'],
  ]);
  await expect(pairs(['"a"', 'null'])).rejects.toThrow('assignments end before its records');
  await expect(pairs(['"a"', 'null', '"c"', '"d"'])).rejects.toThrow('assignments outnumber its records');
});
