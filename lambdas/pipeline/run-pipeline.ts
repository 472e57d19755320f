import { StageError } from '../core/errors';
import type { RunInput, StageName } from './contracts';
import type { PipelineDeps } from './deps';
import { preflightSources } from './preflight';
import { clusterRun } from './stages/cluster';
import { comparePartition } from './stages/compare';
import { finalizeRun, markRunFailed } from './stages/finalize';
import { ingestSource } from './stages/ingest';
import { planPartitions } from './stages/plan';
import { publishChunk } from './stages/publish';
import { writeReport } from './stages/report';
import { scorePartition } from './stages/score';
import { trainRunModel } from './stages/train';

/**
 * Runs the pipeline in this process, stage by stage, exactly as the state machine does in AWS: the same stage
 * functions, the same payloads, map stages fanned out with bounded concurrency.
 */
export interface RunProgress {
  stage: StageName;
  done: number;
  total: number;
}

export interface RunOptions {
  concurrency: number;
  onProgress?: (progress: RunProgress) => void;
}

export interface RunOutcome {
  runId: string;
  timings: Record<string, number>;
  reportPrefix: string;
}

async function mapWithConcurrency<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
  onDone: (done: number) => void,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
      onDone(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

export async function runPipeline(deps: PipelineDeps, input: RunInput, options: RunOptions): Promise<RunOutcome> {
  const { runId } = input;
  const timings: Record<string, number> = {};
  const progress = (stage: StageName, done: number, total: number): void => options.onProgress?.({ stage, done, total });
  const timed = async <T>(stage: StageName, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    await deps.runs.update(runId, { stage });
    progress(stage, 0, 1);
    try {
      return await work();
    } catch (error) {
      throw error instanceof StageError ? error : new StageError(stage, error instanceof Error ? error.message : String(error), { cause: error });
    } finally {
      timings[stage] = Math.round(performance.now() - started);
    }
  };
  await preflightSources(deps, input.sources);
  await deps.runs.create({
    runId,
    status: 'running',
    stage: 'ingest',
    startedAt: deps.now().toISOString(),
    finishedAt: null,
    clientToken: null,
    sources: input.sources,
    counts: {},
    timings: {},
    error: null,
    reportPrefix: null,
  });
  try {
    const ingested = await timed('ingest', () =>
      mapWithConcurrency(input.sources, options.concurrency, (source) => ingestSource(deps, { runId, source }), (done) =>
        progress('ingest', done, input.sources.length),
      ),
    );
    const plan = await timed('plan', () => planPartitions(deps, { runId, ingested }));
    await timed('compare', () =>
      mapWithConcurrency(plan.partitions, options.concurrency, (ref) => comparePartition(deps, ref), (done) =>
        progress('compare', done, plan.partitions.length),
      ),
    );
    await timed('train', () => trainRunModel(deps, { runId }));
    await timed('score', () =>
      mapWithConcurrency(plan.partitions, options.concurrency, (ref) => scorePartition(deps, ref), (done) =>
        progress('score', done, plan.partitions.length),
      ),
    );
    const clustered = await timed('cluster', () => clusterRun(deps, { runId }));
    await timed('publish', () =>
      mapWithConcurrency(clustered.chunks, options.concurrency, (ref) => publishChunk(deps, ref), (done) =>
        progress('publish', done, clustered.chunks.length),
      ),
    );
    const report = await timed('report', () => writeReport(deps, { runId }));
    await deps.runs.update(runId, { timings, reportPrefix: report.reportPrefix });
    await timed('finalize', () => finalizeRun(deps, { runId }));
    await deps.runs.update(runId, { timings });
    return { runId, timings, reportPrefix: report.reportPrefix };
  } catch (error) {
    const stage = error instanceof StageError ? error.stage : 'unknown';
    await markRunFailed(deps, {
      runId,
      error: { Error: `${stage} failed`, Cause: error instanceof Error ? error.message : String(error) },
    }).catch(() => undefined);
    throw error;
  }
}
