/**
 * Child process of `npm run bench`: the embedded default's servers (s3rver + dynalite, lambdas/storage/local-servers)
 * in a process of their own, so the pipeline's memory and CPU figures are the pipeline's, as they would be against
 * S3 and DynamoDB in AWS (the servers still share the machine's two cores with it).
 *
 * Protocol on stdin/stdout, one JSON object per line: prints the endpoints once started; on "stats" prints its CPU
 * seconds and RSS so far; on "stop" (or stdin closing) stops the servers, prints final stats and exits.
 */
import { createInterface } from 'node:readline';
import { startLocalServers } from '../../lambdas/storage/local-servers';

function stats(): { cpuSeconds: number; rssMb: number; maxRssMb: number } {
  const cpu = process.cpuUsage();
  return {
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    rssMb: process.memoryUsage().rss / 1048576,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: servers-child.ts DATA_DIR');
  const servers = await startLocalServers({ dataDir });
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
