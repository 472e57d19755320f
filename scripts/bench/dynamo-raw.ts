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

/**
 * An item's size as DynamoDB counts it: per attribute, the UTF-8 length of its name plus its value (strings: UTF-8
 * bytes; numbers: about one byte per two significant digits plus one; booleans and null: one byte).
 */
export function itemBytes(item: Item): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    size += Buffer.byteLength(name, 'utf8');
    if (typeof value === 'string') size += Buffer.byteLength(value, 'utf8');
    else if (typeof value === 'number') size += Math.ceil(String(Math.abs(value)).replace(/[.-]/g, '').length / 2) + 1;
    else size += value === undefined ? 0 : 1;
  }
  return size;
}

/**
 * Write request units of one PutItem/BatchWriteItem put of `item` on the profile table: one per started KB of the
 * item, plus one for its copy in the keys-only GSI "byRun" (every profile and lookup item has `runId`; a keys-only
 * projection is always under 1 KB).
 */
export function writeUnits(item: Item): number {
  return Math.max(1, Math.ceil(itemBytes(item) / 1024)) + (item.runId === undefined ? 0 : 1);
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
