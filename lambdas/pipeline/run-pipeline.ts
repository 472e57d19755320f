import { safeErrorMessage, StageError } from '../core/errors';
import type { RunInput, StageName } from './contracts';
import type { PipelineDeps } from './deps';
import { RunLedger } from './resume';
import { clusterRun } from './stages/cluster';
import { finalizeRun, markRunFailed } from './stages/finalize';
import { planPartitions } from './stages/plan';
import { writeReport } from './stages/report';
import { trainRunModel } from './stages/train';
import { workKeys } from './work-keys';
import { STAGE_JOBS, type StageJobKind, type StageJobs } from './workers/jobs';
import type { StageWorkers } from './workers/pool';

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
  /** Continue a crashed or failed run: finished stages and finished map items are not run again (see resume.ts). */
  resume?: boolean;
  /** Sees every stage's result: the payload the next stage gets (tests check it never carries customer values). */
  onStageResult?: (stage: StageName, result: unknown) => void;
  /**
   * Worker threads for the CPU-bound map stages (ingest, route, compare, score, distribute, publish); their jobs then
   * run there instead of in this thread. Only for deps built by pipelineDepsFromEnvironment from the environment the
   * workers were given (workers build their own), never for injected test doubles.
   */
  workers?: StageWorkers;
  /**
   * Stop after this stage (the run stays in that stage; `resume` continues it). The benchmark uses 'distribute' to
   * time CSV to clusters (the records in their publish chunks) at sizes where publishing to the local DynamoDB server
   * would take hours.
   */
  stopAfter?: 'distribute';
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
      // safeErrorMessage: the message goes to the runs table, and a foreign error's message may quote input rows.
      throw error instanceof StageError ? error : new StageError(stage, safeErrorMessage(error), { cause: error });
    } finally {
      timings[stage] = Math.round(performance.now() - started);
    }
  };
  // A new run is preflighted and recorded here; a resumed one keeps its record and its finished stages.
  const ledger = await RunLedger.open(deps, input, options.resume === true);
  const step = async <T, U>(stage: StageName, work: () => Promise<T>, recorded: () => Promise<U>): Promise<T | U> => {
    if (ledger.done(stage)) return recorded();
    const result = await timed(stage, async () => {
      const value = await work();
      await ledger.complete(stage);
      return value;
    });
    options.onStageResult?.(stage, result);
    return result;
  };
  const nothing = async (): Promise<void> => undefined;
  const job = <K extends StageJobKind>(kind: K, event: StageJobs[K]['event']): Promise<StageJobs[K]['result']> =>
    options.workers ? options.workers.run(kind, event) : STAGE_JOBS[kind](deps, event);
  /**
   * A map stage: each item one job, `concurrency` at a time, the items' results being the stage's result; on resume an
   * item whose outputs all exist is skipped.
   */
  const mapStage = <K extends Exclude<StageJobKind, 'ingest'>>(
    kind: K,
    items: readonly StageJobs[K]['event'][],
    outputs: (item: StageJobs[K]['event']) => string[],
  ): Promise<unknown> =>
    step(
      kind,
      () => {
        const run = (item: StageJobs[K]['event']) => ledger.item(kind, ledger.allExist(outputs(item)), () => job(kind, item));
        return mapWithConcurrency(items, options.concurrency, run, (done) => progress(kind, done, items.length));
      },
      nothing,
    );
  try {
    const ingested = await step(
      'ingest',
      () =>
        mapWithConcurrency(input.sources, options.concurrency, (source) => ledger.ingest(source, () => job('ingest', { runId, source })), (done) =>
          progress('ingest', done, input.sources.length),
        ),
      () => ledger.ingested(input.sources),
    );
    const plan = await step('plan', () => planPartitions(deps, { runId, ingested }), () => ledger.planned());
    await mapStage('route', plan.routes, (event) => [workKeys.routed(runId, event.source)]);
    await mapStage('compare', plan.partitions, (ref) => [
      workKeys.pairs(runId, ref.partition),
      workKeys.pairRecords(runId, ref.partition),
      workKeys.histogram(runId, ref.partition),
    ]);
    await step('train', () => trainRunModel(deps, { runId }), nothing);
    await mapStage('score', plan.partitions, (ref) => [workKeys.links(runId, ref.partition), workKeys.edges(runId, ref.partition)]);
    const clustered = await step('cluster', () => clusterRun(deps, { runId }), () => ledger.clustered());
    await mapStage('distribute', clustered.distributions, (event) => [workKeys.distributed(runId, event.source)]);
    if (options.stopAfter === 'distribute') return { runId, timings, reportPrefix: '' };
    await mapStage('publish', clustered.chunks, (ref) => [workKeys.profiles(runId, ref.chunk)]);
    const report = await step('report', () => writeReport(deps, { runId }), async () => ledger.reported());
    await deps.runs.update(runId, { timings, reportPrefix: report.reportPrefix });
    await step('finalize', () => finalizeRun(deps, { runId, timings }), nothing);
    return { runId, timings, reportPrefix: report.reportPrefix };
  } catch (error) {
    const stage = error instanceof StageError ? error.stage : 'unknown';
    await markRunFailed(deps, {
      runId,
      error: { Error: `${stage} failed`, Cause: safeErrorMessage(error) },
    }).catch(() => undefined);
    throw error;
  }
}
