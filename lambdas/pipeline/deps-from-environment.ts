import type { Environment } from '../config/env';
import { DynamoProfileStore } from '../storage/dynamo-profile-store';
import { DynamoRunStore } from '../storage/dynamo-run-store';
import { createDocumentClient, createDynamoClient } from '../storage/clients';
import { S3ObjectStore } from '../storage/s3-object-store';
import type { PipelineDeps, PipelineSettings } from './deps';
import { DEFAULT_PIPELINE_SETTINGS } from './settings';

/** The real dependencies, configured only by the environment: AWS in Lambda, loopback servers on a laptop. */
export function pipelineDepsFromEnvironment(env: Environment, settings: Partial<PipelineSettings> = {}): PipelineDeps {
  const documents = createDocumentClient(createDynamoClient(env));
  return {
    objects: S3ObjectStore.fromEnvironment(env),
    profiles: new DynamoProfileStore(documents, { tableName: env.CRM_MERGE_PROFILE_TABLE }),
    runs: new DynamoRunStore(documents, { tableName: env.CRM_MERGE_RUNS_TABLE }),
    buckets: { input: env.CRM_MERGE_INPUT_BUCKET, work: env.CRM_MERGE_WORK_BUCKET, reports: env.CRM_MERGE_REPORTS_BUCKET },
    settings: {
      ...DEFAULT_PIPELINE_SETTINGS,
      staleAfterDays: env.CRM_MERGE_STALE_AFTER_DAYS,
      tombstoneSalt: env.CRM_MERGE_TOMBSTONE_SALT,
      ...settings,
    },
    now: () => new Date(),
  };
}
