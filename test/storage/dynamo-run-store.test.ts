import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { NotFoundError } from '../../lambdas/core/errors';
import { createDocumentClient, createDynamoClient } from '../../lambdas/storage/clients';
import { DynamoRunStore, RunAlreadyExistsError } from '../../lambdas/storage/dynamo-run-store';
import type { RunRecord } from '../../lambdas/storage/profile-store';
import { startHarness, type Harness } from './local-harness';

let harness: Harness;
let raw: DynamoDBClient;
let runs: DynamoRunStore;

beforeAll(async () => {
  harness = await startHarness();
  raw = createDynamoClient(harness.env);
  runs = new DynamoRunStore(createDocumentClient(raw), { tableName: harness.env.CRM_MERGE_RUNS_TABLE });
});

afterAll(async () => {
  raw?.destroy();
  await harness?.dispose();
});

function run(runId: string, startedAt: string, clientToken: string | null = null): RunRecord {
  return {
    runId,
    status: 'running',
    stage: 'ingest',
    startedAt,
    finishedAt: null,
    clientToken,
    sources: [{ name: 'crm_a', uri: 's3://crm-merge-input/a.csv', mappingUri: 's3://crm-merge-input/a.mapping.json' }],
    counts: {},
    timings: {},
    error: null,
    reportPrefix: null,
  };
}

describe('DynamoRunStore against dynalite', () => {
  it('creates, reads and refuses a duplicate run id', async () => {
    const first = run('r-1', '2024-03-01T10:00:00.000Z', 'token-1');
    await runs.create(first);
    expect(await runs.get('r-1')).toEqual(first);
    expect(await runs.get('r-missing')).toBeNull();
    await expect(runs.create(first)).rejects.toBeInstanceOf(RunAlreadyExistsError);
  });

  it('patches fields without touching the others, and refuses unknown runs', async () => {
    await runs.update('r-1', {
      status: 'succeeded',
      stage: 'finalize',
      finishedAt: '2024-03-01T10:05:00.000Z',
      counts: { records: 1200, profiles: 950 },
      timings: { ingest: 1.5 },
      reportPrefix: 'reports/r-1/',
    });
    expect(await runs.get('r-1')).toEqual({
      ...run('r-1', '2024-03-01T10:00:00.000Z', 'token-1'),
      status: 'succeeded',
      stage: 'finalize',
      finishedAt: '2024-03-01T10:05:00.000Z',
      counts: { records: 1200, profiles: 950 },
      timings: { ingest: 1.5 },
      reportPrefix: 'reports/r-1/',
    });
    await expect(runs.update('r-missing', { status: 'failed' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(runs.update('r-missing', {})).rejects.toBeInstanceOf(NotFoundError);
  });

  it('finds a run by client token, and forgets a token set to null', async () => {
    await runs.create(run('r-2', '2024-03-02T10:00:00.000Z'));
    expect((await runs.findByClientToken('token-1'))?.runId).toBe('r-1');
    expect(await runs.findByClientToken('token-unknown')).toBeNull();
    expect((await runs.get('r-2'))?.clientToken).toBeNull();

    await runs.update('r-2', { clientToken: 'token-2' });
    expect((await runs.findByClientToken('token-2'))?.runId).toBe('r-2');
    await runs.update('r-2', { clientToken: null });
    expect(await runs.findByClientToken('token-2')).toBeNull();
    expect((await runs.get('r-2'))?.clientToken).toBeNull();
  });

  it('lists recent runs newest first, up to the limit', async () => {
    await runs.create(run('r-0', '2024-02-28T09:00:00.000Z'));
    await runs.create(run('r-3', '2024-03-03T08:00:00.000Z'));
    expect((await runs.recent(10)).map((record) => record.runId)).toEqual(['r-3', 'r-2', 'r-1', 'r-0']);
    expect((await runs.recent(2)).map((record) => record.runId)).toEqual(['r-3', 'r-2']);
    expect(await runs.recent(0)).toEqual([]);
    // Full records, not index projections.
    expect((await runs.recent(3))[2]).toMatchObject({ runId: 'r-1', status: 'succeeded', counts: { profiles: 950 } });
  });
});
