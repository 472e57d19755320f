import { resolve } from 'node:path';
import { readEnvironment, type Environment } from '../lambdas/config/env';
import type { PipelineDeps, PipelineSettings } from '../lambdas/pipeline/deps';
import { loadPipelineDeps } from '../lambdas/pipeline/deps-from-environment';
import { ensureLocalResources } from '../lambdas/storage/local-resources';
import { localEnvironment, startLocalServers } from '../lambdas/storage/local-servers';

/**
 * Where a CLI command runs. With CRM_MERGE_PROFILE_TABLE set in the environment, against the stack it names
 * (AWS, or any endpoints given by CRM_MERGE_S3_ENDPOINT / CRM_MERGE_DYNAMODB_ENDPOINT). Otherwise the embedded
 * default: dynalite and s3rver on 127.0.0.1, persisting under .crm-merge/ in the project (or CRM_MERGE_DATA_DIR),
 * so a later command sees the last run.
 */
export interface CliContext {
  mode: 'embedded' | 'configured';
  env: Environment;
  deps: PipelineDeps;
  dataDir: string | null;
  close(): Promise<void>;
}

export const PROJECT_ROOT = resolve(__dirname, '..');

export function defaultDataDir(): string {
  return process.env.CRM_MERGE_DATA_DIR ?? resolve(PROJECT_ROOT, '.crm-merge', 'data');
}

export async function openContext(settings: Partial<PipelineSettings> = {}): Promise<CliContext> {
  if (process.env.CRM_MERGE_PROFILE_TABLE) {
    const env = readEnvironment(process.env);
    // With CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN (the stack's TombstoneSaltSecretArn output) the salt is fetched here.
    return { mode: 'configured', env, deps: await loadPipelineDeps(env, settings), dataDir: null, close: async () => {} };
  }
  const dataDir = defaultDataDir();
  const servers = await startLocalServers({ dataDir });
  try {
    const env = readEnvironment({
      ...localEnvironment(servers),
      CRM_MERGE_STALE_AFTER_DAYS: process.env.CRM_MERGE_STALE_AFTER_DAYS,
      CRM_MERGE_INGEST_THREADS: process.env.CRM_MERGE_INGEST_THREADS,
      CRM_MERGE_TOMBSTONE_SALT: process.env.CRM_MERGE_TOMBSTONE_SALT,
      CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN: process.env.CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN,
    });
    await ensureLocalResources(env);
    return {
      mode: 'embedded',
      env,
      deps: await loadPipelineDeps(env, settings),
      dataDir,
      close: () => servers.stop(),
    };
  } catch (error) {
    await servers.stop();
    throw error;
  }
}

/** Opens a context, runs the command, and always closes the servers. */
export async function withContext<T>(
  work: (context: CliContext) => Promise<T>,
  settings: Partial<PipelineSettings> = {},
): Promise<T> {
  const context = await openContext(settings);
  try {
    return await work(context);
  } finally {
    await context.close();
  }
}
