import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateTableCommand,
  DescribeTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Environment } from '../config/env';
import { ConfigurationError } from '../core/errors';
import { awsErrorName, createDynamoClient, createS3Client, StorageError } from './clients';
import {
  PROFILE_BY_RUN_INDEX,
  PROFILE_TABLE_KEYS,
  RUNS_BY_CLIENT_TOKEN_INDEX,
  RUNS_BY_RECENCY_INDEX,
  RUNS_TABLE_KEYS,
} from './table-schema';

/**
 * Creates the embedded default's buckets and tables when missing (idempotent: existing ones are left untouched,
 * data included). In AWS the CDK stack owns these resources, so this refuses to run without endpoint overrides:
 * a laptop command must never create buckets or tables in a real account by accident.
 */
export async function ensureLocalResources(env: Environment): Promise<void> {
  if (!env.CRM_MERGE_S3_ENDPOINT || !env.CRM_MERGE_DYNAMODB_ENDPOINT) {
    throw new ConfigurationError(
      'ensureLocalResources needs CRM_MERGE_S3_ENDPOINT and CRM_MERGE_DYNAMODB_ENDPOINT (local servers only)',
    );
  }
  const s3 = createS3Client(env);
  const dynamo = createDynamoClient(env);
  try {
    const buckets = [env.CRM_MERGE_INPUT_BUCKET, env.CRM_MERGE_WORK_BUCKET, env.CRM_MERGE_REPORTS_BUCKET];
    await Promise.all([
      ...[...new Set(buckets)].map((bucket) => ensureBucket(s3, bucket)),
      ensureTable(dynamo, profileTableDefinition(env.CRM_MERGE_PROFILE_TABLE)),
      ensureTable(dynamo, runsTableDefinition(env.CRM_MERGE_RUNS_TABLE)),
    ]);
  } finally {
    s3.destroy();
    dynamo.destroy();
  }
}

/** The profile table of table-schema.ts: pk/sk, keys-only GSI byRun (runId, pk). */
export function profileTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: PROFILE_TABLE_KEYS.partitionKey, AttributeType: 'S' },
      { AttributeName: PROFILE_TABLE_KEYS.sortKey, AttributeType: 'S' },
      { AttributeName: PROFILE_BY_RUN_INDEX.partitionKey, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: PROFILE_TABLE_KEYS.partitionKey, KeyType: 'HASH' },
      { AttributeName: PROFILE_TABLE_KEYS.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: PROFILE_BY_RUN_INDEX.name,
        KeySchema: [
          { AttributeName: PROFILE_BY_RUN_INDEX.partitionKey, KeyType: 'HASH' },
          { AttributeName: PROFILE_BY_RUN_INDEX.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ],
  };
}

/**
 * The runs table of table-schema.ts. The GSIs are keys-only: DynamoRunStore reads full records from the table, so
 * it works with whatever projection the deployed stack chooses, and the local setup exercises the minimal one.
 */
export function runsTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: RUNS_TABLE_KEYS.partitionKey, AttributeType: 'S' },
      { AttributeName: RUNS_BY_RECENCY_INDEX.partitionKey, AttributeType: 'S' },
      { AttributeName: RUNS_BY_RECENCY_INDEX.sortKey, AttributeType: 'S' },
      { AttributeName: RUNS_BY_CLIENT_TOKEN_INDEX.partitionKey, AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: RUNS_TABLE_KEYS.partitionKey, KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [
      {
        IndexName: RUNS_BY_RECENCY_INDEX.name,
        KeySchema: [
          { AttributeName: RUNS_BY_RECENCY_INDEX.partitionKey, KeyType: 'HASH' },
          { AttributeName: RUNS_BY_RECENCY_INDEX.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
      {
        IndexName: RUNS_BY_CLIENT_TOKEN_INDEX.name,
        KeySchema: [{ AttributeName: RUNS_BY_CLIENT_TOKEN_INDEX.partitionKey, KeyType: 'HASH' }],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ],
  };
}

async function ensureBucket(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    const name = awsErrorName(error);
    if (name === 'BucketAlreadyOwnedByYou' || name === 'BucketAlreadyExists') return;
    throw new StorageError('CreateBucket', `bucket ${bucket} could not be created (${name ?? 'unknown'})`, {
      cause: error,
    });
  }
}

async function ensureTable(dynamo: DynamoDBClient, definition: CreateTableCommandInput): Promise<void> {
  const tableName = definition.TableName ?? '';
  try {
    await dynamo.send(new CreateTableCommand(definition));
  } catch (error) {
    // ResourceInUse: the table exists already (an earlier command created it), or is being created concurrently.
    if (awsErrorName(error) !== 'ResourceInUseException') {
      throw new StorageError('CreateTable', `table ${tableName} could not be created`, { cause: error });
    }
  }
  await waitForActive(dynamo, tableName);
}

async function waitForActive(dynamo: DynamoDBClient, tableName: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    if (Date.now() > deadline) {
      throw new StorageError('DescribeTable', `table ${tableName} not ACTIVE after ${timeoutMs} ms`);
    }
    await sleep(50);
  }
}
