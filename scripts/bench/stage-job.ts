/**
 * Times one stage job of a run kept by `npm run bench -- --keep`, in this process, the servers in a child (add
 * `--cpu-prof` to profile it; docs/benchmarks.md's rounds 10 and 11 measured this way):
 *
 *   node [--cpu-prof] --import tsx scripts/bench/stage-job.ts DATA_DIR RUN_ID ingest SOURCE
 *   node [--cpu-prof] --import tsx scripts/bench/stage-job.ts DATA_DIR RUN_ID plan
 *   node [--cpu-prof] --import tsx scripts/bench/stage-job.ts DATA_DIR RUN_ID route SOURCE
 *   node [--cpu-prof] --import tsx scripts/bench/stage-job.ts DATA_DIR RUN_ID compare PARTITION
 *   node [--cpu-prof] --import tsx scripts/bench/stage-job.ts DATA_DIR RUN_ID report
 *
 * DATA_DIR is the kept server data directory (`.crm-merge/bench/data-PID`), RUN_ID `bench-N-SEED`. A job rewrites its
 * own output files of the kept run (ingest the source's work files, plan the plan and its tables, route its partition
 * parts, compare the partition's pair files, report the report files), as a retry would.
 * CRM_MERGE_INGEST_THREADS is passed on (an ingest job's row workers). Prints one JSON line: wall and CPU seconds of
 * the job alone (module loading excluded), peak RSS of the process.
 */
import { readEnvironment } from '../../lambdas/config/env';
import type { PipelineDeps } from '../../lambdas/pipeline/deps';
import { pipelineDepsFromEnvironment } from '../../lambdas/pipeline/deps-from-environment';
import { ingestSource } from '../../lambdas/pipeline/stages/ingest';
import { comparePartition, loadPlan } from '../../lambdas/pipeline/stages/compare';
import { planPartitions } from '../../lambdas/pipeline/stages/plan';
import { writeReport } from '../../lambdas/pipeline/stages/report';
import { routeSource } from '../../lambdas/pipeline/stages/route';
import { workKeys } from '../../lambdas/pipeline/work-keys';
import { localEnvironment } from '../../lambdas/storage/local-servers';
import { startBenchServers } from './servers';

const JOBS: Record<string, (deps: PipelineDeps, runId: string, arg?: string) => Promise<unknown>> = {
  ingest: (deps, runId, source) => {
    if (!source) throw new RangeError('ingest needs a SOURCE (a source name of the run, e.g. telco)');
    // Where `npm run bench` uploads a source and its mapping.
    const prefix = `s3://${deps.buckets.input}/bench/${source}`;
    return ingestSource(deps, { runId, source: { name: source, uri: `${prefix}.csv`, mappingUri: `${prefix}.mapping.json` } });
  },
  // The ingest results the kept plan was made from, so the files come out the same.
  plan: async (deps, runId) => planPartitions(deps, { runId, ingested: (await loadPlan(deps, runId)).ingested }),
  route: (deps, runId, source) => {
    if (!source) throw new RangeError('route needs a SOURCE (a source name of the run, e.g. telco)');
    return routeSource(deps, { runId, source });
  },
  compare: (deps, runId, partition) => {
    const index = Number(partition);
    if (!Number.isInteger(index) || index < 0) throw new RangeError('compare needs a PARTITION (its number, from 0)');
    return comparePartition(deps, { runId, partition: index, key: workKeys.partition(runId, index) });
  },
  report: (deps, runId) => writeReport(deps, { runId }),
};

async function main(): Promise<void> {
  const [dataDir, runId, stage, arg] = process.argv.slice(2);
  const job = JOBS[stage ?? ''];
  if (!dataDir || !runId || !job) throw new RangeError(`usage: stage-job.ts DATA_DIR RUN_ID ${Object.keys(JOBS).join('|')} [SOURCE|PARTITION]`);
  const servers = await startBenchServers(dataDir, 'child');
  try {
    const threads = process.env.CRM_MERGE_INGEST_THREADS;
    const deps = pipelineDepsFromEnvironment(
      readEnvironment({ ...localEnvironment(servers), ...(threads === undefined ? {} : { CRM_MERGE_INGEST_THREADS: threads }) }),
    );
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await job(deps, runId, arg);
    const cpu = process.cpuUsage(cpuBefore);
    const round = (value: number): number => Math.round(value * 100) / 100;
    console.log(
      JSON.stringify({
        stage,
        seconds: round((performance.now() - started) / 1000),
        cpuSeconds: round((cpu.user + cpu.system) / 1e6),
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      }),
    );
  } finally {
    await servers.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
