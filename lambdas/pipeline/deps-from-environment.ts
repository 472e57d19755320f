import type { Environment } from '../config/env';
import { ConfigurationError } from '../core/errors';
import { DynamoProfileStore } from '../storage/dynamo-profile-store';
import { DynamoRunStore } from '../storage/dynamo-run-store';
import { createDocumentClient, createDynamoClient } from '../storage/clients';
import { S3ObjectStore } from '../storage/s3-object-store';
import type { PipelineDeps, PipelineSettings } from './deps';
import { DEFAULT_PIPELINE_SETTINGS } from './settings';
import { resolveTombstoneSalt, type SecretFetcher } from './tombstone-salt';

/**
 * The real dependencies, configured only by the environment: AWS in Lambda, loopback servers on a laptop.
 * Synchronous, so it cannot fetch the tombstone salt from Secrets Manager: with CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN set
 * the caller passes the resolved salt as `settings.tombstoneSalt` (what {@link loadPipelineDeps} does), else this
 * throws rather than hash with the public default salt.
 */
export function pipelineDepsFromEnvironment(env: Environment, settings: Partial<PipelineSettings> = {}): PipelineDeps {
  if (env.CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN !== undefined && settings.tombstoneSalt === undefined) {
    throw new ConfigurationError('CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN is set but the salt was not fetched: build the dependencies with loadPipelineDeps');
  }
  const documents = createDocumentClient(createDynamoClient(env));
  return {
    objects: S3ObjectStore.fromEnvironment(env),
    profiles: new DynamoProfileStore(documents, { tableName: env.CRM_MERGE_PROFILE_TABLE }),
    runs: new DynamoRunStore(documents, { tableName: env.CRM_MERGE_RUNS_TABLE }),
    buckets: { input: env.CRM_MERGE_INPUT_BUCKET, work: env.CRM_MERGE_WORK_BUCKET, reports: env.CRM_MERGE_REPORTS_BUCKET },
    settings: {
      ...DEFAULT_PIPELINE_SETTINGS,
      staleAfterDays: env.CRM_MERGE_STALE_AFTER_DAYS,
      ingestThreads: env.CRM_MERGE_INGEST_THREADS,
      tombstoneSalt: env.CRM_MERGE_TOMBSTONE_SALT,
      ...settings,
    },
    now: () => new Date(),
  };
}

/**
 * {@link pipelineDepsFromEnvironment} with the tombstone salt resolved first: CRM_MERGE_TOMBSTONE_SALT as given, or the
 * secret CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN names, fetched once per process (tombstone-salt.ts). What Lambda handlers
 * (handlers/deps.ts) and the CLI (cli/context.ts) build their dependencies with. `fetchSecret` replaces Secrets
 * Manager in tests.
 */
export async function loadPipelineDeps(
  env: Environment,
  settings: Partial<PipelineSettings> = {},
  fetchSecret?: SecretFetcher,
): Promise<PipelineDeps> {
  const tombstoneSalt = settings.tombstoneSalt ?? (await resolveTombstoneSalt(env, fetchSecret));
  return pipelineDepsFromEnvironment(env, tombstoneSalt === undefined ? settings : { ...settings, tombstoneSalt });
}
