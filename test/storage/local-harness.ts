import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEnvironment, type Environment } from '../../lambdas/config/env';
import type { UnifiedProfile } from '../../lambdas/core/model/profile';
import { ensureLocalResources } from '../../lambdas/storage/local-resources';
import { localEnvironment, startLocalServers, type LocalServers } from '../../lambdas/storage/local-servers';

/** Real s3rver + dynalite on free ports in a fresh temp dir, with the default resources created. */
export interface Harness {
  dataDir: string;
  servers: LocalServers;
  env: Environment;
  /** Stops the servers and removes the temp dir. */
  dispose(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'crm-merge-storage-'));
  const servers = await startLocalServers({ dataDir });
  const env = readEnvironment({ ...localEnvironment(servers) });
  await ensureLocalResources(env);
  return {
    dataDir,
    servers,
    env,
    async dispose() {
      await servers.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A small, valid profile; the fields the store indexes are the ones tests vary. */
export function makeProfile(
  profileId: string,
  runId: string,
  keys: Partial<UnifiedProfile['keys']> = {},
  lastName = 'Example',
): UnifiedProfile {
  return {
    profileId,
    runId,
    members: [{ source: 'crm_a', recordId: `a-${profileId}`, company: 'A' }],
    name: {
      preferredFirst: { value: 'Pat', source: 'crm_a', recordId: `a-${profileId}`, date: '2024-01-01' },
      legalFirst: null,
      middle: null,
      last: { value: lastName, source: 'crm_a', recordId: `a-${profileId}`, date: '2024-01-01' },
      suffix: null,
    },
    dateOfBirth: null,
    address: null,
    emails: [],
    phones: [],
    bestEmail: null,
    bestPhone: null,
    relationships: [],
    consent: { optedOut: false, reason: null, source: null, recordId: null, date: null },
    lastActivity: '2024-01-01',
    stale: false,
    keys: { emails: keys.emails ?? [], phones: keys.phones ?? [], nameKeys: keys.nameKeys ?? [] },
    review: [],
  };
}
