/**
 * Child process of `npm run bench`: the embedded default's servers (s3rver + dynalite, lambdas/storage/local-servers)
 * in a process of their own, so the pipeline's memory and CPU figures are the pipeline's, as they would be against
 * S3 and DynamoDB in AWS (the servers still share the machine's two cores with it).
 *
 * It also counts the requests the servers receive, by billing class (S3: PUT-class = PUT, POST, LIST; GET-class =
 * GET, HEAD; DELETE is free) and by DynamoDB operation, so the benchmark can state measured S3 and DynamoDB requests
 * per stage for the AWS cost model (docs/benchmarks.md).
 *
 * Protocol on stdin/stdout, one JSON object per line: prints the endpoints once started; on "stats" prints its CPU
 * seconds, RSS and request counts so far; on "stop" (or stdin closing) stops the servers, prints final stats and
 * exits.
 */
import { Server, type IncomingMessage } from 'node:http';
import { createInterface } from 'node:readline';
import { startLocalServers } from '../../lambdas/storage/local-servers';
import type { RequestCounts } from './servers';

const counts: RequestCounts = { s3Put: 0, s3Get: 0, s3Other: 0, dynamo: {} };
let s3Port = -1;
let dynamoPort = -1;

// Count every request either server receives (both are node:http servers in this process).
const emit = Server.prototype.emit;
Server.prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]): boolean {
  if (event === 'request') {
    const request = args[0] as IncomingMessage;
    const port = request.socket.localPort;
    if (port === s3Port) {
      const method = request.method ?? '';
      const url = request.url ?? '';
      // ListObjects is a GET on the bucket with no key; AWS bills it as a PUT-class (LIST) request.
      const isList = method === 'GET' && /^\/[^/?]+\/?(\?|$)/.test(url);
      if (method === 'PUT' || method === 'POST' || isList) counts.s3Put++;
      else if (method === 'GET' || method === 'HEAD') counts.s3Get++;
      else counts.s3Other++;
    } else if (port === dynamoPort) {
      const target = String(request.headers['x-amz-target'] ?? 'unknown');
      const operation = target.slice(target.indexOf('.') + 1);
      counts.dynamo[operation] = (counts.dynamo[operation] ?? 0) + 1;
    }
  }
  return (emit as (this: Server, event: string | symbol, ...rest: unknown[]) => boolean).call(this, event, ...args);
} as typeof Server.prototype.emit;

function stats(): { cpuSeconds: number; rssMb: number; maxRssMb: number; requests: RequestCounts } {
  const cpu = process.cpuUsage();
  return {
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    rssMb: process.memoryUsage().rss / 1048576,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    requests: { ...counts, dynamo: { ...counts.dynamo } },
  };
}

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: servers-child.ts DATA_DIR');
  const servers = await startLocalServers({ dataDir });
  s3Port = Number(new URL(servers.s3Endpoint).port);
  dynamoPort = Number(new URL(servers.dynamoEndpoint).port);
  const say = (value: unknown, then?: () => void): void => void process.stdout.write(`${JSON.stringify(value)}\n`, then);
  say({ s3Endpoint: servers.s3Endpoint, dynamoEndpoint: servers.dynamoEndpoint });
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await servers.stop().catch(() => undefined);
    say(stats(), () => process.exit(0));
  };
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line.trim() === 'stats') say(stats());
    else if (line.trim() === 'stop') void stop();
  });
  lines.on('close', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
