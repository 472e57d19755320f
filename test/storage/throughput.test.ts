import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import type { UnifiedProfile } from '../../lambdas/core/model/profile';
import { createDocumentClient, createDynamoClient } from '../../lambdas/storage/clients';
import { DynamoProfileStore } from '../../lambdas/storage/dynamo-profile-store';
import { lookupPartitionKey, lookupSortKey, profileItemKey } from '../../lambdas/storage/table-schema';
import { makeProfile, startHarness, type Harness } from './local-harness';

/**
 * putProfiles throughput against raw BatchWriteItem on the same dynalite server. 5,000 profiles are written by
 * putProfiles in 10 calls of 500, each between two raw writes of 250 profiles' items (A-B-A rounds): the table
 * growing and background load (jest runs other suites in parallel, other processes share the CPUs) then weigh on
 * both sides equally, which one long raw phase followed by one long product phase does not guarantee. The assertion
 * is on the median of the per-round ratios, so one round hit by a load spike from another process cannot decide it.
 */
const PROFILES = 5_000;
const ITEMS_PER_PROFILE = 5; // profile item + 1 email + 1 phone + 2 name keys
const ROUNDS = 10;
const RAW_CONCURRENCY = 8; // the writer's default, so the comparison is of overhead, not of parallelism

let harness: Harness;
let raw: DynamoDBClient;
let store: DynamoProfileStore;

beforeAll(async () => {
  harness = await startHarness();
  raw = createDynamoClient(harness.env);
  store = new DynamoProfileStore(createDocumentClient(raw), { tableName: harness.env.CRM_MERGE_PROFILE_TABLE });
});

afterAll(async () => {
  raw?.destroy();
  await harness?.dispose();
});

function profiles(runId: string, count = PROFILES): UnifiedProfile[] {
  return Array.from({ length: count }, (_, index) =>
    makeProfile(`p${index}`, runId, {
      emails: [`user${index}@example.com`],
      phones: [`+1555${String(index).padStart(7, '0')}`],
      nameKeys: [`pat n${index % 500}`, `n${index % 500}`],
    }),
  );
}

/** The same items putProfiles writes, marshalled up front: the raw side pays only for the calls. */
function rawRequests(runId: string, count: number): WriteRequest[] {
  return profiles(runId, count).flatMap((profile) => {
    const lookup = (kind: 'email' | 'phone' | 'name', value: string) => ({
      pk: lookupPartitionKey(kind, value),
      sk: lookupSortKey(runId, profile.profileId),
      runId,
      profileId: profile.profileId,
    });
    return [
      { ...profileItemKey(profile.profileId, runId), runId, doc: JSON.stringify(profile) },
      ...profile.keys.emails.map((value) => lookup('email', value)),
      ...profile.keys.phones.map((value) => lookup('phone', value)),
      ...profile.keys.nameKeys.map((value) => lookup('name', value)),
    ].map((item) => ({ PutRequest: { Item: marshallStrings(item) } }));
  });
}

/** Every attribute here is a string: marshalling by hand keeps the raw side free of any library overhead. */
function marshallStrings(item: Record<string, string>): Record<string, { S: string }> {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, { S: value }]));
}

async function rawWrite(runId: string, count: number): Promise<{ items: number; seconds: number }> {
  const requests = rawRequests(runId, count);
  const table = harness.env.CRM_MERGE_PROFILE_TABLE;
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: RAW_CONCURRENCY }, async () => {
      while (next < requests.length) {
        const chunk = requests.slice(next, next + 25);
        next += 25;
        await raw.send(new BatchWriteItemCommand({ RequestItems: { [table]: chunk } }));
      }
    }),
  );
  return { items: requests.length, seconds: (performance.now() - started) / 1000 };
}

async function productWrite(runId: string, count: number): Promise<{ items: number; seconds: number }> {
  const batch = profiles(runId, count);
  const started = performance.now();
  await store.putProfiles(runId, batch);
  return { items: batch.length * ITEMS_PER_PROFILE, seconds: (performance.now() - started) / 1000 };
}

it('putProfiles writes 5,000 profiles at >= 80% of the raw BatchWriteItem rate', async () => {
  await rawWrite('warm-up', 200);
  const raws: { items: number; seconds: number }[] = [];
  const products: { items: number; seconds: number }[] = [];
  const perRound = PROFILES / ROUNDS;
  for (let round = 0; round < ROUNDS; round += 1) {
    raws.push(await rawWrite(`raw-${round}-a`, perRound / 2));
    products.push(await productWrite(`product-${round}`, perRound));
    raws.push(await rawWrite(`raw-${round}-b`, perRound / 2));
  }

  const rate = (...runs: { items: number; seconds: number }[]): number =>
    runs.reduce((sum, run) => sum + run.items, 0) / runs.reduce((sum, run) => sum + run.seconds, 0);
  const rawRate = rate(...raws);
  const productRate = rate(...products);
  const roundRatios = products.map((run, index) => rate(run) / rate(raws[2 * index], raws[2 * index + 1]));
  const sorted = [...roundRatios].sort((a, b) => a - b);
  const medianRatio = (sorted[ROUNDS / 2 - 1] + sorted[ROUNDS / 2]) / 2;
  console.log(
    `dynalite BatchWriteItem, ${PROFILES} profiles x ${ITEMS_PER_PROFILE} items: raw ${rawRate.toFixed(0)} items/s; ` +
      `putProfiles ${productRate.toFixed(0)} items/s = ${(productRate / ITEMS_PER_PROFILE).toFixed(0)} profiles/s; ` +
      `overall ratio ${(productRate / rawRate).toFixed(2)}, median round ratio ${medianRatio.toFixed(2)} ` +
      `(rounds: ${roundRatios.map((ratio) => ratio.toFixed(2)).join(', ')})`,
  );
  expect(medianRatio).toBeGreaterThanOrEqual(0.8);
});
