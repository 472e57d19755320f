import { ConfigurationError, NotFoundError } from '../core/errors';
import { STAGES, type ClusterResult, type IngestResult, type PlanResult, type RunInput, type SourceInput, type StageName } from './contracts';
import type { PipelineDeps } from './deps';
import { preflightSources } from './preflight';
import { distributionOf, type ClusterSummary } from './stages/cluster';
import { loadPlan } from './stages/compare';
import { planResult } from './stages/plan';
import { reportKeys, workKeys } from './work-keys';

/**
 * Resuming a crashed run: stages recorded as finished in the runs table (`completedStages`) are not run again, and
 * in the first unfinished stage every map item whose outputs already exist is skipped (ingest: the source's result
 * marker; route: the source's routed marker; compare: pairs and histogram; score: links and edges; distribute: the
 * source's distributed marker; publish: the profiles file). Outputs are S3 objects, which appear only when
 * completely written (a failed multipart upload is aborted), so "exists" means "finished"; ingest, route and
 * distribute, whose failed jobs still close the uploads they had open, are judged by a marker they write last.
 * Items are skipped only in the first unfinished stage: later stages never started in the crashed attempt, so
 * there is nothing of theirs to reuse, and re-running them keeps every output derived from the same inputs.
 */

/** `resume` was asked for a run that cannot be resumed (it succeeded, or it has no record). */
export class ResumeRefusedError extends ConfigurationError {}

/** A map item that was not run again because its outputs exist. */
export interface SkippedItem {
  skipped: true;
}

/** The run's stages in order (mark-failed is not one: it only records a failure). */
const ORDER: readonly StageName[] = STAGES.filter((stage) => stage !== 'mark-failed');

/** Where the in-process runner keeps each source's ingest result, so a resumed run need not ingest it again. */
export const ingestMarkerKey = (runId: string, source: string): string => `${workKeys.prefix(runId)}ingested/${source}.json`;

export class RunLedger {
  private constructor(
    private readonly deps: PipelineDeps,
    private readonly runId: string,
    private readonly completed: StageName[],
    readonly resuming: boolean,
  ) {}

  /**
   * A new run: checks every source before any work (preflight) and records the run. A resumed run: its record must
   * exist and must not have succeeded; it is marked running again and keeps its finished stages.
   */
  static async open(deps: PipelineDeps, input: RunInput, resume: boolean): Promise<RunLedger> {
    const { runId } = input;
    if (!resume) {
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
        completedStages: [],
      });
      return new RunLedger(deps, runId, [], false);
    }
    const record = await deps.runs.get(runId);
    if (!record) throw new NotFoundError(`no run "${runId}" to resume`);
    if (record.status === 'succeeded') throw new ResumeRefusedError(`run ${runId} already succeeded; nothing to resume`);
    await deps.runs.update(runId, { status: 'running', error: null, finishedAt: null });
    const completed = (record.completedStages ?? []).filter((stage): stage is StageName => ORDER.includes(stage as StageName));
    return new RunLedger(deps, runId, completed, true);
  }

  done(stage: StageName): boolean {
    return this.completed.includes(stage);
  }

  async complete(stage: StageName): Promise<void> {
    if (!this.completed.includes(stage)) this.completed.push(stage);
    await this.deps.runs.update(this.runId, { completedStages: [...this.completed] });
  }

  /** Map items may be skipped only in the first stage not finished (see the module comment). */
  private skipsItemsOf(stage: StageName): boolean {
    return this.resuming && ORDER.find((s) => !this.completed.includes(s)) === stage;
  }

  /** Runs a map item, or skips it when resuming this stage and `finished` says its outputs exist. */
  async item<R>(stage: StageName, finished: () => Promise<boolean>, run: () => Promise<R>): Promise<R | SkippedItem> {
    if (this.skipsItemsOf(stage) && (await finished())) return { skipped: true };
    return run();
  }

  /** Ingests a source, or reads its recorded result when resuming and the source finished before the crash. */
  async ingest(source: SourceInput, run: () => Promise<IngestResult>): Promise<IngestResult> {
    const ref = { bucket: this.deps.buckets.work, key: ingestMarkerKey(this.runId, source.name) };
    if (this.skipsItemsOf('ingest') && (await this.deps.objects.exists(ref)))
      return JSON.parse(await this.deps.objects.getText(ref)) as IngestResult;
    const result = await run();
    await this.deps.objects.putText(ref, JSON.stringify(result), 'application/json');
    return result;
  }

  /** Whether every output of a map item exists. */
  allExist(keys: readonly string[]): () => Promise<boolean> {
    return async () => {
      for (const key of keys) if (!(await this.deps.objects.exists({ bucket: this.deps.buckets.work, key }))) return false;
      return true;
    };
  }

  /** The results of finished stages, rebuilt from the run's files instead of being computed again. */
  async ingested(sources: readonly SourceInput[]): Promise<IngestResult[]> {
    const results: IngestResult[] = [];
    for (const source of sources) {
      const key = ingestMarkerKey(this.runId, source.name);
      results.push(JSON.parse(await this.deps.objects.getText({ bucket: this.deps.buckets.work, key })) as IngestResult);
    }
    return results;
  }

  async planned(): Promise<PlanResult> {
    return planResult(await loadPlan(this.deps, this.runId));
  }

  async clustered(): Promise<ClusterResult> {
    const key = workKeys.clusterSummary(this.runId);
    const summary = JSON.parse(await this.deps.objects.getText({ bucket: this.deps.buckets.work, key })) as ClusterSummary;
    const { sources } = await loadPlan(this.deps, this.runId);
    return { runId: this.runId, clusters: summary.clusters, ...distributionOf(this.runId, sources, summary.chunks) };
  }

  reported(): { runId: string; reportPrefix: string } {
    return { runId: this.runId, reportPrefix: reportKeys.prefix(this.runId) };
  }
}
