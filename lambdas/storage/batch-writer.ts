import { setTimeout as sleepFor } from 'node:timers/promises';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type BatchWriteCommandOutput,
  type DynamoDBDocumentClient,
  type NativeAttributeValue,
} from '@aws-sdk/lib-dynamodb';
import { awsErrorName, StorageError } from './clients';

/**
 * BatchWriteItem in chunks of 25 with bounded concurrency.
 *
 * DynamoDB accepts a batch and may still leave some of it unwritten (`UnprocessedItems`, typically under
 * throttling); it may also reject the whole call with a throughput error. Both are retried here with exponential
 * backoff and full jitter (delay = random(0, min(cap, base * 2^attempt))) so concurrent writers spread out instead of
 * retrying in lock step. After `maxAttempts` calls for the same chunk a `BatchWriteError` is thrown: the caller
 * learns how many items were not written instead of losing them silently.
 */

export type Item = Record<string, NativeAttributeValue>;
export type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Item } };

/** The one call the writer makes; injectable so tests can simulate UnprocessedItems (dynalite never returns any). */
export type BatchWriteSend = (input: BatchWriteCommandInput) => Promise<BatchWriteCommandOutput>;

export interface BatchWriterOptions {
  /** Chunks in flight at once. Default 8. */
  concurrency?: number;
  /** Calls per chunk (first try included) before giving up. Default 8. */
  maxAttempts?: number;
  /** Backoff base, ms. Default 50. */
  baseDelayMs?: number;
  /** Backoff cap, ms. Default 5,000. */
  maxDelayMs?: number;
  /** Injected for deterministic tests. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface BatchWriteStats {
  /** Write requests applied. */
  items: number;
  /** BatchWriteItem calls made, retries included. */
  calls: number;
  /** Calls that were retries (of unprocessed items or after a throughput error). */
  retries: number;
}

/** Some write requests could not be applied within the retry budget, or a call failed for a non-retryable reason. */
export class BatchWriteError extends StorageError {
  constructor(
    message: string,
    /** Requests not written (of this chunk; other chunks may also have failed or succeeded). */
    readonly unprocessed: number,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super('BatchWriteItem', message, options);
  }
}

/** The largest BatchWriteItem DynamoDB accepts. */
export const BATCH_WRITE_LIMIT = 25;

const THROTTLING_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
]);

export class BatchWriter {
  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly send: BatchWriteSend,
    options: BatchWriterOptions = {},
  ) {
    this.concurrency = Math.max(1, options.concurrency ?? 8);
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 8);
    this.baseDelayMs = options.baseDelayMs ?? 50;
    this.maxDelayMs = options.maxDelayMs ?? 5_000;
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? ((ms) => sleepFor(ms));
  }

  static forDocumentClient(client: DynamoDBDocumentClient, options?: BatchWriterOptions): BatchWriter {
    return new BatchWriter((input) => client.send(new BatchWriteCommand(input)), options);
  }

  putAll(tableName: string, items: readonly Item[]): Promise<BatchWriteStats> {
    return this.write(
      tableName,
      items.map((item) => ({ PutRequest: { Item: item } })),
    );
  }

  deleteAll(tableName: string, keys: readonly Item[]): Promise<BatchWriteStats> {
    return this.write(
      tableName,
      keys.map((key) => ({ DeleteRequest: { Key: key } })),
    );
  }

  /**
   * Applies the requests. Keys must be unique within the whole call (DynamoDB rejects a batch with duplicate keys,
   * and the order two writes of one key would land in is not defined across chunks anyway).
   * On failure the other chunks in flight finish, then the first error is thrown.
   */
  async write(tableName: string, requests: readonly WriteRequest[]): Promise<BatchWriteStats> {
    const stats: BatchWriteStats = { items: 0, calls: 0, retries: 0 };
    let next = 0;
    let failure: unknown;
    const worker = async (): Promise<void> => {
      while (failure === undefined && next < requests.length) {
        const chunk = requests.slice(next, next + BATCH_WRITE_LIMIT);
        next += BATCH_WRITE_LIMIT;
        try {
          await this.writeChunk(tableName, chunk, stats);
        } catch (error) {
          failure ??= error;
        }
      }
    };
    const workers = Math.min(this.concurrency, Math.ceil(requests.length / BATCH_WRITE_LIMIT));
    await Promise.all(Array.from({ length: workers }, worker));
    if (failure !== undefined) throw failure;
    return stats;
  }

  private async writeChunk(tableName: string, chunk: WriteRequest[], stats: BatchWriteStats): Promise<void> {
    let pending: WriteRequest[] = chunk;
    for (let attempt = 1; ; attempt += 1) {
      stats.calls += 1;
      if (attempt > 1) stats.retries += 1;
      let unprocessed: WriteRequest[];
      try {
        const output = await this.send({ RequestItems: { [tableName]: pending } });
        unprocessed = (output.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
      } catch (error) {
        const name = awsErrorName(error) ?? 'UnknownError';
        if (!THROTTLING_ERRORS.has(name)) {
          // Validation and access errors will not get better by retrying; transient network/5xx errors were
          // already retried by the SDK's own retry strategy before reaching here.
          throw new BatchWriteError(`${tableName}: ${pending.length} item(s) not written (${name})`, pending.length, attempt, {
            cause: error,
          });
        }
        if (attempt >= this.maxAttempts) {
          throw new BatchWriteError(
            `${tableName}: ${pending.length} item(s) not written after ${attempt} attempts (${name})`,
            pending.length,
            attempt,
            { cause: error },
          );
        }
        await this.sleep(this.backoff(attempt));
        continue;
      }
      stats.items += pending.length - unprocessed.length;
      if (unprocessed.length === 0) return;
      if (attempt >= this.maxAttempts) {
        throw new BatchWriteError(
          `${tableName}: ${unprocessed.length} item(s) still unprocessed after ${attempt} attempts`,
          unprocessed.length,
          attempt,
        );
      }
      pending = unprocessed;
      await this.sleep(this.backoff(attempt));
    }
  }

  /** Full jitter: uniformly random in [0, min(cap, base * 2^(attempt-1))]. */
  private backoff(attempt: number): number {
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    return Math.floor(this.random() * ceiling);
  }
}

/** The largest BatchGetItem DynamoDB accepts. */
export const BATCH_GET_LIMIT = 100;

export interface BatchGetOptions {
  consistentRead?: boolean;
  /** Calls per chunk before giving up on `UnprocessedKeys`. Default 8. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * BatchGetItem over any number of keys (chunks of 100, run in parallel), re-requesting `UnprocessedKeys` with the
 * same full-jitter backoff as the writer. Returns the items found, in no particular order (callers re-order).
 */
export async function batchGetAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Item[],
  options: BatchGetOptions = {},
): Promise<Item[]> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 8);
  const baseDelayMs = options.baseDelayMs ?? 25;
  const maxDelayMs = options.maxDelayMs ?? 2_000;
  const sleep = options.sleep ?? ((ms: number) => sleepFor(ms));
  const chunks: Item[][] = [];
  for (let start = 0; start < keys.length; start += BATCH_GET_LIMIT) chunks.push(keys.slice(start, start + BATCH_GET_LIMIT));
  const results = await Promise.all(
    chunks.map(async (chunk) => {
      const found: Item[] = [];
      let pending: Item[] = chunk;
      for (let attempt = 1; pending.length > 0; attempt += 1) {
        let output;
        try {
          output = await client.send(
            new BatchGetCommand({
              RequestItems: { [tableName]: { Keys: pending, ConsistentRead: options.consistentRead } },
            }),
          );
        } catch (error) {
          throw new StorageError('BatchGetItem', `${tableName}: read of ${pending.length} item(s) failed`, {
            cause: error,
          });
        }
        found.push(...(output.Responses?.[tableName] ?? []));
        pending = output.UnprocessedKeys?.[tableName]?.Keys ?? [];
        if (pending.length === 0) break;
        if (attempt >= maxAttempts) {
          throw new StorageError(
            'BatchGetItem',
            `${tableName}: ${pending.length} key(s) still unprocessed after ${attempt} attempts`,
          );
        }
        await sleep(Math.floor(Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1))));
      }
      return found;
    }),
  );
  return results.flat();
}
