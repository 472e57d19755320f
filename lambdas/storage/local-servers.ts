import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import { CrmMergeError } from '../core/errors';
import { makeObjectPutsAtomic } from './s3rver-atomic-puts';

/**
 * The embedded default: real S3 (s3rver) and DynamoDB (dynalite) servers on 127.0.0.1, persisting under one data
 * directory, so the same storage code that runs in AWS runs on a laptop and a later CLI command sees the last run.
 */

export interface LocalServersOptions {
  /** Root of the persisted state: `<dataDir>/s3` (s3rver files) and `<dataDir>/dynamodb` (dynalite LevelDB). */
  dataDir: string;
  /** 0 (default) picks a free port. */
  s3Port?: number;
  dynamoPort?: number;
  /** Silences s3rver's per-request log. Default true. */
  silent?: boolean;
}

export interface LocalServers {
  s3Endpoint: string;
  dynamoEndpoint: string;
  dataDir: string;
  /** Closes both servers and the LevelDB store; safe to call twice. */
  stop(): Promise<void>;
}

/** A local server could not be started (port in use, data directory locked by another process...). */
export class LocalServerError extends CrmMergeError {}

const LOOPBACK = '127.0.0.1';

export async function startLocalServers(options: LocalServersOptions): Promise<LocalServers> {
  const s3Directory = join(options.dataDir, 's3');
  const dynamoDirectory = join(options.dataDir, 'dynamodb');
  await mkdir(s3Directory, { recursive: true });
  await mkdir(dynamoDirectory, { recursive: true });

  const s3 = new S3rver({
    address: LOOPBACK,
    port: options.s3Port ?? 0,
    directory: s3Directory,
    silent: options.silent ?? true,
    // Host-header bucket detection is off: only path-style requests are made, and a hostname like "localhost"
    // must never be mistaken for a bucket name.
    vhostBuckets: false,
  });
  makeObjectPutsAtomic(s3.store);
  let s3Address: AddressInfo;
  try {
    s3Address = await s3.run();
  } catch (error) {
    throw new LocalServerError(`s3rver did not start on ${LOOPBACK}:${options.s3Port ?? 0}`, { cause: error });
  }

  // Tables are usable immediately: the 500 ms CREATING default only slows the first CLI command down.
  const dynamo = dynalite({ path: dynamoDirectory, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  let dynamoAddress: AddressInfo;
  try {
    dynamoAddress = await listen(dynamo, options.dynamoPort ?? 0);
  } catch (error) {
    await closeS3(s3).catch(() => undefined);
    throw new LocalServerError(`dynalite did not start on ${LOOPBACK}:${options.dynamoPort ?? 0}`, { cause: error });
  }

  let stopping: Promise<void> | undefined;
  return {
    s3Endpoint: `http://${LOOPBACK}:${s3Address.port}`,
    dynamoEndpoint: `http://${LOOPBACK}:${dynamoAddress.port}`,
    dataDir: options.dataDir,
    stop() {
      stopping ??= (async () => {
        const results = await Promise.allSettled([closeS3(s3), closeServer(dynamo)]);
        const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
        if (failed) throw new LocalServerError('local servers did not stop cleanly', { cause: failed.reason });
      })();
      return stopping;
    },
  };
}

function listen(server: Server, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

async function closeS3(s3: S3rver): Promise<void> {
  const closing = s3.close();
  // SDK clients keep sockets alive between requests; a graceful close would wait for them to time out.
  s3.httpServer?.closeAllConnections();
  await closing;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    // dynalite's close() stops the HTTP server, then waits for pending LevelDB operations and closes the store
    // (releasing its LOCK file, so the same directory can be reopened in this process).
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

/** Resource names of the embedded default. Fixed, so every CLI invocation finds the previous one's data. */
export interface LocalResourceNames {
  inputBucket: string;
  workBucket: string;
  reportsBucket: string;
  profileTable: string;
  runsTable: string;
}

export const DEFAULT_LOCAL_RESOURCE_NAMES: Readonly<LocalResourceNames> = Object.freeze({
  inputBucket: 'crm-merge-input',
  workBucket: 'crm-merge-work',
  reportsBucket: 'crm-merge-reports',
  profileTable: 'crm-merge-profiles',
  runsTable: 'crm-merge-runs',
});

/** The variables `readEnvironment` (lambdas/config/env.ts) reads, for the embedded servers. */
export interface LocalEnvironmentVariables {
  CRM_MERGE_INPUT_BUCKET: string;
  CRM_MERGE_WORK_BUCKET: string;
  CRM_MERGE_REPORTS_BUCKET: string;
  CRM_MERGE_PROFILE_TABLE: string;
  CRM_MERGE_RUNS_TABLE: string;
  CRM_MERGE_S3_ENDPOINT: string;
  CRM_MERGE_DYNAMODB_ENDPOINT: string;
  AWS_REGION: string;
}

export function localEnvironment(
  servers: Pick<LocalServers, 's3Endpoint' | 'dynamoEndpoint'>,
  names: Partial<LocalResourceNames> = {},
): LocalEnvironmentVariables {
  const resolved = { ...DEFAULT_LOCAL_RESOURCE_NAMES, ...names };
  return {
    CRM_MERGE_INPUT_BUCKET: resolved.inputBucket,
    CRM_MERGE_WORK_BUCKET: resolved.workBucket,
    CRM_MERGE_REPORTS_BUCKET: resolved.reportsBucket,
    CRM_MERGE_PROFILE_TABLE: resolved.profileTable,
    CRM_MERGE_RUNS_TABLE: resolved.runsTable,
    CRM_MERGE_S3_ENDPOINT: servers.s3Endpoint,
    CRM_MERGE_DYNAMODB_ENDPOINT: servers.dynamoEndpoint,
    // The local servers accept any region; a fixed one keeps the embedded setup independent of the user's AWS config.
    AWS_REGION: 'us-east-1',
  };
}
