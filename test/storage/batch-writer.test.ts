import type { BatchWriteCommandInput, BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import {
  BatchWriteError,
  BatchWriter,
  type BatchWriteSend,
  type Item,
  type WriteRequest,
} from '../../lambdas/storage/batch-writer';

const TABLE = 't';
const output = (unprocessed: WriteRequest[] = []): BatchWriteCommandOutput => ({
  $metadata: {},
  UnprocessedItems: unprocessed.length ? { [TABLE]: unprocessed } : {},
});
const requestsOf = (input: BatchWriteCommandInput): WriteRequest[] => (input.RequestItems?.[TABLE] ?? []) as WriteRequest[];
const keyOf = (request: WriteRequest): string =>
  'PutRequest' in request ? String(request.PutRequest.Item.pk) : String(request.DeleteRequest.Key.pk);
const items = (count: number): Item[] => Array.from({ length: count }, (_, index) => ({ pk: `k${index}`, sk: 's' }));

function throttling(): Error {
  const error = new Error('Rate of requests exceeds the allowed throughput.');
  error.name = 'ProvisionedThroughputExceededException';
  return error;
}

describe('BatchWriter', () => {
  it('splits into chunks of 25 and bounds the calls in flight', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const sizes: number[] = [];
    const send: BatchWriteSend = async (input) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      sizes.push(requestsOf(input).length);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return output();
    };
    const stats = await new BatchWriter(send, { concurrency: 3 }).putAll(TABLE, items(260));
    expect(stats).toEqual({ items: 260, calls: 11, retries: 0 });
    expect(sizes.every((size) => size <= 25)).toBe(true);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(260);
    expect(maxInFlight).toBe(3);
  });

  it('re-sends UnprocessedItems with backoff until written, losing nothing', async () => {
    const written = new Set<string>();
    let calls = 0;
    // The first two calls leave the last 10 requests of the batch unprocessed; the third takes everything.
    const send: BatchWriteSend = async (input) => {
      calls += 1;
      const requests = requestsOf(input);
      const unprocessed = calls <= 2 ? requests.slice(-10) : [];
      for (const request of requests.slice(0, requests.length - unprocessed.length)) written.add(keyOf(request));
      return output(unprocessed);
    };
    const delays: number[] = [];
    const writer = new BatchWriter(send, {
      concurrency: 1,
      baseDelayMs: 100,
      random: () => 0.5,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    const stats = await writer.putAll(TABLE, items(25));
    expect(calls).toBe(3);
    expect(stats).toEqual({ items: 25, calls: 3, retries: 2 });
    expect(written.size).toBe(25);
    // Full jitter over an exponentially growing ceiling: 0.5 * 100, then 0.5 * 200.
    expect(delays).toEqual([50, 100]);
  });

  it('retries throughput errors and gives up with a typed error after maxAttempts', async () => {
    let calls = 0;
    const flaky: BatchWriteSend = async () => {
      calls += 1;
      if (calls <= 2) throw throttling();
      return output();
    };
    const noSleep = { sleep: async () => undefined };
    await expect(new BatchWriter(flaky, noSleep).putAll(TABLE, items(5))).resolves.toEqual({
      items: 5,
      calls: 3,
      retries: 2,
    });

    const alwaysThrottled: BatchWriteSend = async () => {
      throw throttling();
    };
    const error = await new BatchWriter(alwaysThrottled, { ...noSleep, maxAttempts: 4 })
      .putAll(TABLE, items(5))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BatchWriteError);
    expect(error).toMatchObject({ name: 'BatchWriteError', unprocessed: 5, attempts: 4 });
    expect((error as BatchWriteError).cause).toBeInstanceOf(Error);
  });

  it('fails fast on non-retryable errors and when items stay unprocessed', async () => {
    const invalid: BatchWriteSend = async () => {
      const error = new Error('One or more parameter values were invalid');
      error.name = 'ValidationException';
      throw error;
    };
    await expect(new BatchWriter(invalid).putAll(TABLE, items(3))).rejects.toMatchObject({
      name: 'BatchWriteError',
      attempts: 1,
    });

    const stuck: BatchWriteSend = async (input) => output(requestsOf(input));
    await expect(
      new BatchWriter(stuck, { maxAttempts: 3, sleep: async () => undefined }).putAll(TABLE, items(3)),
    ).rejects.toMatchObject({ name: 'BatchWriteError', unprocessed: 3, attempts: 3 });
  });

  it('writes nothing and makes no call for an empty list', async () => {
    const send = jest.fn<ReturnType<BatchWriteSend>, Parameters<BatchWriteSend>>();
    await expect(new BatchWriter(send).deleteAll(TABLE, [])).resolves.toEqual({ items: 0, calls: 0, retries: 0 });
    expect(send).not.toHaveBeenCalled();
  });
});
