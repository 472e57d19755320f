/**
 * Markdown tables for docs/benchmarks.md from benchmark results (`npm run bench -- --out FILE`):
 *
 *   npx tsx scripts/bench/tables.ts bench-out/bench-500k.json bench-out/bench-1m.json
 *
 * One table per run (per stage: wall time, records/s, CPU seconds, CPU share of two cores, peak memory, pairs/s,
 * requests, load average), then a summary row per run and the scaling ratios between consecutive runs.
 */
import { readFileSync } from 'node:fs';

interface Stage {
  seconds: number;
  recordsPerSecond: number;
  pairsPerSecond?: number;
  profilesPerSecond?: number;
  cpuSeconds: number;
  serverCpuSeconds: number;
  peakRssMb: number;
  peakHeapMb: number;
  workers?: Record<string, number>;
  requests?: { s3Put: number; s3Get: number; dynamo: Record<string, number> };
  loadAverage?: [number, number];
}

interface Result {
  loadAverage: { start: number[]; end: number[] };
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string };
  command: string;
  input: { recordsPerCompany: number; people: number; rows: { total: number }; records: number; partitions: number };
  totalSeconds: number;
  csvToClustersSeconds: number;
  matchingSeconds: number;
  candidatePairs: number;
  pairsPerSecond: Record<string, number>;
  stages: Record<string, Stage>;
  publish: Record<string, number>;
  clusters: { count: number; links: number; refusedJoins: number };
  accuracy: { precision: number; recall: number; f1: number };
  servers: { cpuSeconds: number; maxRssMb: number };
  peakRssMb: number;
}

const int = (value: number | undefined): string => (value === undefined ? '' : Math.round(value).toLocaleString('en-US'));
const one = (value: number): string => value.toFixed(1);

const MATCHING = ['plan', 'route', 'compare', 'train', 'score', 'cluster', 'distribute'];

function table(file: string, r: Result): void {
  const cores = r.machine.cpus;
  console.log(`#### ${int(r.input.recordsPerCompany)} records per company (${file})\n`);
  console.log(
    `${int(r.input.rows.total)} input rows, ${int(r.input.records)} records, ${int(r.input.partitions)} partitions, ` +
      `${int(r.candidatePairs)} candidate pairs, ${int(r.clusters.links)} links, ${int(r.clusters.count)} profiles. ` +
      `Load average at start ${r.loadAverage.start.join(' / ')}, at end ${r.loadAverage.end.join(' / ')}.\n`,
  );
  console.log(
    '| stage | wall s | records/s | CPU s (share of 2 cores) | server CPU s | peak RSS MB (main) | worker peak MB | pairs/s | S3 PUT / GET | load 1m start → end |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const [name, s] of Object.entries(r.stages)) {
    const share = s.seconds > 0 ? (100 * s.cpuSeconds) / (s.seconds * cores) : 0;
    const workers = s.workers ? Object.values(s.workers).join(', ') : '';
    const pairs = s.pairsPerSecond ?? (s.profilesPerSecond !== undefined ? `${int(s.profilesPerSecond)} profiles/s` : undefined);
    console.log(
      `| ${name} | ${one(s.seconds)} | ${int(s.recordsPerSecond)} | ${one(s.cpuSeconds)} (${share.toFixed(0)} %) | ${one(s.serverCpuSeconds)} | ` +
        `${int(s.peakRssMb)} | ${workers} | ${typeof pairs === 'number' ? int(pairs) : (pairs ?? '')} | ` +
        `${s.requests ? `${int(s.requests.s3Put)} / ${int(s.requests.s3Get)}` : ''} | ${s.loadAverage ? s.loadAverage.join(' → ') : ''} |`,
    );
  }
  const p = r.publish;
  const matchingCpu = MATCHING.reduce((sum, stage) => sum + (r.stages[stage]?.cpuSeconds ?? 0), 0);
  console.log(
    `\nCSV to clusters ${one(r.csvToClustersSeconds)} s wall; matching (plan..cluster) ${one(r.matchingSeconds)} s wall, ` +
      `${one(matchingCpu)} s CPU. Pairs per CPU second: compare ${int(r.pairsPerSecond.comparePerCpuSecond)}, score ` +
      `${int(r.pairsPerSecond.scorePerCpuSecond)}, both ${int(r.pairsPerSecond.compareAndScorePerCpuSecond)}; per core of wall ` +
      `time (compare + score) ${int(r.pairsPerSecond.compareAndScorePerCore)}. Publish: ${int(p.profilesPerSecond)} profiles/s, ` +
      `${int(p.itemsPerSecond)} items/s against a raw ${int(p.rawItemsPerSecond)} items/s = ${(100 * p.shareOfRawRate).toFixed(1)} %; ` +
      `${p.writeUnitsPerProfile} WRU per profile (mean profile item ${int(p.meanProfileItemBytes)} bytes). Precision ` +
      `${r.accuracy.precision}, recall ${r.accuracy.recall}, F1 ${r.accuracy.f1}. Bench process peak RSS ${int(r.peakRssMb)} MB, ` +
      `servers ${int(r.servers.maxRssMb)} MB.\n`,
  );
}

function main(): void {
  const files = process.argv.slice(2);
  const results = files.map((file) => [file, JSON.parse(readFileSync(file, 'utf8')) as Result] as const);
  for (const [file, result] of results) table(file, result);
  for (let i = 1; i < results.length; i++) {
    const [, a] = results[i - 1];
    const [, b] = results[i];
    const cpu = (r: Result): number => MATCHING.reduce((sum, stage) => sum + (r.stages[stage]?.cpuSeconds ?? 0), 0);
    console.log(
      `Scaling ${int(a.input.recordsPerCompany)} → ${int(b.input.recordsPerCompany)} (x${(b.input.recordsPerCompany / a.input.recordsPerCompany).toFixed(2)}): ` +
        `matching wall x${(b.matchingSeconds / a.matchingSeconds).toFixed(2)}, matching CPU x${(cpu(b) / cpu(a)).toFixed(2)}, ` +
        `pairs x${(b.candidatePairs / a.candidatePairs).toFixed(2)}; per stage CPU: ` +
        MATCHING.map((stage) => `${stage} x${((b.stages[stage]?.cpuSeconds ?? 0) / (a.stages[stage]?.cpuSeconds || 1)).toFixed(2)}`).join(', '),
    );
  }
}

main();
