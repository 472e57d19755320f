import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { UnifiedProfile } from '../../lambdas/core/model/profile';
import { createDocumentClient, createDynamoClient } from '../../lambdas/storage/clients';
import {
  ActivationConflictError,
  ActiveRunDeletionError,
  DynamoProfileStore,
} from '../../lambdas/storage/dynamo-profile-store';
import { makeProfile, startHarness, type Harness } from './local-harness';

let harness: Harness;
let raw: DynamoDBClient;
let doc: DynamoDBDocumentClient;
let store: DynamoProfileStore;

beforeAll(async () => {
  harness = await startHarness();
  raw = createDynamoClient(harness.env);
  doc = createDocumentClient(raw);
  store = new DynamoProfileStore(doc, { tableName: harness.env.CRM_MERGE_PROFILE_TABLE });
});

afterAll(async () => {
  raw?.destroy();
  await harness?.dispose();
});

const RUN_1 = 'run-2024-01-01-a';
const RUN_2 = 'run-2024-02-01-b';

const run1Profiles = (): UnifiedProfile[] => [
  makeProfile('p1', RUN_1, { emails: ['ann@example.com'], phones: ['+15550000001'], nameKeys: ['ann smith', 'smith'] }, 'Smith'),
  makeProfile('p2', RUN_1, { emails: ['bob@example.com'], nameKeys: ['bob smith', 'smith'] }, 'Smith'),
];
const run2Profiles = (): UnifiedProfile[] => [
  makeProfile('p1', RUN_2, { emails: ['ann@new.example.com'], phones: ['+15550000001'], nameKeys: ['ann smith', 'smith'] }, 'Smith-Jones'),
  makeProfile('p3', RUN_2, { emails: ['cy@example.com'], nameKeys: ['cy smith', 'smith'] }, 'Smith'),
];

const ids = (profiles: UnifiedProfile[]): string[] => profiles.map((profile) => profile.profileId);

async function itemsOfRun(runId: string): Promise<number> {
  const output = await doc.send(
    new ScanCommand({
      TableName: harness.env.CRM_MERGE_PROFILE_TABLE,
      FilterExpression: 'runId = :run AND pk <> :pointer',
      ExpressionAttributeValues: { ':run': runId, ':pointer': 'ACTIVE' },
    }),
  );
  return output.Items?.length ?? 0;
}

describe('DynamoProfileStore against dynalite', () => {
  it('keeps a run invisible until it is activated', async () => {
    await store.putProfiles(RUN_1, run1Profiles());
    expect(await itemsOfRun(RUN_1)).toBe(9); // 2 profile items + 7 lookups
    expect(await store.activeRunId()).toBeNull();
    expect(await store.getProfile('p1')).toBeNull();
    expect(await store.findByEmail('ann@example.com')).toEqual([]);
    expect(await store.findByNameKey('smith')).toEqual([]);
  });

  it('serves the run after activation, by id, email, phone and name key', async () => {
    await store.activateRun(RUN_1, null);
    expect(await store.activeRunId()).toBe(RUN_1);

    const p1 = await store.getProfile('p1');
    expect(p1).toEqual(run1Profiles()[0]);
    expect(ids(await store.findByEmail('ann@example.com'))).toEqual(['p1']);
    expect(ids(await store.findByPhone('+15550000001'))).toEqual(['p1']);
    expect(ids(await store.findByNameKey('bob smith'))).toEqual(['p2']);
    expect(ids(await store.findByNameKey('smith'))).toEqual(['p1', 'p2']);
    expect(await store.findByEmail('nobody@example.com')).toEqual([]);
    expect(await store.getProfile('p3')).toBeNull();
  });

  it('replaces the active run atomically: readers see all of one run or all of the other', async () => {
    await store.putProfiles(RUN_2, run2Profiles());
    // Written but not active: still run 1 everywhere.
    expect(ids(await store.findByNameKey('smith'))).toEqual(['p1', 'p2']);
    expect((await store.getProfile('p1'))?.name.last?.value).toBe('Smith');

    const observed = new Set<string>();
    let flipped = false;
    const reader = async (): Promise<void> => {
      // Keep reading until a few reads after the flip, recording which run each answer came from.
      for (let afterFlip = 0; afterFlip < 5; ) {
        const found = await store.findByNameKey('smith');
        const runs = new Set(found.map((profile) => profile.runId));
        expect(runs.size).toBe(1);
        const [run] = [...runs];
        expect(ids(found)).toEqual(run === RUN_1 ? ['p1', 'p2'] : ['p1', 'p3']);
        observed.add(run);
        if (flipped) afterFlip += 1;
      }
    };
    const flip = async (): Promise<void> => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await store.activateRun(RUN_2, RUN_1);
      flipped = true;
    };
    await Promise.all([reader(), reader(), flip()]);
    expect(observed).toEqual(new Set([RUN_1, RUN_2]));

    expect(await store.activeRunId()).toBe(RUN_2);
    expect((await store.getProfile('p1'))?.name.last?.value).toBe('Smith-Jones');
    expect(await store.getProfile('p2')).toBeNull();
    expect(ids(await store.findByEmail('ann@new.example.com'))).toEqual(['p1']);
    expect(await store.findByEmail('ann@example.com')).toEqual([]);
  });

  it('refuses a flip whose expected previous run is stale', async () => {
    await store.putProfiles('run-3', [makeProfile('p9', 'run-3', { nameKeys: ['smith'] })]);
    const stale = await store.activateRun('run-3', RUN_1).catch((caught: unknown) => caught);
    expect(stale).toBeInstanceOf(ActivationConflictError);
    expect(stale).toMatchObject({ name: 'ActivationConflictError', runId: 'run-3', expectedPrevious: RUN_1 });
    expect((stale as Error).cause).toBeInstanceOf(Error);
    await expect(store.activateRun('run-3', null)).rejects.toBeInstanceOf(ActivationConflictError);
    expect(await store.activeRunId()).toBe(RUN_2);
  });

  it('deletes only the given run, and never the active one', async () => {
    await expect(store.deleteRun(RUN_2)).rejects.toBeInstanceOf(ActiveRunDeletionError);

    expect(await store.deleteRun(RUN_1)).toBe(9);
    expect(await itemsOfRun(RUN_1)).toBe(0);
    expect(await itemsOfRun(RUN_2)).toBe(9);
    expect(await itemsOfRun('run-3')).toBe(2);
    expect(ids(await store.findByNameKey('smith'))).toEqual(['p1', 'p3']);
    expect(await store.activeRunId()).toBe(RUN_2);

    expect(await store.deleteRun('run-3')).toBe(2);
    expect(await store.deleteRun('run-never-written')).toBe(0);
  });

  it('caches the active run only for the configured time', async () => {
    let now = 1_000_000;
    const cached = new DynamoProfileStore(doc, {
      tableName: harness.env.CRM_MERGE_PROFILE_TABLE,
      activeRunCacheMs: 2_000,
      now: () => now,
    });
    expect(await cached.activeRunId()).toBe(RUN_2);

    await store.putProfiles('run-4', [makeProfile('p1', 'run-4', { nameKeys: ['smith'] })]);
    await store.activateRun('run-4', RUN_2);
    now += 1_999;
    expect(await cached.activeRunId()).toBe(RUN_2);
    now += 1;
    expect(await cached.activeRunId()).toBe('run-4');
  });
});
