import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { startLocalServers, type LocalServers } from '../../lambdas/storage/local-servers';

/** Requests the servers received: S3 by billing class, DynamoDB by operation (servers-child.ts counts them). */
export interface RequestCounts {
  /** PUT, POST (multipart create/complete, batch delete) and LIST requests: S3's PUT-class price. */
  s3Put: number;
  /** GET and HEAD requests: S3's GET-class price. */
  s3Get: number;
  /** DELETE and anything else (not billed). */
  s3Other: number;
  /** DynamoDB calls by operation (BatchWriteItem, Query, PutItem...). */
  dynamo: Record<string, number>;
}

export const NO_REQUESTS: RequestCounts = { s3Put: 0, s3Get: 0, s3Other: 0, dynamo: {} };

/** CPU, memory and requests of the server process, as reported by servers-child.ts (zeros when inline). */
export interface ServerStats {
  cpuSeconds: number;
  rssMb: number;
  maxRssMb: number;
  requests: RequestCounts;
}

export interface BenchServers {
  s3Endpoint: string;
  dynamoEndpoint: string;
  mode: 'child' | 'inline';
  stats(): Promise<ServerStats>;
  stop(): Promise<ServerStats>;
}

/**
 * The embedded default's servers for a benchmark: in a child process (default, so the pipeline's figures are its
 * own) or in this process (what `npm run demo` and the CLI do).
 */
export async function startBenchServers(dataDir: string, mode: 'child' | 'inline'): Promise<BenchServers> {
  if (mode === 'inline') {
    const servers: LocalServers = await startLocalServers({ dataDir });
    const zero: ServerStats = { cpuSeconds: 0, rssMb: 0, maxRssMb: 0, requests: NO_REQUESTS };
    return { ...servers, mode, stats: async () => zero, stop: async () => (await servers.stop(), zero) };
  }
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(__dirname, 'servers-child.ts'), dataDir],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines: Interface = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const waiting: { resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  lines.on('line', (line) => waiting.shift()?.resolve(line));
  // One exit listener for all waiters (a listener per request would pile up over a long run).
  child.once('exit', (code) => {
    for (const waiter of waiting.splice(0)) waiter.reject(new Error(`bench servers exited with code ${code}`));
  });
  const next = (): Promise<string> => new Promise((resolve, reject) => void waiting.push({ resolve, reject }));
  const endpoints = JSON.parse(await next()) as { s3Endpoint: string; dynamoEndpoint: string };
  const ask = async (command: string): Promise<ServerStats> => {
    const reply = next();
    child.stdin?.write(`${command}\n`);
    return JSON.parse(await reply) as ServerStats;
  };
  let stopped: Promise<ServerStats> | undefined;
  return {
    ...endpoints,
    mode,
    stats: () => ask('stats'),
    stop: () => (stopped ??= ask('stop')),
  };
}
