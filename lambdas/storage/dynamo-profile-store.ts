import {
  GetCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import type { Environment } from '../config/env';
import type { UnifiedProfile } from '../core/model/profile';
import { batchGetAll, BatchWriter, type BatchWriterOptions, type Item } from './batch-writer';
import { awsErrorName, createDocumentClient, createDynamoClient, StorageError, type ClientOptions } from './clients';
import type { ProfileStore, Tombstone } from './profile-store';
import {
  ACTIVE_POINTER_KEY,
  lookupPartitionKey,
  lookupSortKey,
  PROFILE_BY_RUN_INDEX,
  profileItemKey,
  TOMBSTONE_PARTITION,
  tombstoneKey,
} from './table-schema';

/** `activateRun` lost a race: the pointer no longer holds the run the caller expected to replace. */
export class ActivationConflictError extends StorageError {
  constructor(
    readonly runId: string,
    readonly expectedPrevious: string | null,
    options?: { cause?: unknown },
  ) {
    super(
      'ActivateRun',
      `run ${runId} not activated: the active run is no longer ${expectedPrevious ?? '(none)'}`,
      options,
    );
  }
}

/** `deleteRun` was asked to delete the run readers are currently served from. */
export class ActiveRunDeletionError extends StorageError {
  constructor(readonly runId: string) {
    super('DeleteRun', `run ${runId} is the active run; activate another run before deleting it`);
  }
}

export interface DynamoProfileStoreOptions {
  tableName: string;
  /**
   * How long readers may reuse the resolved active run, ms. 0 (default) reads the pointer on every call; a Lambda
   * serving lookups can set a few seconds to save a read per request, at the price of serving the previous run for at
   * most that long after a flip. Capped at 5,000 ms so a stale pointer never lingers.
   */
  activeRunCacheMs?: number;
  writer?: BatchWriterOptions;
  now?: () => number;
}

const MAX_ACTIVE_RUN_CACHE_MS = 5_000;

type LookupKind = 'email' | 'phone' | 'name';

/**
 * `ProfileStore` on DynamoDB, following `table-schema.ts`: a run's profile and lookup items are written first, then
 * one conditional PutItem of the pointer publishes the whole run. Every read resolves the active run once and reads
 * only items of that run, with strongly consistent reads, so a reader sees either the old run or the new one,
 * never a mix.
 */
export class DynamoProfileStore implements ProfileStore {
  private readonly writer: BatchWriter;
  private readonly cacheMs: number;
  private readonly now: () => number;
  private cached: { runId: string | null; at: number } | undefined;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly options: DynamoProfileStoreOptions,
  ) {
    this.writer = BatchWriter.forDocumentClient(client, options.writer);
    this.cacheMs = Math.min(Math.max(0, options.activeRunCacheMs ?? 0), MAX_ACTIVE_RUN_CACHE_MS);
    this.now = options.now ?? Date.now;
  }

  static fromEnvironment(
    env: Environment,
    options: Omit<DynamoProfileStoreOptions, 'tableName'> & { client?: ClientOptions } = {},
  ): DynamoProfileStore {
    const client = createDocumentClient(createDynamoClient(env, options.client));
    return new DynamoProfileStore(client, { ...options, tableName: env.CRM_MERGE_PROFILE_TABLE });
  }

  private get table(): string {
    return this.options.tableName;
  }

  async putProfiles(runId: string, profiles: UnifiedProfile[]): Promise<void> {
    const items = new Map<string, Item>();
    for (const profile of profiles) for (const item of profileItems(runId, profile)) items.set(itemId(item), item);
    await this.writer.putAll(this.table, [...items.values()]);
  }

  async findVersions(key: { kind: 'email' | 'phone' | 'id'; value: string }): Promise<UnifiedProfile[]> {
    if (key.value === '') return [];
    if (key.kind === 'id') {
      const versions: UnifiedProfile[] = [];
      await this.queryPages(
        'FindVersions',
        {
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': profileItemKey(key.value, '').pk },
          ConsistentRead: true,
        },
        async (page) => {
          for (const item of page.Items ?? []) versions.push(parseDoc(item));
        },
      );
      return versions;
    }
    // Lookup items of every run (sk = RUN#<run>#P#<profile>), not only the active run's.
    const keys: Item[] = [];
    await this.queryPages(
      'FindVersions',
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': lookupPartitionKey(key.kind, key.value) },
        ProjectionExpression: 'runId, profileId',
        ConsistentRead: true,
      },
      async (page) => {
        for (const item of page.Items ?? [])
          if (typeof item.runId === 'string' && typeof item.profileId === 'string') keys.push(profileItemKey(item.profileId, item.runId));
      },
    );
    if (keys.length === 0) return [];
    const items = await batchGetAll(this.client, this.table, keys, { consistentRead: true });
    return items.map(parseDoc).sort((a, b) => (a.runId + a.profileId < b.runId + b.profileId ? -1 : 1));
  }

  async deleteProfiles(profiles: readonly UnifiedProfile[]): Promise<number> {
    const keys = new Map<string, Item>();
    for (const profile of profiles)
      for (const item of profileItems(profile.runId, profile)) keys.set(itemId(item), { pk: item.pk, sk: item.sk });
    if (keys.size === 0) return 0;
    return (await this.writer.deleteAll(this.table, [...keys.values()])).items;
  }

  async putTombstones(tombstones: readonly Tombstone[]): Promise<void> {
    const items = new Map<string, Item>();
    for (const tombstone of tombstones) {
      const item: Item = { ...tombstoneKey(tombstone.hash), kind: tombstone.kind, createdAt: tombstone.createdAt };
      items.set(itemId(item), item);
    }
    await this.writer.putAll(this.table, [...items.values()]);
  }

  async listTombstones(): Promise<string[]> {
    const hashes: string[] = [];
    await this.queryPages(
      'ListTombstones',
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': TOMBSTONE_PARTITION },
        ProjectionExpression: 'sk',
        ConsistentRead: true,
      },
      async (page) => {
        for (const item of page.Items ?? []) if (typeof item.sk === 'string') hashes.push(item.sk);
      },
    );
    return hashes;
  }

  async findTombstones(hashes: readonly string[]): Promise<string[]> {
    const unique = [...new Set(hashes)];
    if (unique.length === 0) return [];
    const items = await batchGetAll(this.client, this.table, unique.map(tombstoneKey), { consistentRead: true });
    return items.map((item) => String(item.sk)).sort();
  }

  async activateRun(runId: string, expectedPrevious: string | null): Promise<void> {
    const condition =
      expectedPrevious === null
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'runId = :expected', ExpressionAttributeValues: { ':expected': expectedPrevious } };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...ACTIVE_POINTER_KEY, runId, previousRunId: expectedPrevious, activatedAt: new Date().toISOString() },
          ...condition,
        }),
      );
    } catch (error) {
      if (awsErrorName(error) === 'ConditionalCheckFailedException') {
        this.cached = undefined;
        throw new ActivationConflictError(runId, expectedPrevious, { cause: error });
      }
      throw new StorageError('ActivateRun', `${this.table}: pointer write failed`, { cause: error });
    }
    this.cached = { runId, at: this.now() };
  }

  async activeRunId(): Promise<string | null> {
    if (this.cached && this.cacheMs > 0 && this.now() - this.cached.at < this.cacheMs) return this.cached.runId;
    let item: Item | undefined;
    try {
      const output = await this.client.send(
        new GetCommand({ TableName: this.table, Key: { ...ACTIVE_POINTER_KEY }, ConsistentRead: true }),
      );
      item = output.Item;
    } catch (error) {
      throw new StorageError('GetActiveRun', `${this.table}: pointer read failed`, { cause: error });
    }
    const runId = typeof item?.runId === 'string' ? item.runId : null;
    this.cached = { runId, at: this.now() };
    return runId;
  }

  async getProfile(profileId: string): Promise<UnifiedProfile | null> {
    const runId = await this.activeRunId();
    if (runId === null) return null;
    try {
      const output = await this.client.send(
        new GetCommand({ TableName: this.table, Key: profileItemKey(profileId, runId), ConsistentRead: true }),
      );
      return output.Item ? parseDoc(output.Item) : null;
    } catch (error) {
      if (error instanceof StorageError) throw error;
      throw new StorageError('GetProfile', `${this.table}: profile read failed`, { cause: error });
    }
  }

  findByEmail(emailMatchKey: string): Promise<UnifiedProfile[]> {
    return this.findBy('email', emailMatchKey);
  }

  findByPhone(e164: string): Promise<UnifiedProfile[]> {
    return this.findBy('phone', e164);
  }

  findByNameKey(nameKey: string): Promise<UnifiedProfile[]> {
    return this.findBy('name', nameKey);
  }

  async deleteRun(runId: string): Promise<number> {
    // Reading the pointer unconditionally (not the cache): deleting the live run would empty every lookup.
    this.cached = undefined;
    if ((await this.activeRunId()) === runId) throw new ActiveRunDeletionError(runId);
    let deleted = 0;
    // Deleted page by page so a run of millions of items never sits in memory. Note the GSI is eventually consistent
    // in DynamoDB: delete a failed run once its writer has stopped, not while it is still writing.
    await this.queryPages(
      'DeleteRun',
      {
        TableName: this.table,
        IndexName: PROFILE_BY_RUN_INDEX.name,
        KeyConditionExpression: 'runId = :run',
        ExpressionAttributeValues: { ':run': runId },
      },
      async (page) => {
        const keys = (page.Items ?? [])
          // The pointer also carries `runId` (so it is in the index); it is never part of a run's data.
          .filter((item) => item.pk !== ACTIVE_POINTER_KEY.pk)
          .map((item) => ({ pk: item.pk as string, sk: item.sk as string }));
        if (keys.length > 0) deleted += (await this.writer.deleteAll(this.table, keys)).items;
      },
    );
    return deleted;
  }

  private async findBy(kind: LookupKind, value: string): Promise<UnifiedProfile[]> {
    const runId = await this.activeRunId();
    if (runId === null || value === '') return [];
    const profileIds: string[] = [];
    await this.queryPages(
      'FindProfiles',
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': lookupPartitionKey(kind, value), ':prefix': `RUN#${runId}#P#` },
        ProjectionExpression: 'profileId',
        ConsistentRead: true,
      },
      async (page) => {
        for (const item of page.Items ?? []) {
          if (typeof item.profileId === 'string') profileIds.push(item.profileId);
        }
      },
    );
    if (profileIds.length === 0) return [];
    const items = await batchGetAll(
      this.client,
      this.table,
      profileIds.map((id) => profileItemKey(id, runId)),
      { consistentRead: true },
    );
    const byId = new Map(items.map((item) => [String(item.pk).slice(2), parseDoc(item)]));
    // Lookup order (sk = profile id order) is stable; BatchGetItem's is not.
    return profileIds.flatMap((id) => {
      const profile = byId.get(id);
      return profile ? [profile] : [];
    });
  }

  private async queryPages(
    operation: string,
    input: QueryCommandInput,
    onPage: (page: QueryCommandOutput) => Promise<void>,
  ): Promise<void> {
    let startKey: Record<string, unknown> | undefined;
    do {
      let page: QueryCommandOutput;
      try {
        page = await this.client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
      } catch (error) {
        throw new StorageError(operation, `${this.table}: query failed`, { cause: error });
      }
      await onPage(page);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
}

/** The profile item and the lookup items of one profile in one run; what `putProfiles` writes and erasure deletes. */
function profileItems(runId: string, profile: UnifiedProfile): Item[] {
  const items: Item[] = [{ ...profileItemKey(profile.profileId, runId), runId, doc: JSON.stringify({ ...profile, runId }) }];
  const lookups: [LookupKind, string[]][] = [
    ['email', profile.keys.emails],
    ['phone', profile.keys.phones],
    ['name', profile.keys.nameKeys],
  ];
  for (const [kind, values] of lookups)
    for (const value of values) {
      if (value === '') continue;
      items.push({ pk: lookupPartitionKey(kind, value), sk: lookupSortKey(runId, profile.profileId), runId, profileId: profile.profileId });
    }
  return items;
}

/**
 * Keyed by pk|sk: a batch with a repeated key is rejected by DynamoDB, and the same lookup key can occur twice in one
 * profile's keys (e.g. an email that normalises to the same match key).
 */
function itemId(item: Item): string {
  return `${String(item.pk)}\u0000${String(item.sk)}`;
}

function parseDoc(item: Item): UnifiedProfile {
  if (typeof item.doc !== 'string') {
    throw new StorageError('ReadProfile', `profile item ${String(item.pk)} has no doc attribute`);
  }
  return JSON.parse(item.doc) as UnifiedProfile;
}
