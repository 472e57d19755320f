import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import type { Environment } from '../../lambdas/config/env';
import type { UnifiedProfile } from '../../lambdas/core/model/profile';
import { BatchWriter, type Item } from '../../lambdas/storage/batch-writer';
import { createDocumentClient, createDynamoClient } from '../../lambdas/storage/clients';
import { profileTableDefinition } from '../../lambdas/storage/local-resources';
import { lookupPartitionKey, lookupSortKey, profileItemKey } from '../../lambdas/storage/table-schema';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';

/** The items DynamoProfileStore.putProfiles writes for these profiles (profile item + unique lookup items). */
export function profileItems(runId: string, profiles: readonly UnifiedProfile[]): Item[] {
  const items = new Map<string, Item>();
  const add = (item: Item): void => void items.set(`${String(item.pk)}\u0000${String(item.sk)}`, item);
  for (const profile of profiles) {
    add({ ...profileItemKey(profile.profileId, runId), runId, doc: JSON.stringify({ ...profile, runId }) });
    for (const [kind, values] of [
      ['email', profile.keys.emails],
      ['phone', profile.keys.phones],
      ['name', profile.keys.nameKeys],
    ] as const)
      for (const value of values)
        if (value !== '')
          add({ pk: lookupPartitionKey(kind, value), sk: lookupSortKey(runId, profile.profileId), runId, profileId: profile.profileId });
  }
  return [...items.values()];
}

export interface RawWriteRate {
  items: number;
  seconds: number;
  itemsPerSecond: number;
  bytes: number;
}

/**
 * The local DynamoDB server's raw BatchWriteItem rate: the given items (real profile and lookup items, so sizes
 * match publish) written with the same BatchWriter and concurrency the profile store uses, into a scratch table
 * with the profile table's schema (GSI included), nothing else running.
 */
export async function measureRawWriteRate(env: Environment, items: readonly Item[], concurrency: number): Promise<RawWriteRate> {
  const dynamo = createDynamoClient(env);
  const documents = createDocumentClient(dynamo);
  const tableName = `crm-merge-bench-raw-${process.pid}`;
  await dynamo.send(new CreateTableCommand(profileTableDefinition(tableName)));
  try {
    const writer = BatchWriter.forDocumentClient(documents, { concurrency });
    const started = performance.now();
    await writer.putAll(tableName, items);
    const seconds = (performance.now() - started) / 1000;
    let bytes = 0;
    for (const item of items) bytes += JSON.stringify(item).length;
    return { items: items.length, seconds, itemsPerSecond: items.length / seconds, bytes };
  } finally {
    await dynamo.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
    dynamo.destroy();
  }
}
