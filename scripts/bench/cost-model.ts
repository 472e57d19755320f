/**
 * The AWS cost and time model of docs/benchmarks.md, derived from measured benchmark runs (`npm run bench -- --out`):
 *
 *   npx tsx scripts/bench/cost-model.ts --bench bench-out/bench-1m.json [--baseline bench-out/bench-500k.json]
 *                                       [--publish bench-out/bench-50k.json]
 *                                       [--records 1000000,10000000,100000000] [--concurrency 1000]
 *
 * --publish: a whole-pipeline run whose publish, report and finalize stages (and profiles per record, write units
 * per profile) stand in for a --bench run stopped after distribute (`npm run bench -- --until distribute`); they scale
 * linearly from that run's N.
 *
 * How every figure is derived (printed with the tables):
 * - Lambda duration of a stage = the stage's measured CPU seconds (all threads of the bench process; the S3/DynamoDB
 *   servers run in another process and are not counted), scaled from the benchmark's N to the target N by
 *   (N / N_bench)^k, where k is the stage's measured scaling exponent between --baseline and --bench (never below 1),
 *   and divided by the function's vCPU share when it has less than one (memory / 1769 MB). A stage that runs on one
 *   thread gets no faster with more than one vCPU, so larger functions do not shorten it.
 * - GB-seconds = duration x the function's memory (infra/constructs/pipeline-functions.ts STAGE_SIZING).
 * - Invocations: ingest, route and distribute one per source, compare and score one per partition, publish one per chunk, the rest one.
 *   Partitions and chunks grow linearly with N (partitions = ceil(block-key slots / recordsPerPartition), chunks =
 *   ceil(profiles / profilesPerChunk)).
 * - Step Functions (Standard): the parent's states plus one transition per child execution of a Distributed Map
 *   (each child runs one Task state); retries not counted.
 * - DynamoDB: the measured write request units per profile (every profile and lookup item, base table plus the
 *   keys-only GSI, by item size) x profiles, profiles growing linearly with N.
 * - S3: the measured requests per stage (PUT-class: PUT, POST, LIST; GET-class: GET, HEAD) scaled linearly with N.
 * - Wall time: single-shot stages take their duration; a map stage takes ceil(jobs / concurrency) x the duration of
 *   one job (jobs of a stage are about equal in size); publish also cannot go faster than the table's write
 *   throughput (on-demand: 40,000 WRU/s per table by default quota, less until the table has warmed up).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { STAGE_SIZING } from '../../infra/constructs/pipeline-functions';
import type { StageName } from '../../lambdas/pipeline/contracts';
import { DEFAULT_PIPELINE_SETTINGS } from '../../lambdas/pipeline/settings';

/** List prices, us-east-1, as assumed in docs/benchmarks.md. */
export const PRICES = {
  lambdaGbSecondArm: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  stepFunctionsPerThousandTransitions: 0.025,
  dynamoPerMillionWru: 0.625,
  s3PerThousandPut: 0.005,
  s3PerThousandGet: 0.0004,
  entityResolutionPerThousandRecords: 0.25,
} as const;

/** Lambda's duration limit, seconds. */
const LAMBDA_LIMIT_SECONDS = 900;
/** Default per-table on-demand throughput quota (write request units per second). */
const TABLE_WRU_PER_SECOND = 40_000;
/** Memory at which a function has one full vCPU. */
const ONE_VCPU_MB = 1769;

interface BenchStage {
  seconds: number;
  cpuSeconds: number;
  requests?: { s3Put: number; s3Get: number };
}

interface BenchResult {
  input: { recordsPerCompany: number; records: number; partitions: number };
  candidatePairs: number;
  stages: Record<string, BenchStage>;
  publish: { profiles: number; writeUnits: number; writeUnitsPerProfile: number } | null;
  clusters: { count: number; links: number };
}

const STAGE_ORDER: StageName[] = ['ingest', 'plan', 'route', 'compare', 'train', 'score', 'cluster', 'distribute', 'publish', 'report', 'finalize'];
const MAP_STAGES = new Set<StageName>(['ingest', 'route', 'compare', 'score', 'distribute', 'publish']);
/** The map stages with one job per source (inline Maps, at most 10 at once). */
const PER_SOURCE = new Set<StageName>(['ingest', 'route', 'distribute']);
const AFTER_CLUSTER = new Set<StageName>(['publish', 'report', 'finalize']);

const load = (file: string): BenchResult => JSON.parse(readFileSync(file, 'utf8')) as BenchResult;
const money = (value: number): string => (value < 0.01 ? `$${value.toFixed(4)}` : value < 100 ? `$${value.toFixed(2)}` : `$${Math.round(value).toLocaleString('en-US')}`);
const int = (value: number): string => Math.round(value).toLocaleString('en-US');
const duration = (seconds: number): string =>
  seconds < 120 ? `${seconds.toFixed(0)} s` : seconds < 7200 ? `${(seconds / 60).toFixed(1)} min` : `${(seconds / 3600).toFixed(1)} h`;

export interface StageModel {
  stage: StageName;
  exponent: number;
  jobs: number;
  memoryMb: number;
  /** Billed duration of all jobs together, seconds. */
  seconds: number;
  perJobSeconds: number;
  gbSeconds: number;
  wallSeconds: number;
  s3Put: number;
  s3Get: number;
}

export interface Model {
  recordsPerCompany: number;
  stages: StageModel[];
  partitions: number;
  chunks: number;
  profiles: number;
  writeUnits: number;
  transitions: number;
  cost: { lambda: number; stepFunctions: number; dynamo: number; s3: number; total: number; entityResolution: number };
  wallSeconds: number;
  overLimit: string[];
}

export function model(
  bench: BenchResult,
  baseline: BenchResult | undefined,
  recordsPerCompany: number,
  concurrency: number,
  publishRun: BenchResult = bench,
): Model {
  const ratio = recordsPerCompany / bench.input.recordsPerCompany;
  const publishRatio = recordsPerCompany / publishRun.input.recordsPerCompany;
  if (!publishRun.publish) throw new Error('the --bench run stopped after cluster: give a whole run with --publish');
  const published = publishRun.publish;
  const partitions = Math.ceil(bench.input.partitions * ratio);
  const profiles = published.profiles * publishRatio;
  const chunks = Math.ceil(profiles / DEFAULT_PIPELINE_SETTINGS.profilesPerChunk);
  const sources = 2;
  const jobsOf = (stage: StageName): number =>
    PER_SOURCE.has(stage) ? sources : stage === 'compare' || stage === 'score' ? partitions : stage === 'publish' ? chunks : 1;
  /** The run whose figures a stage takes: the publish run's after cluster, the bench run's before. */
  const runOf = (stage: StageName): BenchResult => (AFTER_CLUSTER.has(stage) ? publishRun : bench);
  // A run measured before a stage existed (route split off plan) has no figures for it.
  const measuredStages = STAGE_ORDER.filter((stage) => runOf(stage).stages[stage] !== undefined);
  const stages: StageModel[] = measuredStages.map((stage) => {
    const fromPublishRun = runOf(stage) !== bench;
    const measured = runOf(stage).stages[stage];
    const stageRatio = fromPublishRun ? publishRatio : ratio;
    const base = fromPublishRun ? undefined : baseline?.stages[stage];
    let exponent = 1;
    if (base && baseline && base.cpuSeconds > 0 && measured.cpuSeconds > 0)
      exponent = Math.max(1, Math.log(measured.cpuSeconds / base.cpuSeconds) / Math.log(bench.input.recordsPerCompany / baseline.input.recordsPerCompany));
    const memoryMb = STAGE_SIZING[stage].memorySize;
    const vcpu = Math.min(1, memoryMb / ONE_VCPU_MB);
    const seconds = (measured.cpuSeconds * stageRatio ** exponent) / vcpu;
    const jobs = jobsOf(stage);
    const perJobSeconds = seconds / jobs;
    const waves = MAP_STAGES.has(stage) ? Math.ceil(jobs / (PER_SOURCE.has(stage) ? Math.min(concurrency, 10) : concurrency)) : 1;
    let wallSeconds = waves * perJobSeconds;
    if (stage === 'publish') wallSeconds = Math.max(wallSeconds, (published.writeUnitsPerProfile * profiles) / TABLE_WRU_PER_SECOND);
    return {
      stage,
      exponent,
      jobs,
      memoryMb,
      seconds,
      perJobSeconds,
      gbSeconds: (seconds * memoryMb) / 1024,
      wallSeconds,
      s3Put: (measured.requests?.s3Put ?? 0) * stageRatio,
      s3Get: (measured.requests?.s3Get ?? 0) * stageRatio,
    };
  });
  const invocations = stages.reduce((sum, s) => sum + s.jobs, 0);
  const gbSeconds = stages.reduce((sum, s) => sum + s.gbSeconds, 0);
  // Parent: IngestSources, Plan, RouteSources, ComparePartitions, Train, ScorePartitions, Cluster, DistributeSources,
  // PublishChunks, Report, Finalize, RunSucceeded (12) + one Ingest, one Route and one Distribute per source (inline
  // Map iterations) + one per Distributed Map child execution.
  const transitions = 12 + 3 * sources + 2 * partitions + chunks;
  const writeUnits = published.writeUnitsPerProfile * profiles;
  const s3Put = stages.reduce((sum, s) => sum + s.s3Put, 0);
  const s3Get = stages.reduce((sum, s) => sum + s.s3Get, 0);
  const cost = {
    lambda: gbSeconds * PRICES.lambdaGbSecondArm + (invocations / 1e6) * PRICES.lambdaPerMillionRequests,
    stepFunctions: (transitions / 1000) * PRICES.stepFunctionsPerThousandTransitions,
    dynamo: (writeUnits / 1e6) * PRICES.dynamoPerMillionWru,
    s3: (s3Put / 1000) * PRICES.s3PerThousandPut + (s3Get / 1000) * PRICES.s3PerThousandGet,
    total: 0,
    entityResolution: ((2 * recordsPerCompany) / 1000) * PRICES.entityResolutionPerThousandRecords,
  };
  cost.total = cost.lambda + cost.stepFunctions + cost.dynamo + cost.s3;
  const overLimit = stages
    .filter((s) => s.perJobSeconds > LAMBDA_LIMIT_SECONDS)
    .map((s) => `${s.stage} (${duration(s.perJobSeconds)} per invocation)`);
  return {
    recordsPerCompany,
    stages,
    partitions,
    chunks,
    profiles,
    writeUnits,
    transitions,
    cost,
    wallSeconds: stages.reduce((sum, s) => sum + s.wallSeconds, 0),
    overLimit,
  };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      bench: { type: 'string' },
      baseline: { type: 'string' },
      records: { type: 'string', default: '1000000,10000000,100000000' },
      concurrency: { type: 'string', default: '1000' },
      publish: { type: 'string' },
    },
    strict: true,
  });
  if (!values.bench) throw new Error('usage: cost-model.ts --bench BENCH.json [--baseline BENCH.json] [--records N,N] [--concurrency C]');
  const bench = load(values.bench);
  const baseline = values.baseline ? load(values.baseline) : undefined;
  const concurrency = Number(values.concurrency);
  const publishRun = values.publish ? load(values.publish) : bench;
  const models = values.records.split(',').map((n) => model(bench, baseline, Number(n), concurrency, publishRun));
  const heading = models.map((m) => `${int(m.recordsPerCompany)} per company`).join(' | ');
  const rule = models.map(() => '---:').join('|');
  console.log(`Measured at ${int(bench.input.recordsPerCompany)} records per company${baseline ? `, scaling exponents from ${int(baseline.input.recordsPerCompany)}` : ''}; Distributed Map concurrency ${concurrency}.\n`);
  console.log(`| stage (memory) | k | ${heading} |\n|---|---:|${rule}|`);
  for (const [i, stage] of STAGE_ORDER.entries()) {
    const s0 = models[0].stages[i];
    const cells = models.map((m) => {
      const s = m.stages[i];
      return `${int(s.gbSeconds)} GB-s; ${int(s.jobs)} x ${duration(s.perJobSeconds)}; wall ${duration(s.wallSeconds)}`;
    });
    console.log(`| ${stage} (${s0.memoryMb} MB) | ${s0.exponent.toFixed(2)} | ${cells.join(' | ')} |`);
  }
  const row = (label: string, cell: (m: Model) => string): void => console.log(`| ${label} | | ${models.map(cell).join(' | ')} |`);
  row('**Lambda GB-s (total)**', (m) => int(m.stages.reduce((sum, s) => sum + s.gbSeconds, 0)));
  row('Lambda invocations', (m) => int(m.stages.reduce((sum, s) => sum + s.jobs, 0)));
  row('partitions / publish chunks', (m) => `${int(m.partitions)} / ${int(m.chunks)}`);
  row('Step Functions state transitions', (m) => int(m.transitions));
  row('profiles / DynamoDB WRU', (m) => `${int(m.profiles)} / ${int(m.writeUnits)}`);
  row('S3 PUT-class / GET-class requests', (m) => `${int(m.stages.reduce((s, x) => s + x.s3Put, 0))} / ${int(m.stages.reduce((s, x) => s + x.s3Get, 0))}`);
  row('Lambda cost', (m) => money(m.cost.lambda));
  row('Step Functions cost', (m) => money(m.cost.stepFunctions));
  row('DynamoDB writes cost', (m) => money(m.cost.dynamo));
  row('S3 requests cost', (m) => money(m.cost.s3));
  row('**crm-merge total**', (m) => `**${money(m.cost.total)}**`);
  row('**AWS Entity Resolution** ($0.25 / 1,000 records)', (m) => `**${money(m.cost.entityResolution)}**`);
  row('wall time (sum of stage walls)', (m) => duration(m.wallSeconds));
  row('invocations over the 15-min Lambda limit', (m) => (m.overLimit.length ? m.overLimit.join(', ') : 'none'));
}

if (require.main === module) main();
