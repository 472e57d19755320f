/**
 * npm run bench -- --records N: generates two company exports of about N rows each (about half the people in
 * both), runs the whole pipeline on the embedded default (real s3rver and dynalite on 127.0.0.1, in a child process
 * unless --servers inline) and prints ONE JSON object: wall time, records/s, CPU and peak memory per stage,
 * candidate pairs and pairs/s, profiles published per second against the local DynamoDB server's raw batch-write
 * rate measured in the same run, and the precision/recall of the run against the sample's truth.
 *
 *   npm run bench -- --records 50000 [--seed 7] [--concurrency 2] [--servers child|inline] [--until distribute] [--keep] [--out FILE]
 *
 * --until distribute stops once the clusters' records are in their publish chunks (CSV to clusters, the matching
 * targets): publishing a million profiles to the local DynamoDB server alone takes hours. Accuracy then comes from
 * the publish chunks.
 *
 * Samples are cached under .crm-merge/bench/sample-<people>-<seed>/ (deterministic); every run uses a fresh data
 * directory for the servers, deleted afterwards unless --keep. Progress goes to stderr, the JSON to stdout.
 * Never part of `npm test`. Results: docs/benchmarks.md.
 *
 * The in-process runner runs the single-shot stages (plan, train, cluster, report, finalize) in this process, and at
 * 500,000 records per company the report stage needs more than Node's default heap (about 4 GB here). So the bench
 * re-executes itself with `--max-old-space-size` = --heap-mb (default: 60 % of the machine's memory, at most
 * 16 GB) unless the heap is already that large; the per-stage heap figures show what each stage needed.
 */
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readEnvironment } from '../lambdas/config/env';
import { pairwiseScores } from '../lambdas/core/matching/evaluate';
import type { UnifiedProfile } from '../lambdas/core/model/profile';
import type { CompareResult, RouteResult, SourceInput, StageName } from '../lambdas/pipeline/contracts';
import { pipelineDepsFromEnvironment } from '../lambdas/pipeline/deps-from-environment';
import { runPipeline } from '../lambdas/pipeline/run-pipeline';
import { runProfiles } from '../lambdas/pipeline/run-files';
import type { ClusterSummary } from '../lambdas/pipeline/stages/cluster';
import type { ChunkLine } from '../lambdas/pipeline/stages/distribute';
import type { PipelineDeps } from '../lambdas/pipeline/deps';
import { readNdjson } from '../lambdas/pipeline/ndjson';
import type { RunPlan } from '../lambdas/pipeline/stages/plan';
import type { StoredModel } from '../lambdas/pipeline/stages/train';
import { workKeys } from '../lambdas/pipeline/work-keys';
import { ensureLocalResources } from '../lambdas/storage/local-resources';
import { localEnvironment } from '../lambdas/storage/local-servers';
import { itemBytes, measureRawWriteRate, profileItems, writeUnits } from './bench/dynamo-raw';
import { benchSample, loadTruth, peopleFor } from './bench/sample';
import { startBenchServers, type ServerStats } from './bench/servers';
import { StageMeter } from './bench/stage-meter';
import { StageWorkers } from '../lambdas/pipeline/workers/pool';

const ROOT = resolve(__dirname, '..');
const EXAMPLES = join(ROOT, 'examples', 'sample');
const SOURCES = ['telco', 'satellite'] as const;

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

const round = (value: number, digits = 0): number => Math.round(value * 10 ** digits) / 10 ** digits;

const HEAP_MARKER = 'CRM_MERGE_BENCH_REEXEC';

/** Re-runs this script with a larger heap when the current one is smaller than wanted; resolves to the exit code. */
function reexecWithHeap(heapMb: number): Promise<number> | undefined {
  const limitMb = getHeapStatistics().heap_size_limit / 1048576;
  if (limitMb >= heapMb * 0.95 || process.env[HEAP_MARKER]) return undefined;
  log(`re-executing with --max-old-space-size=${heapMb} (heap limit now ${Math.round(limitMb)} MB)`);
  const child = spawn(process.execPath, [...process.execArgv, `--max-old-space-size=${heapMb}`, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, [HEAP_MARKER]: '1' },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolveExit) => child.on('exit', (code, signal) => resolveExit(code ?? (signal ? 1 : 0))));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      records: { type: 'string', default: '50000' },
      seed: { type: 'string', default: '7' },
      concurrency: { type: 'string', default: '2' },
      threads: { type: 'string', default: String(cpus().length) },
      servers: { type: 'string', default: 'child' },
      'raw-items': { type: 'string', default: '100000' },
      keep: { type: 'boolean', default: false },
      until: { type: 'string' },
      out: { type: 'string' },
      'heap-mb': { type: 'string', default: String(Math.min(16384, Math.floor((totalmem() / 1048576) * 0.6))) },
    },
    strict: true,
  });
  const reexec = reexecWithHeap(Number(values['heap-mb']));
  if (reexec) {
    process.exitCode = await reexec;
    return;
  }
  const records = Number(values.records);
  const seed = Number(values.seed);
  const concurrency = Number(values.concurrency);
  const threads = Number(values.threads);
  const serversMode = values.servers === 'inline' ? 'inline' : 'child';
  if (values.until !== undefined && values.until !== 'distribute') throw new RangeError('--until accepts only "distribute"');
  const untilDistribute = values.until === 'distribute';
  if (!Number.isInteger(records) || records < 100) throw new RangeError('--records must be an integer >= 100');
  const benchRoot = join(ROOT, '.crm-merge', 'bench');
  await mkdir(benchRoot, { recursive: true });

  const loadAtStart = loadavg().map((l) => round(l, 2));
  const people = peopleFor(records);
  log(`sample: ${people} people (seed ${seed}) for about ${records} rows per company`);
  const sample = benchSample(benchRoot, people, seed);
  log(`sample ready in ${sample.dir} (${sample.generatedSeconds ? `generated in ${sample.generatedSeconds.toFixed(1)} s` : 'cached'})`);

  const dataDir = join(benchRoot, `data-${process.pid}`);
  const servers = await startBenchServers(dataDir, serversMode);
  const env = readEnvironment({ ...localEnvironment(servers) });
  await ensureLocalResources(env);
  const deps = pipelineDepsFromEnvironment(env, { asOf: sample.asOf });
  try {
    const runId = `bench-${records}-${seed}`;
    const uploadStarted = performance.now();
    const sources: SourceInput[] = [];
    for (const name of SOURCES) {
      const bucket = deps.buckets.input;
      await deps.objects.putStream({ bucket, key: `bench/${name}.csv` }, createReadStream(join(sample.dir, `${name}.csv`)), 'text/csv');
      await deps.objects.putText(
        { bucket, key: `bench/${name}.mapping.json` },
        readFileSync(join(EXAMPLES, `${name}.mapping.json`), 'utf8'),
        'application/json',
      );
      sources.push({ name, uri: `s3://${bucket}/bench/${name}.csv`, mappingUri: `s3://${bucket}/bench/${name}.mapping.json` });
    }
    const uploadSeconds = (performance.now() - uploadStarted) / 1000;
    log(`inputs uploaded in ${uploadSeconds.toFixed(1)} s; running the pipeline`);

    const meter = new StageMeter(() => servers.stats());
    const workers =
      threads > 0
        ? await StageWorkers.create({
            env,
            settings: { asOf: sample.asOf },
            threads,
            onJob: ({ kind, peakMb }) => meter.workerPeak(kind, peakMb),
          })
        : undefined;
    const started = performance.now();
    // Route's and compare's item results: the partition lines (record copies), which the VM's speed does not move.
    const routed: RouteResult[] = [];
    const compared: CompareResult[] = [];
    const outcome = await runPipeline(deps, { runId, sources }, {
      concurrency,
      workers,
      ...(untilDistribute ? { stopAfter: 'distribute' as const } : {}),
      onProgress: ({ stage, done }) => {
        if (done === 0) meter.enter(stage);
      },
      onStageResult: (stage, result) => {
        if (stage === 'route') routed.push(...(result as RouteResult[]));
        if (stage === 'compare') compared.push(...(result as CompareResult[]));
      },
    });
    await meter.finish();
    await workers?.close();
    const totalSeconds = (performance.now() - started) / 1000;
    log(`pipeline done in ${totalSeconds.toFixed(1)} s; scoring against the truth`);

    const work = deps.buckets.work;
    const plan = JSON.parse(await deps.objects.getText({ bucket: work, key: workKeys.plan(runId) })) as RunPlan;
    const { model } = JSON.parse(await deps.objects.getText({ bucket: work, key: workKeys.model(runId) })) as StoredModel;
    const clusterSummary = JSON.parse(
      await deps.objects.getText({ bucket: work, key: workKeys.clusterSummary(runId) }),
    ) as ClusterSummary;

    const truth = await loadTruth(sample.dir);
    const sha = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);
    const rawItemsWanted = Number(values['raw-items']);
    const published = untilDistribute
      ? await membersFromChunks(deps, runId, plan.sources, clusterSummary.chunks)
      : await publishedMembers(deps, runId, rawItemsWanted);
    const scores = pairwiseScores(published.clusters, truth);
    // Fingerprints of the output, to check that an optimisation changed nothing: members with their profile ids, and
    // the report's matches.csv (every link and review pair with its levels and weights) when the run got that far.
    const outputDigest = {
      members: sha(published.memberLines.sort().join('\n')),
      matchesCsv: untilDistribute
        ? null
        : sha(await deps.objects.getText({ bucket: deps.buckets.reports, key: `reports/${runId}/matches.csv` })),
    };

    const raw = untilDistribute
      ? undefined
      : (log(`measuring the local DynamoDB server's raw batch-write rate (${published.rawItemCount} items)`),
        await measureRawWriteRate(env, profileItems('bench-raw', published.rawSample), 8 * concurrency));
    const publishItems = published.items;

    const stages = meter.report();
    const seconds = (stage: StageName): number => (outcome.timings[stage] ?? 0) / 1000;
    const rowsRead = plan.ingested.reduce((sum, i) => sum + i.rowsRead, 0);
    const candidatePairs = model.training.candidatePairs;
    const matchingStages: StageName[] = ['plan', 'route', 'compare', 'train', 'score', 'cluster', 'distribute'];
    const csvToClusters = (['ingest', ...matchingStages] as StageName[]).reduce((s, stage) => s + seconds(stage), 0);
    const publishSeconds = seconds('publish');
    const publishItemsPerSecond = publishItems.items / Math.max(publishSeconds, 1e-3);
    const perStage: Record<string, unknown> = {};
    for (const stage of Object.keys(outcome.timings) as StageName[]) {
      const m = stages[stage];
      const unit =
        stage === 'ingest' ? rowsRead : stage === 'compare' || stage === 'score' ? candidatePairs : stage === 'publish' ? publishItems.profiles : plan.records;
      perStage[stage] = {
        seconds: round(seconds(stage), 2),
        recordsPerSecond: round(plan.records / Math.max(seconds(stage), 1e-3)),
        ...(stage === 'compare' || stage === 'score' ? { pairsPerSecond: round(unit / Math.max(seconds(stage), 1e-3)) } : {}),
        ...(stage === 'publish' ? { profilesPerSecond: round(unit / Math.max(seconds(stage), 1e-3)) } : {}),
        cpuSeconds: round(m?.cpuSeconds ?? 0, 1),
        serverCpuSeconds: round(m?.serverCpuSeconds ?? 0, 1),
        peakRssMb: round(m?.peakRssMb ?? 0),
        peakHeapMb: round(m?.peakHeapMb ?? 0),
        ...(m?.workers ? { workers: m.workers } : {}),
        requests: m?.requests,
        loadAverage: m?.loadAverage,
      };
    }
    const serverFinal: ServerStats = await servers.stop();
    const result = {
      benchmark: 'crm-merge pipeline',
      loadAverage: { start: loadAtStart, end: loadavg().map((l) => round(l, 2)) },
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        memoryGb: round(totalmem() / 1024 ** 3, 1),
        node: process.version,
        heapLimitMb: round(getHeapStatistics().heap_size_limit / 1048576),
      },
      command: `npm run bench -- --records ${records} --seed ${seed} --concurrency ${concurrency} --threads ${threads} --servers ${serversMode}${untilDistribute ? ' --until distribute' : ''}`,
      input: {
        recordsPerCompany: records,
        people,
        rows: { telco: sample.stats.telcoRows, satellite: sample.stats.satelliteRows, total: rowsRead },
        records: plan.records,
        rejected: plan.ingested.reduce((sum, i) => sum + i.rowsRejected, 0),
        partitions: plan.partitions,
        partitioning: partitioningOf(routed, compared, plan.records, plan.splitTokens ?? {}),
        sampleGeneratedSeconds: round(sample.generatedSeconds, 1),
        uploadSeconds: round(uploadSeconds, 1),
      },
      totalSeconds: round(totalSeconds, 1),
      csvToClustersSeconds: round(csvToClusters, 1),
      matchingSeconds: round(matchingStages.reduce((s, stage) => s + seconds(stage), 0), 1),
      candidatePairs,
      pairsPerSecond: {
        compare: round(candidatePairs / Math.max(seconds('compare'), 1e-3)),
        score: round(candidatePairs / Math.max(seconds('score'), 1e-3)),
        compareAndScorePerCore: round(candidatePairs / Math.max(seconds('compare') + seconds('score'), 1e-3) / Math.min(concurrency, cpus().length)),
        // Per second of CPU time (all threads of this process): what one core does, whatever else ran on the machine.
        comparePerCpuSecond: round(candidatePairs / Math.max(stages.compare?.cpuSeconds ?? 0, 1e-3)),
        scorePerCpuSecond: round(candidatePairs / Math.max(stages.score?.cpuSeconds ?? 0, 1e-3)),
        compareAndScorePerCpuSecond: round(
          candidatePairs / Math.max((stages.compare?.cpuSeconds ?? 0) + (stages.score?.cpuSeconds ?? 0), 1e-3),
        ),
      },
      stages: perStage,
      publish: raw
        ? {
            profiles: publishItems.profiles,
            profilesPerSecond: round(publishItems.profiles / publishSeconds),
            items: publishItems.items,
            itemsPerSecond: round(publishItemsPerSecond),
            // DynamoDB-counted sizes and write request units (base table + keys-only GSI), for the cost model.
            itemBytes: publishItems.bytes,
            meanProfileItemBytes: round(publishItems.profileItemBytes / Math.max(publishItems.profiles, 1)),
            writeUnits: publishItems.writeUnits,
            writeUnitsPerProfile: round(publishItems.writeUnits / Math.max(publishItems.profiles, 1), 2),
            rawItemsPerSecond: round(raw.itemsPerSecond),
            rawItemsMeasured: raw.items,
            shareOfRawRate: round(publishItemsPerSecond / raw.itemsPerSecond, 3),
          }
        : null,
      outputDigest,
      clusters: { count: clusterSummary.clusters, links: clusterSummary.links, refusedJoins: clusterSummary.refused.length },
      accuracy: {
        precision: round(scores.precision, 4),
        recall: round(scores.recall, 4),
        f1: round(scores.f1, 4),
        truePairs: scores.truePairs,
        predictedPairs: scores.predictedPairs,
      },
      servers: {
        mode: serversMode,
        cpuSeconds: round(serverFinal.cpuSeconds, 1),
        maxRssMb: round(serverFinal.maxRssMb),
        requests: serverFinal.requests,
      },
      peakRssMb: round(process.resourceUsage().maxRSS / 1024),
    };
    const json = JSON.stringify(result, null, 2);
    if (values.out) writeFileSync(values.out, `${json}\n`);
    process.stdout.write(`${json}\n`);
  } finally {
    await servers.stop().catch(() => undefined);
    if (!values.keep) await rm(dataDir, { recursive: true, force: true });
    else log(`kept server data in ${dataDir}`);
  }
}

interface PublishedMembers {
  clusters: string[][];
  memberLines: string[];
  items: { profiles: number; items: number; bytes: number; writeUnits: number; profileItemBytes: number };
  rawSample: UnifiedProfile[];
  rawItemCount: number;
}

/**
 * How the records were spread over the partitions: the lines route wrote (each record once per partition owning one
 * of its blocks), copies per record, the partitions' sizes and the partition tokens split. Counts, not times.
 */
function partitioningOf(routed: readonly RouteResult[], compared: readonly CompareResult[], records: number, splitTokens: Record<string, number>) {
  const lines = routed.reduce((sum, result) => sum + result.lines, 0);
  const sizes = compared.map((result) => result.records).sort((a, b) => a - b);
  const median = sizes.length === 0 ? 0 : sizes[Math.floor(sizes.length / 2)];
  const largest = sizes.length === 0 ? 0 : sizes[sizes.length - 1];
  return {
    lines,
    copiesPerRecord: round(lines / Math.max(records, 1), 2),
    smallestPartition: sizes[0] ?? 0,
    medianPartition: median,
    largestPartition: largest,
    largestOverMedian: round(largest / Math.max(median, 1), 2),
    splitTokens,
  };
}

/** The published profiles: clusters for scoring, item counts and sizes, and a sample for the raw write rate. */
async function publishedMembers(deps: PipelineDeps, runId: string, rawItemsWanted: number): Promise<PublishedMembers> {
  const result: PublishedMembers = {
    clusters: [],
    memberLines: [],
    items: { profiles: 0, items: 0, bytes: 0, writeUnits: 0, profileItemBytes: 0 },
    rawSample: [],
    rawItemCount: 0,
  };
  for await (const profile of runProfiles(deps, runId)) {
    const items = profileItems(runId, [profile]);
    result.items.profiles++;
    result.items.items += items.length;
    for (const item of items) {
      result.items.bytes += itemBytes(item);
      result.items.writeUnits += writeUnits(item);
    }
    result.items.profileItemBytes += itemBytes(items[0]);
    result.clusters.push(profile.members.map((m) => `${m.source}:${m.recordId}`));
    for (const m of profile.members) result.memberLines.push(`${m.source},${m.recordId},${profile.profileId}`);
    if (result.rawItemCount < rawItemsWanted) {
      result.rawSample.push(profile);
      result.rawItemCount += 1 + profile.keys.emails.length + profile.keys.phones.length + profile.keys.nameKeys.length;
    }
  }
  return result;
}

/** The clusters as the distribute jobs wrote them to publish chunks (a run stopped after distribute). */
async function membersFromChunks(deps: PipelineDeps, runId: string, sources: readonly string[], chunks: number): Promise<PublishedMembers> {
  const byProfile = new Map<string, string[]>();
  const memberLines: string[] = [];
  for (let chunk = 0; chunk < chunks; chunk++)
    for (const key of workKeys.chunkParts(runId, chunk, sources))
      for await (const line of readNdjson<ChunkLine>(deps.objects, { bucket: deps.buckets.work, key })) {
        const member = `${line.record.source}:${line.record.recordId}`;
        const cluster = byProfile.get(line.profileId);
        if (cluster) cluster.push(member);
        else byProfile.set(line.profileId, [member]);
        memberLines.push(`${line.record.source},${line.record.recordId},${line.profileId}`);
      }
  return {
    clusters: [...byProfile.values()],
    memberLines,
    items: { profiles: byProfile.size, items: 0, bytes: 0, writeUnits: 0, profileItemBytes: 0 },
    rawSample: [],
    rawItemCount: 0,
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
