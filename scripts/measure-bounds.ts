/**
 * Measures the bounds the README's "Partitioning" section states:
 *
 *   npx tsx scripts/measure-bounds.ts payload             state bytes of a plan / cluster result per partition count
 *   npx tsx scripts/measure-bounds.ts cluster             peak memory of clustering per million links and records
 *   npx tsx scripts/measure-bounds.ts plan [PEOPLE]      peak memory of the plan and route stages per partition count
 *   npx tsx scripts/measure-bounds.ts partition [PEOPLE [RECORDS_PER_PARTITION [JOBS]]]
 *                                                        records, peak memory and time of each compare / score job
 *                                                        and of the cluster and distribute stages; with JOBS, only
 *                                                        the JOBS largest partitions are run (and cluster is skipped)
 *
 * Memory is the peak resident set size (`process.resourceUsage().maxRSS`) of a fresh child process per measurement,
 * so one measurement never inherits another's heap. The partition measurement runs the real stage handlers
 * (lambdas/handlers/*.ts) in child processes against local S3 and DynamoDB served by this process.
 *
 *   npx tsx scripts/measure-bounds.ts jobs DATA_DIR RUN_ID [JOBS [cluster]]
 *                                                        the JOBS (default 2) largest compare and score jobs of a run
 *                                                        kept by `npm run bench -- --keep` (DATA_DIR is the kept
 *                                                        server data directory), each in a fresh process; with
 *                                                        "cluster", the cluster stage and each source's distribute
 *                                                        job too (they rewrite the run's assignments and chunk files;
 *                                                        cluster carries ids over from the active run, which is the
 *                                                        kept run itself: a re-run's memory)
 *
 * BOUNDS_MEMORY_CGROUP=/sys/fs/cgroup/memory/NAME (cgroup v1, Linux, root): every child runs inside that memory
 * cgroup, so its limit (memory.limit_in_bytes, e.g. 1769 MB as a compare Lambda) is enforced as Lambda enforces
 * the function's memory, and Node sizes its heap from it as it does in Lambda. A child over the limit is killed.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { clusterRecords, type WeightedLink } from '../lambdas/core/matching/cluster';
import { StringIndex } from '../lambdas/core/string-index';
import { readEnvironment } from '../lambdas/config/env';
import type { DistributeEvent, IngestResult, PartitionRef, PlanEvent, SourceInput } from '../lambdas/pipeline/contracts';
import type { PipelineDeps } from '../lambdas/pipeline/deps';
import { pipelineDepsFromEnvironment } from '../lambdas/pipeline/deps-from-environment';
import { readNdjsonLines } from '../lambdas/pipeline/ndjson';
import { DEFAULT_PIPELINE_SETTINGS } from '../lambdas/pipeline/settings';
import { ingestSource } from '../lambdas/pipeline/stages/ingest';
import { distributionOf, type ClusterSummary } from '../lambdas/pipeline/stages/cluster';
import { loadPlan } from '../lambdas/pipeline/stages/compare';
import { planPartitions } from '../lambdas/pipeline/stages/plan';
import { routeSource } from '../lambdas/pipeline/stages/route';
import { trainRunModel } from '../lambdas/pipeline/stages/train';
import { workKeys } from '../lambdas/pipeline/work-keys';
import { ensureLocalResources } from '../lambdas/storage/local-resources';
import { localEnvironment, startLocalServers } from '../lambdas/storage/local-servers';
import { generateSample } from './sample';

const MiB = 1024 * 1024;
/** The Step Functions limit on a state's input or output (and an execution's input). */
export const STATE_PAYLOAD_LIMIT = 256 * 1024;

const mb = (bytes: number): string => `${Math.round(bytes / MiB)} MB`;

/** Peak RSS of this process so far, bytes. */
const peakRss = (): number => process.resourceUsage().maxRSS * 1024;

/** Runs this script in a fresh Node process (same loader flags) and returns the JSON it prints last. */
function child<T>(args: string[], env: NodeJS.ProcessEnv = process.env, nodeFlags: string[] = []): Promise<T> {
  return new Promise((resolvePromise, reject) => {
    const argv = [...process.execArgv, ...nodeFlags, '--expose-gc', __filename, ...args];
    const cgroup = process.env.BOUNDS_MEMORY_CGROUP;
    // In a memory cgroup: the shell joins it, then becomes the node process (exec), so only the child is limited.
    const proc = cgroup
      ? spawn('/bin/sh', ['-c', 'echo $$ > "$0/cgroup.procs" && exec "$@"', cgroup, process.execPath, ...argv], {
          env,
          stdio: ['ignore', 'pipe', 'inherit'],
        })
      : spawn(process.execPath, argv, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (data: Buffer) => (out += data.toString()));
    proc.on('error', reject);
    proc.on('close', (code, signal) => {
      if (code !== 0) return reject(new Error(`child ${args[0]} exited with ${signal ?? code}`));
      const last = out.trim().split('\n').pop() as string;
      resolvePromise(JSON.parse(last) as T);
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// payload: the biggest state of an execution is after Cluster: input + $.ingested + $.plan + $.train + $.cluster.
// ---------------------------------------------------------------------------------------------------------------

/** The execution state after the Cluster state, as the definition builds it, for the given sizes. */
export function stateAfterCluster(runId: string, partitions: number, chunks: number, sourceCount = 2): unknown {
  const sources: SourceInput[] = Array.from({ length: sourceCount }, (_, i) => ({
    name: `source-${i}`,
    uri: `s3://crm-merge-input-123456789012-us-east-1/inputs/${runId}/source-${i}/export-2025-01-01.csv`,
    mappingUri: `s3://crm-merge-input-123456789012-us-east-1/inputs/${runId}/source-${i}.mapping.json`,
  }));
  const ingested: IngestResult[] = sources.map((source) => ({
    source: source.name,
    company: source.name,
    identifiers: ['loyalty'],
    rowsRead: 12_345_678,
    rowsRejected: 12_345,
    recordsKey: workKeys.records(runId, source.name),
    rejectsKey: workKeys.rejects(runId, source.name),
  }));
  const partitionRefs: PartitionRef[] = Array.from({ length: partitions }, (_, partition) => ({
    runId,
    partition,
    key: workKeys.partition(runId, partition),
  }));
  return {
    runId,
    sources,
    ingested,
    plan: { records: 123_456_789, routes: sources.map((source) => ({ runId, source: source.name })), partitions: partitionRefs },
    train: { modelKey: workKeys.model(runId), matchWeightThreshold: 12.345678901234 },
    cluster: { clusters: 123_456_789, ...distributionOf(runId, sources.map((source) => source.name), chunks) },
  };
}

const bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

function measurePayload(): void {
  const runIds = {
    'CLI run id (27 chars)': 'run-20250301T101500Z-a1b2c3',
    'UUID run id (36 chars)': '0f8fad5b-d9cb-469f-a165-70867728950e',
  };
  console.log('PlanResult.partitions (the Distributed Maps\' items) and the whole state after Cluster, JSON bytes:\n');
  console.log('| run id | partitions | plan result | per partition | + chunks | state after Cluster | of 256 KiB |');
  console.log('|---|---|---|---|---|---|---|');
  for (const [label, runId] of Object.entries(runIds)) {
    for (const [partitions, chunks] of [
      [100, 50],
      [500, 250],
      [1000, 500],
      [2000, 0],
      [2000, 1000],
    ]) {
      const plan = bytes({ runId, records: 123_456_789, partitions: (stateAfterCluster(runId, partitions, 0) as { plan: { partitions: unknown } }).plan.partitions });
      const state = bytes(stateAfterCluster(runId, partitions, chunks));
      console.log(
        `| ${label} | ${partitions} | ${plan} | ${(plan / partitions).toFixed(0)} | ${chunks} | ${state} | ${((100 * state) / STATE_PAYLOAD_LIMIT).toFixed(0)} % |`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// cluster: clusterRecords over synthetic links, with the cluster stage's own record index (a StringIndex of keys).
// ---------------------------------------------------------------------------------------------------------------

interface ClusterMeasurement {
  records: number;
  links: number;
  peakRss: number;
  heapAfterInputs: number;
  ms: number;
  clusters: number;
  refused: number;
}

/** Deterministic 32-bit PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function clusterChild(records: number, linkCount: number): ClusterMeasurement {
  const random = prng(records ^ linkCount);
  // As clusterRun holds them: every record key ("source:recordId"), numbered; each looked up once, as an edge would.
  const keys = new StringIndex(records);
  const keyOf = (i: number): string => `${i % 2 === 0 ? 'telco' : 'satellite'}:${String(100_000_000 + i)}`;
  for (let i = 0; i < records; i++) keys.add(keyOf(i));
  for (let i = 0; i < records; i++) if (keys.indexOf(keyOf(i)) !== i) throw new Error(`record ${i} is numbered ${keys.indexOf(keyOf(i))}`);
  // People of g consecutive records, every pair of a person linked (g(g-1)/2 links per g records), so the links per
  // record set g and no join hits the size cap; one link in fifty also has a "clearly different" pair next to it, as
  // the score stage's apart lines. Weights are random, so links are joined in no particular order.
  const links: WeightedLink[] = [];
  const apart: [number, number][] = [];
  const group = Math.max(2, Math.round((2 * linkCount) / records + 1));
  for (let start = 0; start + group <= records && links.length < linkCount; start += group)
    for (let a = start; a < start + group && links.length < linkCount; a++)
      for (let b = a + 1; b < start + group && links.length < linkCount; b++) {
        links.push({ left: a, right: b, weight: 5 + random() * 30 });
        if (links.length % 50 === 0 && start + group < records) apart.push([a, start + group]);
      }
  (globalThis as { gc?: () => void }).gc?.();
  const heapAfterInputs = process.memoryUsage().heapUsed;
  const started = performance.now();
  const { clusters, refused } = clusterRecords(records, links, apart, DEFAULT_PIPELINE_SETTINGS.link.cluster);
  const ms = Math.round(performance.now() - started);
  return { records: keys.size, links: linkCount, peakRss: peakRss(), heapAfterInputs, ms, clusters: clusters.length, refused: refused.length };
}

async function measureCluster(): Promise<void> {
  const M = 1_000_000;
  const runs: ClusterMeasurement[] = [];
  for (const [records, links] of [
    [M, 0],
    [M, M],
    [M, 2 * M],
    [M, 4 * M],
    [2 * M, 2 * M],
    [4 * M, 4 * M],
    [8 * M, 8 * M],
    // Past V8's 2^24 (16.8M) entries in a Map, which the stage's record index was until round 13: 10M per company.
    [20 * M, 15 * M],
  ]) {
    // The heap a 10,240 MB cluster Lambda gives Node, so the largest case is not cut off by this machine's default.
    const result = await child<ClusterMeasurement>(['cluster-child', String(records), String(links)], process.env, ['--max-old-space-size=9216']);
    runs.push(result);
    console.log(
      `records ${records / M}M, links ${links / M}M: peak RSS ${mb(result.peakRss)}, heap with inputs ${mb(result.heapAfterInputs)}, ` +
        `clusterRecords ${result.ms} ms (${result.clusters} clusters, ${result.refused} refused)`,
    );
  }
  const at = (records: number, links: number): number =>
    (runs.find((r) => r.records === records && r.links === links) as ClusterMeasurement).peakRss;
  console.log(`\nper million links (1M records, 1M -> 4M links): ${mb((at(M, 4 * M) - at(M, M)) / 3)}`);
  console.log(`per million records (1M -> 2M records, links fixed at 2M): ${mb(at(2 * M, 2 * M) - at(M, 2 * M))}`);
  console.log(`per million records + million links (4M/4M -> 8M/8M): ${mb((at(8 * M, 8 * M) - at(4 * M, 4 * M)) / 4)}`);
}

// ---------------------------------------------------------------------------------------------------------------
// partition: the real compare and score handlers on one default-sized partition, each in a fresh process.
// ---------------------------------------------------------------------------------------------------------------

interface StageMeasurement {
  peakRss: number;
  ms: number;
  result: unknown;
}

async function stageChild(stage: string, event: string): Promise<StageMeasurement> {
  const module = (await import(`../lambdas/handlers/${stage}`)) as { handler: (event: unknown) => Promise<unknown> };
  const started = performance.now();
  const result = await module.handler(JSON.parse(event));
  return { peakRss: peakRss(), ms: Math.round(performance.now() - started), result };
}

interface IngestedSample {
  deps: PipelineDeps;
  /** The local environment as strings, for child processes. */
  childEnv: NodeJS.ProcessEnv;
  runId: string;
  ingested: IngestResult[];
}

/** Local servers in a temp dir, a generated sample of `people` ingested into run "bounds"; cleaned up afterwards. */
async function withIngestedSample(people: number, work: (sample: IngestedSample) => Promise<void>): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'crm-merge-bounds-'));
  const servers = await startLocalServers({ dataDir });
  try {
    const env = readEnvironment({ ...localEnvironment(servers) });
    await ensureLocalResources(env);
    const childEnv: NodeJS.ProcessEnv = { ...process.env };
    for (const [name, value] of Object.entries(env)) if (value !== undefined) childEnv[name] = String(value);
    const deps = pipelineDepsFromEnvironment(env);
    const sample = generateSample({ seed: 5, people });
    const sources: SourceInput[] = [];
    for (const [name, csv] of [
      ['telco', sample.telcoCsv],
      ['satellite', sample.satelliteCsv],
    ] as const) {
      const bucket = deps.buckets.input;
      await deps.objects.putText({ bucket, key: `${name}.csv` }, csv, 'text/csv');
      const mapping = readFileSync(resolve(__dirname, '..', 'examples', 'sample', `${name}.mapping.json`), 'utf8');
      await deps.objects.putText({ bucket, key: `${name}.mapping.json` }, mapping, 'application/json');
      sources.push({ name, uri: `s3://${bucket}/${name}.csv`, mappingUri: `s3://${bucket}/${name}.mapping.json` });
    }
    const runId = 'bounds';
    const ingested: IngestResult[] = [];
    for (const source of sources) ingested.push(await ingestSource(deps, { runId, source }));
    await work({ deps, childEnv, runId, ingested });
  } finally {
    await servers.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The plan stage in a fresh process with the given partition size. */
function planChild(sample: IngestedSample, recordsPerPartition: number): Promise<StageMeasurement> {
  const event = { runId: sample.runId, ingested: sample.ingested };
  return child<StageMeasurement>(['plan-child', JSON.stringify(event), String(recordsPerPartition)], sample.childEnv);
}

async function measurePlan(people: number): Promise<void> {
  await withIngestedSample(people, async (sample) => {
    const records = sample.ingested.reduce((sum, source) => sum + source.rowsRead - source.rowsRejected, 0);
    console.log(`${people} people, ${records} records; plan and its route jobs (one process) at several partition counts:`);
    const runs: { partitions: number; peakRss: number }[] = [];
    for (const recordsPerPartition of [1_000_000_000, 250_000, 100_000, 50_000, 25_000, 12_500]) {
      const measured = await planChild(sample, recordsPerPartition);
      const { partitions } = measured.result as { partitions: number };
      runs.push({ partitions, peakRss: measured.peakRss });
      console.log(`  ${partitions} partitions (recordsPerPartition ${recordsPerPartition}): peak RSS ${mb(measured.peakRss)}, ${measured.ms} ms`);
    }
    const [first, last] = [runs[0], runs[runs.length - 1]];
    console.log(`per open partition writer: ${((last.peakRss - first.peakRss) / (last.partitions - first.partitions) / MiB).toFixed(1)} MB`);
  });
}

/** Lines (records) per partition, over its parts, counted without parsing them. */
async function partitionSizes(deps: PipelineDeps, runId: string, partitions: number): Promise<Map<number, number>> {
  const { sources } = await loadPlan(deps, runId);
  const sizes = new Map<number, number>();
  for (let partition = 0; partition < partitions; partition++) {
    let lines = 0;
    for (const key of workKeys.partitionParts(runId, partition, sources))
      for await (const _line of readNdjsonLines(deps.objects, { bucket: deps.buckets.work, key })) lines++;
    sizes.set(partition, lines);
  }
  return sizes;
}

/** "min, median, max records per partition; copies per record". */
function describeSizes(sizes: Map<number, number>, records: number): string {
  const sorted = [...sizes.values()].sort((a, b) => a - b);
  const routed = sorted.reduce((sum, n) => sum + n, 0);
  return (
    `records per partition: min ${sorted[0]}, median ${sorted[Math.floor(sorted.length / 2)]}, max ${sorted[sorted.length - 1]}; ` +
    `records routed ${routed} (${(routed / records).toFixed(2)} copies per record)`
  );
}

/** The cluster stage over the whole run in a fresh process, with what it clustered; then each source's distribute job. */
async function measureClusterStage(deps: PipelineDeps, runId: string, childEnv: NodeJS.ProcessEnv, label: string): Promise<void> {
  const cluster = await child<StageMeasurement>(['stage-child', 'cluster', JSON.stringify({ runId })], childEnv);
  const summary = JSON.parse(
    await deps.objects.getText({ bucket: deps.buckets.work, key: workKeys.clusterSummary(runId) }),
  ) as ClusterSummary;
  console.log(
    `cluster (${label}): ${summary.records} records, ${summary.links} links, ${summary.reviewPairs} review and ` +
      `${summary.clearlyDifferentPairs} clearly-different pairs, ${summary.chunks} chunks: peak RSS ${mb(cluster.peakRss)}, ${cluster.ms} ms`,
  );
  for (const source of (await loadPlan(deps, runId)).sources) {
    const event: DistributeEvent = { runId, source, chunks: summary.chunks };
    const measured = await child<StageMeasurement>(['stage-child', 'distribute', JSON.stringify(event)], childEnv);
    console.log(`distribute (${label}) ${source}: ${JSON.stringify(measured.result)}, peak RSS ${mb(measured.peakRss)}, ${measured.ms} ms`);
  }
}

async function measurePartition(people: number, recordsPerPartition: number, maxJobs = Infinity): Promise<void> {
  await withIngestedSample(people, async (sample) => {
    const { deps, childEnv, runId } = sample;
    const planned = await planChild(sample, recordsPerPartition);
    const { records, partitions } = planned.result as { records: number; partitions: number };
    console.log(
      `${people} people, ${records} records -> ${partitions} partition(s) at recordsPerPartition ${recordsPerPartition}; ` +
        `plan: peak RSS ${mb(planned.peakRss)}, ${planned.ms} ms`,
    );
    const refs: PartitionRef[] = Array.from({ length: partitions }, (_, partition) => ({
      runId,
      partition,
      key: workKeys.partition(runId, partition),
    }));
    // Each partition job in a fresh process, as one Lambda invocation per Distributed Map item.
    const jobs: { stage: string; lines: number; measured: StageMeasurement }[] = [];
    const linesOf = await partitionSizes(deps, runId, partitions);
    const run = async (stage: string, ref: PartitionRef): Promise<void> => {
      const measured = await child<StageMeasurement>(['stage-child', stage, JSON.stringify(ref)], childEnv);
      const lines = linesOf.get(ref.partition) as number;
      jobs.push({ stage, lines, measured });
      console.log(
        `${stage} partition ${ref.partition}: ${lines} records, peak RSS ${mb(measured.peakRss)}, ${measured.ms} ms, ` +
          JSON.stringify(measured.result),
      );
    };
    // The largest partitions first: with JOBS, those are the ones measured (the bound is about the largest job).
    const measured = [...refs].sort((a, b) => (linesOf.get(b.partition) as number) - (linesOf.get(a.partition) as number)).slice(0, maxJobs);
    console.log(describeSizes(linesOf, records));
    for (const ref of measured) await run('compare', ref);
    // With JOBS, score's model is trained on the measured partitions' histograms only (good enough for memory and time).
    await trainRunModel(deps, { runId });
    for (const ref of measured) await run('score', ref);
    if (measured.length === refs.length) await measureClusterStage(deps, runId, childEnv, 'whole run');
    for (const stage of ['compare', 'score']) {
      const worst = jobs.filter((job) => job.stage === stage).sort((a, b) => b.measured.peakRss - a.measured.peakRss)[0];
      console.log(`largest ${stage} job: ${worst.lines} records, peak RSS ${mb(worst.measured.peakRss)}, ${worst.measured.ms} ms`);
    }
  });
}

/** Compare and score jobs of an existing run (a kept benchmark's data directory), largest partitions first. */
async function measureKeptJobs(dataDir: string, runId: string, maxJobs: number, withCluster: boolean): Promise<void> {
  const servers = await startLocalServers({ dataDir });
  try {
    const env = readEnvironment({ ...localEnvironment(servers) });
    const childEnv: NodeJS.ProcessEnv = { ...process.env };
    for (const [name, value] of Object.entries(env)) if (value !== undefined) childEnv[name] = String(value);
    const deps = pipelineDepsFromEnvironment(env);
    const plan = JSON.parse(await deps.objects.getText({ bucket: deps.buckets.work, key: workKeys.plan(runId) })) as {
      records: number;
      partitions: number;
    };
    const lines = await partitionSizes(deps, runId, plan.partitions);
    console.log(`${runId}: ${plan.records} records, ${plan.partitions} partitions; ${describeSizes(lines, plan.records)}`);
    const largest = [...lines.keys()].sort((a, b) => (lines.get(b) as number) - (lines.get(a) as number)).slice(0, maxJobs);
    for (const stage of ['compare', 'score'])
      for (const partition of largest) {
        const ref: PartitionRef = { runId, partition, key: workKeys.partition(runId, partition) };
        const measured = await child<StageMeasurement>(['stage-child', stage, JSON.stringify(ref)], childEnv);
        console.log(
          `${stage} partition ${partition}: ${lines.get(partition)} records, peak RSS ${mb(measured.peakRss)}, ${measured.ms} ms, ` +
            JSON.stringify(measured.result),
        );
      }
    if (withCluster) await measureClusterStage(deps, runId, childEnv, 'whole run, re-run over the active run');
  } finally {
    await servers.stop();
  }
}

async function main(): Promise<void> {
  const [mode, ...args] = process.argv.slice(2);
  switch (mode) {
    case 'payload':
      return measurePayload();
    case 'cluster':
      return measureCluster();
    case 'cluster-child':
      return void console.log(JSON.stringify(clusterChild(Number(args[0]), Number(args[1]))));
    case 'partition':
      return measurePartition(
        Number(args[0] ?? 160_000),
        Number(args[1] ?? DEFAULT_PIPELINE_SETTINGS.recordsPerPartition),
        args[2] === undefined ? Infinity : Number(args[2]),
      );
    case 'jobs':
      return measureKeptJobs(args[0], args[1], Number(args[2] ?? 2), args[3] === 'cluster');
    case 'plan':
      return measurePlan(Number(args[0] ?? 160_000));
    case 'plan-child': {
      console.log = (...values: unknown[]) => console.error(...values);
      const deps = pipelineDepsFromEnvironment(readEnvironment(), { recordsPerPartition: Number(args[1]) });
      const started = performance.now();
      const plan = await planPartitions(deps, JSON.parse(args[0]) as PlanEvent);
      // Route jobs one after another in this process: the peak is the larger of plan's and one route job's.
      for (const route of plan.routes) await routeSource(deps, route);
      const measurement: StageMeasurement = {
        peakRss: peakRss(),
        ms: Math.round(performance.now() - started),
        result: { records: plan.records, partitions: plan.partitions.length },
      };
      return void process.stdout.write(`${JSON.stringify(measurement)}\n`);
    }
    case 'stage-child': {
      // The handler's own log line goes to stderr so stdout carries only the measurement.
      console.log = (...values: unknown[]) => console.error(...values);
      const measurement = await stageChild(args[0], args[1]);
      return void process.stdout.write(`${JSON.stringify(measurement)}\n`);
    }
    default:
      console.error('usage: tsx scripts/measure-bounds.ts payload | cluster | plan [PEOPLE] | partition [PEOPLE [RECORDS_PER_PARTITION [JOBS]]] | jobs DATA_DIR RUN_ID [JOBS [cluster]]');
      process.exitCode = 2;
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
