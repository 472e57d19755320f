import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { startLocalServers, type LocalServers } from '../../lambdas/storage/local-servers';

/** CPU and memory of the server process, as reported by servers-child.ts (zeros when inline). */
export interface ServerStats {
  cpuSeconds: number;
  rssMb: number;
  maxRssMb: number;
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
    const zero = { cpuSeconds: 0, rssMb: 0, maxRssMb: 0 };
    return { ...servers, mode, stats: async () => zero, stop: async () => (await servers.stop(), zero) };
  }
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(__dirname, 'servers-child.ts'), dataDir],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines: Interface = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const next = (): Promise<string> =>
    new Promise((resolveLine, reject) => {
      waiting.push(resolveLine);
      child.once('exit', (code) => reject(new Error(`bench servers exited with code ${code}`)));
    });
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
