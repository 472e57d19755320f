import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEnvironment } from '../../lambdas/config/env';
import { createDocumentClient, createDynamoClient, createS3Client } from '../../lambdas/storage/clients';
import { DynamoProfileStore } from '../../lambdas/storage/dynamo-profile-store';
import { DynamoRunStore } from '../../lambdas/storage/dynamo-run-store';
import { ensureLocalResources } from '../../lambdas/storage/local-resources';
import {
  DEFAULT_LOCAL_RESOURCE_NAMES,
  localEnvironment,
  startLocalServers,
  type LocalServers,
} from '../../lambdas/storage/local-servers';
import { S3ObjectStore } from '../../lambdas/storage/s3-object-store';
import { makeProfile } from './local-harness';

let dataDir: string;
const started: LocalServers[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'crm-merge-restart-'));
});

afterAll(async () => {
  await Promise.all(started.map((servers) => servers.stop()));
  await rm(dataDir, { recursive: true, force: true });
});

/** Starts the servers and builds the stores the way a CLI command would, from the environment variables alone. */
async function open() {
  const servers = await startLocalServers({ dataDir });
  started.push(servers);
  const env = readEnvironment({ ...localEnvironment(servers) });
  await ensureLocalResources(env);
  const dynamo = createDynamoClient(env);
  const s3 = createS3Client(env);
  const doc = createDocumentClient(dynamo);
  return {
    servers,
    env,
    objects: new S3ObjectStore(s3),
    profiles: new DynamoProfileStore(doc, { tableName: env.CRM_MERGE_PROFILE_TABLE }),
    runs: new DynamoRunStore(doc, { tableName: env.CRM_MERGE_RUNS_TABLE }),
    async close() {
      dynamo.destroy();
      s3.destroy();
      await servers.stop();
    },
  };
}

describe('embedded local servers', () => {
  it('describes itself with the env.ts variables and the fixed default names', () => {
    const vars = localEnvironment({ s3Endpoint: 'http://127.0.0.1:1', dynamoEndpoint: 'http://127.0.0.1:2' });
    expect(vars).toEqual({
      CRM_MERGE_INPUT_BUCKET: 'crm-merge-input',
      CRM_MERGE_WORK_BUCKET: 'crm-merge-work',
      CRM_MERGE_REPORTS_BUCKET: 'crm-merge-reports',
      CRM_MERGE_PROFILE_TABLE: 'crm-merge-profiles',
      CRM_MERGE_RUNS_TABLE: 'crm-merge-runs',
      CRM_MERGE_S3_ENDPOINT: 'http://127.0.0.1:1',
      CRM_MERGE_DYNAMODB_ENDPOINT: 'http://127.0.0.1:2',
      AWS_REGION: 'us-east-1',
    });
    expect(readEnvironment({ ...vars }).CRM_MERGE_PROFILE_TABLE).toBe(DEFAULT_LOCAL_RESOURCE_NAMES.profileTable);
    expect(localEnvironment({ s3Endpoint: 'http://127.0.0.1:1', dynamoEndpoint: 'http://127.0.0.1:2' }, { runsTable: 'x' }))
      .toMatchObject({ CRM_MERGE_RUNS_TABLE: 'x', CRM_MERGE_PROFILE_TABLE: 'crm-merge-profiles' });
  });

  it('refuses to create resources without local endpoints', async () => {
    const env = readEnvironment({
      CRM_MERGE_INPUT_BUCKET: 'a',
      CRM_MERGE_WORK_BUCKET: 'b',
      CRM_MERGE_REPORTS_BUCKET: 'c',
      CRM_MERGE_PROFILE_TABLE: 'd',
      CRM_MERGE_RUNS_TABLE: 'e',
    });
    await expect(ensureLocalResources(env)).rejects.toMatchObject({ name: 'ConfigurationError' });
  });

  it('keeps objects, profiles, the active run and runs across a restart on the same directory', async () => {
    const first = await open();
    expect(first.servers.s3Endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(first.servers.dynamoEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const report = { bucket: first.env.CRM_MERGE_REPORTS_BUCKET, key: 'reports/run-1/summary.json' };
    await first.objects.putText(report, '{"profiles":1}');
    await first.profiles.putProfiles('run-1', [makeProfile('p1', 'run-1', { emails: ['ann@example.com'] })]);
    await first.profiles.activateRun('run-1', null);
    await first.runs.create({
      runId: 'run-1',
      status: 'succeeded',
      stage: 'finalize',
      startedAt: '2024-03-01T10:00:00.000Z',
      finishedAt: '2024-03-01T10:01:00.000Z',
      clientToken: null,
      sources: [],
      counts: { profiles: 1 },
      timings: {},
      error: null,
      reportPrefix: 'reports/run-1/',
    });
    await first.close();
    // Stopping twice is harmless (afterAll stops everything again).
    await first.servers.stop();

    // Another "CLI command": new servers on new free ports, same data directory; ensureLocalResources is a no-op.
    const second = await open();
    expect(await second.objects.getText(report)).toBe('{"profiles":1}');
    expect(await second.profiles.activeRunId()).toBe('run-1');
    expect((await second.profiles.findByEmail('ann@example.com')).map((profile) => profile.profileId)).toEqual(['p1']);
    expect((await second.runs.recent(5)).map((record) => record.runId)).toEqual(['run-1']);
    await second.close();
  });

  it('replaces an object atomically, as S3 does: a read during an overwrite gets the old body or the new one, never a torn one', async () => {
    const servers = await open();
    const ref = { bucket: servers.env.CRM_MERGE_WORK_BUCKET, key: 'screening/job/job.json' };
    // A short and a long body, so a torn read shows as a length that matches neither.
    const bodies = [JSON.stringify({ status: 'running' }), JSON.stringify({ status: 'succeeded', note: 'x'.repeat(20_000) })];
    await servers.objects.putText(ref, bodies[0]);
    let writing = true;
    const read: string[] = [];
    const writer = (async () => {
      for (let round = 1; round <= 120; round += 1) await servers.objects.putText(ref, bodies[round % 2]);
      writing = false;
    })();
    const reader = async () => {
      while (writing) read.push(await servers.objects.getText(ref));
    };
    await Promise.all([writer, reader(), reader()]);
    expect(read.length).toBeGreaterThan(20);
    expect(read.filter((body) => !bodies.includes(body))).toEqual([]);
    expect(new Set(read)).toEqual(new Set(bodies));
    // Side files of finished writes are gone: the listing holds the one object.
    expect(await servers.objects.list(ref.bucket, 'screening/')).toEqual([ref.key]);
    await servers.close();
  });
});
