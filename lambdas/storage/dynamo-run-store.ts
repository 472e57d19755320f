import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import type { Environment } from '../config/env';
import { NotFoundError } from '../core/errors';
import { batchGetAll, type Item } from './batch-writer';
import { awsErrorName, createDocumentClient, createDynamoClient, StorageError, type ClientOptions } from './clients';
import type { RunRecord, RunStore } from './profile-store';
import { RUNS_BY_CLIENT_TOKEN_INDEX, RUNS_BY_RECENCY_INDEX } from './table-schema';

/** `create` was given a run id that already exists. */
export class RunAlreadyExistsError extends StorageError {
  constructor(
    readonly runId: string,
    options?: { cause?: unknown },
  ) {
    super('CreateRun', `run ${runId} already exists`, options);
  }
}

export interface DynamoRunStoreOptions {
  tableName: string;
}

/** The constant partition of the byRecency index: every run is in it (runs are few; one partition is plenty). */
const RECENCY_PARTITION = 'RUN';

/**
 * `RunStore` on DynamoDB. Index reads go back to the table for the full record (GetItem / BatchGetItem, strongly
 * consistent), so the code does not depend on which attributes the GSIs project.
 * `clientToken: null` is stored as an absent attribute: a GSI key attribute must be a string when present.
 */
export class DynamoRunStore implements RunStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly options: DynamoRunStoreOptions,
  ) {}

  static fromEnvironment(env: Environment, clientOptions?: ClientOptions): DynamoRunStore {
    const client = createDocumentClient(createDynamoClient(env, clientOptions));
    return new DynamoRunStore(client, { tableName: env.CRM_MERGE_RUNS_TABLE });
  }

  private get table(): string {
    return this.options.tableName;
  }

  async create(run: RunRecord): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: toItem(run),
          ConditionExpression: 'attribute_not_exists(runId)',
        }),
      );
    } catch (error) {
      if (awsErrorName(error) === 'ConditionalCheckFailedException') throw new RunAlreadyExistsError(run.runId, { cause: error });
      throw new StorageError('CreateRun', `${this.table}: write of run ${run.runId} failed`, { cause: error });
    }
  }

  async get(runId: string): Promise<RunRecord | null> {
    try {
      const output = await this.client.send(new GetCommand({ TableName: this.table, Key: { runId }, ConsistentRead: true }));
      return output.Item ? fromItem(output.Item) : null;
    } catch (error) {
      throw new StorageError('GetRun', `${this.table}: read of run ${runId} failed`, { cause: error });
    }
  }

  async update(runId: string, patch: Partial<Omit<RunRecord, 'runId'>>): Promise<void> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets: string[] = [];
    const removes: string[] = [];
    let index = 0;
    for (const [field, value] of Object.entries(patch) as [string, unknown][]) {
      if (value === undefined || field === 'runId') continue;
      const name = `#f${index}`;
      names[name] = field;
      // null clientToken means "no token": remove it so the item leaves the byClientToken index.
      if (field === 'clientToken' && value === null) {
        removes.push(name);
      } else {
        values[`:v${index}`] = value;
        sets.push(`${name} = :v${index}`);
      }
      index += 1;
    }
    if (sets.length === 0 && removes.length === 0) {
      if ((await this.get(runId)) === null) throw new NotFoundError(`run ${runId} does not exist`);
      return;
    }
    names['#runId'] = 'runId';
    const expression = [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : '']
      .filter(Boolean)
      .join(' ');
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { runId },
          UpdateExpression: expression,
          ConditionExpression: 'attribute_exists(#runId)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: Object.keys(values).length ? values : undefined,
        }),
      );
    } catch (error) {
      if (awsErrorName(error) === 'ConditionalCheckFailedException') {
        throw new NotFoundError(`run ${runId} does not exist`, { cause: error });
      }
      throw new StorageError('UpdateRun', `${this.table}: update of run ${runId} failed`, { cause: error });
    }
  }

  async findByClientToken(token: string): Promise<RunRecord | null> {
    const runIds = await this.queryRunIds('FindRunByClientToken', {
      IndexName: RUNS_BY_CLIENT_TOKEN_INDEX.name,
      KeyConditionExpression: 'clientToken = :token',
      ExpressionAttributeValues: { ':token': token },
    });
    if (runIds.length === 0) return null;
    // A token maps to one run unless two starts raced past the idempotency check; the earliest run is the answer
    // both callers should converge on.
    const runs = await this.getMany(runIds);
    runs.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.runId.localeCompare(b.runId));
    return runs[0] ?? null;
  }

  async recent(limit: number): Promise<RunRecord[]> {
    if (limit <= 0) return [];
    const runIds = await this.queryRunIds(
      'RecentRuns',
      {
        IndexName: RUNS_BY_RECENCY_INDEX.name,
        KeyConditionExpression: 'gsiPk = :partition',
        ExpressionAttributeValues: { ':partition': RECENCY_PARTITION },
        ScanIndexForward: false,
      },
      limit,
    );
    const runs = await this.getMany(runIds);
    const order = new Map(runIds.map((id, position) => [id, position]));
    return runs.sort((a, b) => (order.get(a.runId) ?? 0) - (order.get(b.runId) ?? 0));
  }

  private async getMany(runIds: string[]): Promise<RunRecord[]> {
    const items = await batchGetAll(
      this.client,
      this.table,
      runIds.map((runId) => ({ runId })),
      { consistentRead: true },
    );
    return items.map(fromItem);
  }

  private async queryRunIds(
    operation: string,
    input: {
      IndexName: string;
      KeyConditionExpression: string;
      ExpressionAttributeValues: Record<string, string>;
      ScanIndexForward?: boolean;
    },
    limit = Number.POSITIVE_INFINITY,
  ): Promise<string[]> {
    const runIds: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      let page: QueryCommandOutput;
      try {
        page = await this.client.send(
          new QueryCommand({
            TableName: this.table,
            ...input,
            ProjectionExpression: 'runId',
            Limit: Number.isFinite(limit) ? Math.min(limit - runIds.length, 1000) : undefined,
            ExclusiveStartKey: startKey,
          }),
        );
      } catch (error) {
        throw new StorageError(operation, `${this.table}: index query failed`, { cause: error });
      }
      for (const item of page.Items ?? []) {
        if (typeof item.runId === 'string') runIds.push(item.runId);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey && runIds.length < limit);
    return runIds.slice(0, Number.isFinite(limit) ? limit : undefined);
  }
}

function toItem(run: RunRecord): Item {
  const { clientToken, ...rest } = run;
  return { ...rest, ...(clientToken === null ? {} : { clientToken }), gsiPk: RECENCY_PARTITION };
}

function fromItem(item: Item): RunRecord {
  const { gsiPk: _partition, clientToken, ...rest } = item;
  void _partition;
  return { ...(rest as Omit<RunRecord, 'clientToken'>), clientToken: typeof clientToken === 'string' ? clientToken : null };
}
