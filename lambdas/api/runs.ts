import { createHash, randomBytes } from 'node:crypto';
import { ConfigurationError, CrmMergeError, InputFileError, MappingError, NotFoundError } from '../core/errors';
import type { RunInput, SourceInput } from '../pipeline/contracts';
import type { PipelineDeps } from '../pipeline/deps';
import { preflightSources } from '../pipeline/preflight';
import { reportKeys } from '../pipeline/work-keys';
import { RunAlreadyExistsError } from '../storage/dynamo-run-store';
import { parseS3Uri } from '../storage/object-store';
import type { RunRecord } from '../storage/profile-store';
import { badRequest, conflict, HttpError, notFound, type RouteResult } from './http';
import type { RouteContext } from './router';
import { createRunBody, intParam, parseWith, type CreateRunBody } from './schemas';
import type { ApiServices } from './services';

/** Run ids in paths: what `newRunId` and {@link tokenRunId} produce, plus anything a CLI user passed; or `latest`. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

/** Presigned links live 5 minutes unless the caller asks for up to 15. */
export const DEFAULT_LINK_SECONDS = 300;
export const MAX_LINK_SECONDS = 900;

/** A run as the API shows it. */
export interface RunView {
  runId: string;
  status: RunRecord['status'];
  stage: string;
  /** Whether marketing is served from this run's profiles. */
  active: boolean;
  startedAt: string;
  finishedAt: string | null;
  /** Wall-clock duration so far (running) or in total (finished), ms. */
  elapsedMs: number;
  counts: Record<string, number>;
  /** Milliseconds per stage. */
  timings: Record<string, number>;
  error: string | null;
  sources: SourceInput[];
  clientToken: string | null;
  links: { self: string; report: string };
}

export function runView(run: RunRecord, activeRunId: string | null, now: Date): RunView {
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now.getTime();
  return {
    runId: run.runId,
    status: run.status,
    stage: run.stage,
    active: run.runId === activeRunId,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    elapsedMs: Math.max(0, end - Date.parse(run.startedAt)),
    counts: run.counts ?? {},
    timings: run.timings ?? {},
    error: run.error,
    sources: run.sources,
    clientToken: run.clientToken,
    links: { self: `/runs/${run.runId}`, report: `/runs/${run.runId}/report` },
  };
}

export function newRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `run-${stamp}-${randomBytes(3).toString('hex')}`;
}

/**
 * The run id of a client token: derived, so two requests with the same token that race past the token lookup both
 * try to create the same run id, and DynamoDB's conditional put lets exactly one of them win. Also the Step
 * Functions execution name, which makes StartExecution itself idempotent.
 */
export function tokenRunId(token: string): string {
  return `run-t${createHash('sha256').update(token).digest('hex').slice(0, 24)}`;
}

function sameSources(a: readonly SourceInput[], b: readonly SourceInput[]): boolean {
  return a.length === b.length && a.every((source, i) => source.name === b[i].name && source.uri === b[i].uri && source.mappingUri === b[i].mappingUri);
}

/** The answer to a repeated POST with a known token: the same run (200), or 409 when the request differs. */
async function replay(deps: PipelineDeps, existing: RunRecord, body: CreateRunBody): Promise<RouteResult> {
  if (!sameSources(existing.sources, body.sources))
    throw conflict(`clientToken: already used for run ${existing.runId} with different sources; use a new token for a new run`, 'clientToken');
  const view = runView(existing, await deps.profiles.activeRunId(), deps.now());
  return { status: 200, body: { run: view, replayed: true }, headers: { location: view.links.self } };
}

/** Sources must be in the input bucket: that is the only bucket the pipeline's ingest function may read. */
function checkBuckets(deps: PipelineDeps, sources: readonly SourceInput[]): void {
  sources.forEach((source, i) => {
    for (const field of ['uri', 'mappingUri'] as const) {
      const ref = parseS3Uri(source[field]);
      if (ref?.bucket !== deps.buckets.input)
        throw badRequest(`sources[${i}].${field}: must be in the input bucket (s3://${deps.buckets.input}/...)`, `sources[${i}].${field}`);
    }
  });
}

/** Preflight (mapping valid, every mapped column in the file's header) as 400s instead of a failed run later. */
async function preflight(deps: PipelineDeps, sources: readonly SourceInput[]): Promise<void> {
  try {
    await preflightSources(deps, sources);
  } catch (error) {
    if (error instanceof MappingError || error instanceof InputFileError || error instanceof ConfigurationError || error instanceof NotFoundError)
      throw badRequest(`sources: ${error.message}`, 'sources');
    throw error;
  }
}

/** POST /runs */
export async function createRun(services: ApiServices, context: RouteContext): Promise<RouteResult> {
  const { deps, launcher } = services;
  const body = parseWith(createRunBody, context.body);
  checkBuckets(deps, body.sources);
  const token = body.clientToken ?? null;
  if (token !== null) {
    const existing = await deps.runs.findByClientToken(token);
    if (existing) return replay(deps, existing, body);
  }
  await preflight(deps, body.sources);

  const now = deps.now();
  const runId = token === null ? newRunId(now) : tokenRunId(token);
  const sources: SourceInput[] = body.sources.map(({ name, uri, mappingUri }) => ({ name, uri, mappingUri }));
  const record: RunRecord = {
    runId,
    status: 'running',
    stage: 'ingest',
    startedAt: now.toISOString(),
    finishedAt: null,
    clientToken: token,
    sources,
    counts: {},
    timings: {},
    error: null,
    reportPrefix: null,
  };
  try {
    await deps.runs.create(record);
  } catch (error) {
    if (!(error instanceof RunAlreadyExistsError)) throw error;
    // Lost a race with the same token: answer like the winner did.
    const existing = await deps.runs.get(runId);
    if (!existing) throw error;
    return replay(deps, existing, body);
  }
  const input: RunInput = { runId, sources };
  try {
    await launcher.startRun(input);
  } catch (error) {
    const reason = error instanceof CrmMergeError || error instanceof HttpError ? error.message : error instanceof Error ? error.name : 'unknown error';
    await deps.runs
      .update(runId, { status: 'failed', finishedAt: deps.now().toISOString(), error: `could not start the pipeline: ${reason}` })
      .catch(() => undefined);
    throw error;
  }
  const view = runView(record, await deps.profiles.activeRunId(), deps.now());
  return { status: 202, body: { run: view, replayed: false }, headers: { location: view.links.self } };
}

/** `latest` (the active run) or a run id; 404 when there is no such run. */
async function resolveRun(deps: PipelineDeps, id: string): Promise<RunRecord> {
  if (!RUN_ID_PATTERN.test(id)) throw badRequest('id: not a run id', 'id');
  let runId = id;
  if (id === 'latest') {
    const active = await deps.profiles.activeRunId();
    if (!active) throw notFound('no run has been published yet, so there is no latest run');
    runId = active;
  }
  const run = await deps.runs.get(runId);
  if (!run) throw notFound(`run ${runId} does not exist`);
  return run;
}

/** GET /runs/{id} */
export async function getRun(services: ApiServices, context: RouteContext): Promise<RouteResult> {
  const { deps } = services;
  const run = await resolveRun(deps, context.params.id);
  return { status: 200, body: { run: runView(run, await deps.profiles.activeRunId(), deps.now()) } };
}

/** GET /runs */
export async function listRuns(services: ApiServices, context: RouteContext): Promise<RouteResult> {
  const { deps } = services;
  const limit = intParam(context.query, 'limit', 1, 100, 20);
  const [runs, active] = await Promise.all([deps.runs.recent(limit), deps.profiles.activeRunId()]);
  const now = deps.now();
  return { status: 200, body: { active, runs: runs.map((run) => runView(run, active, now)) } };
}

/** A presigned link's lifetime from `?expiresIn=`, at most 900 s. */
export function linkSeconds(query: Record<string, string>): number {
  return intParam(query, 'expiresIn', 1, MAX_LINK_SECONDS, DEFAULT_LINK_SECONDS);
}

/** GET /runs/{id}/report */
export async function getRunReport(services: ApiServices, context: RouteContext): Promise<RouteResult> {
  const { deps } = services;
  const expiresIn = linkSeconds(context.query);
  const run = await resolveRun(deps, context.params.id);
  const bucket = deps.buckets.reports;
  const prefix = reportKeys.prefix(run.runId);
  const keys = await deps.objects.list(bucket, prefix);
  if (keys.length === 0)
    throw notFound(`run ${run.runId} has no report (status ${run.status}, stage ${run.stage}); reports are written by the report stage`);
  const expiresAt = new Date(deps.now().getTime() + expiresIn * 1000).toISOString();
  const files = await Promise.all(
    keys.map(async (key) => ({ name: key.slice(prefix.length), url: await deps.objects.presignGet({ bucket, key }, expiresIn) })),
  );
  return { status: 200, body: { runId: run.runId, expiresInSeconds: expiresIn, expiresAt, files } };
}

/** Thrown by a launcher that could not start work: answered 502, the run or job is marked failed. */
export class LaunchError extends HttpError {
  constructor(what: string) {
    super(502, 'bad_gateway', `could not start ${what}; try again`);
  }
}
