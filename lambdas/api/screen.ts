import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse/sync';
import { ConfigurationError, CrmMergeError, InputFileError, MappingError, NotFoundError } from '../core/errors';
import { readCsv } from '../core/ingest/csv-reader';
import { assertColumnsExist, parseMapping, type SourceMapping } from '../core/model/mapping';
import type { PipelineDeps } from '../pipeline/deps';
import { parseCampaign, screenCsv, type ScreenSummary } from '../pipeline/screen-list';
import { parseS3Uri, type ObjectRef } from '../storage/object-store';
import { badRequest, conflict, HttpError, notFound, payloadTooLarge, type RouteResult } from './http';
import type { RouteContext } from './router';
import { linkSeconds } from './runs';
import { parseWith, screenBody, type ScreenBody } from './schemas';
import { screeningKeys } from './screening-keys';
import type { ApiServices } from './services';

/**
 * POST /screen and GET /screen/{jobId}. A small list (JSON rows or CSV text in the body) is screened while the
 * caller waits; a list of any size in S3 becomes a job: its file `screening/<jobId>/job.json` and, when done,
 * `screening/<jobId>/result.csv` in the work bucket (which expires work files), with a presigned result link.
 */

/** Inline lists: at most this many rows (JSON rows or CSV data rows) ... */
export const MAX_INLINE_ROWS = 1000;
/** ... and at most this much CSV text. Anything bigger goes through S3 (`listUri`). */
export const MAX_INLINE_CSV_BYTES = 512 * 1024;

/** Where screening jobs live in the work bucket (defined in screening-keys.ts, light enough for the CDK stack). */
export { screeningKeys };

export const JOB_ID_PATTERN = /^screen-[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}$/;

export function newJobId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `screen-${stamp}-${randomBytes(4).toString('hex')}`;
}

export interface ScreenJob {
  jobId: string;
  status: 'running' | 'succeeded' | 'failed';
  createdAt: string;
  finishedAt: string | null;
  /** As given: switch | winback | offer:PRODUCT. */
  campaign: string;
  listUri: string;
  /** The validated mapping of the list's columns (column names only, no customer data). */
  mapping: SourceMapping;
  summary: Omit<ScreenSummary, 'campaign'> | null;
  error: string | null;
}

/** The fields a JSON row may use when no mapping is given, and where each goes in the mapping. */
export const DEFAULT_ROW_FIELDS = [
  'id',
  'fullName',
  'firstName',
  'middleName',
  'lastName',
  'nameSuffix',
  'email',
  'phone',
  'addressLine',
  'line1',
  'line2',
  'city',
  'state',
  'postcode',
  'dateOfBirth',
] as const;

/** A mapping for JSON rows that use {@link DEFAULT_ROW_FIELDS} as their keys (dateOfBirth as YYYY-MM-DD). */
export function defaultRowMapping(fields: ReadonlySet<string>): SourceMapping {
  const has = (field: string): boolean => fields.has(field);
  const columns: Record<string, unknown> = { id: 'id' };
  for (const field of ['fullName', 'firstName', 'middleName', 'lastName', 'nameSuffix', 'email', 'phone', 'addressLine'])
    if (has(field)) columns[field] = field;
  const address: Record<string, string> = {};
  for (const part of ['line1', 'line2', 'city', 'state', 'postcode']) if (has(part)) address[part] = part;
  if (Object.keys(address).length > 0) columns.address = address;
  if (has('dateOfBirth')) columns.dateOfBirth = { column: 'dateOfBirth', format: 'ISO' };
  if (!has('fullName') && !has('firstName') && !has('lastName'))
    throw badRequest(`rows: without a mapping, rows need a fullName, firstName or lastName field (known fields: ${DEFAULT_ROW_FIELDS.join(', ')})`, 'rows');
  return parseMapping({ company: 'campaign', delimiter: ',', encoding: 'utf-8', columns }, 'default row mapping');
}

/** One RFC 4180 cell, without the formula escaping of csvRow: this text is parsed again, not opened in a spreadsheet. */
function plainCell(value: string): string {
  return /[",\r\n]|^ | $/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function rowsToCsv(rows: readonly Record<string, string | number | boolean | null>[]): { csv: string; header: string[]; rows: Record<string, string>[] } {
  const header: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (seen.has(key)) continue;
      seen.add(key);
      header.push(key);
    }
  }
  const addId = !seen.has('id');
  if (addId) header.unshift('id');
  const text = rows.map((row, index) => {
    const values: Record<string, string> = {};
    for (const column of header) {
      const value = column === 'id' && addId ? String(index + 1) : row[column];
      values[column] = value === null || value === undefined ? '' : String(value);
    }
    return values;
  });
  const lines = [header.map(plainCell).join(','), ...text.map((values) => header.map((column) => plainCell(values[column])).join(','))];
  return { csv: `${lines.join('\n')}\n`, header, rows: text };
}

function checkInputBucket(deps: PipelineDeps, uri: string, field: string): ObjectRef {
  const ref = parseS3Uri(uri);
  if (!ref || ref.bucket !== deps.buckets.input) throw badRequest(`${field}: must be in the input bucket (s3://${deps.buckets.input}/...)`, field);
  return ref;
}

async function resolveMapping(deps: PipelineDeps, body: ScreenBody, rowFields: ReadonlySet<string> | null): Promise<SourceMapping> {
  if (body.mapping !== undefined && body.mappingUri !== undefined) throw badRequest('mapping: give mapping or mappingUri, not both', 'mapping');
  if (body.mapping !== undefined) {
    try {
      return parseMapping(body.mapping, 'mapping');
    } catch (error) {
      if (error instanceof MappingError) throw badRequest(error.message, 'mapping');
      throw error;
    }
  }
  if (body.mappingUri !== undefined) {
    const ref = checkInputBucket(deps, body.mappingUri, 'mappingUri');
    let text: string;
    try {
      text = await deps.objects.getText(ref);
    } catch (error) {
      if (error instanceof NotFoundError) throw badRequest('mappingUri: no such object', 'mappingUri');
      throw error;
    }
    try {
      return parseMapping(JSON.parse(text), 'mapping at mappingUri');
    } catch (error) {
      if (error instanceof MappingError) throw badRequest(error.message, 'mappingUri');
      throw badRequest('mappingUri: not valid JSON', 'mappingUri');
    }
  }
  if (rowFields) return defaultRowMapping(rowFields);
  throw badRequest('mapping: a CSV list needs a mapping (or mappingUri) naming its columns', 'mapping');
}

function campaignOf(body: ScreenBody): { text: string; campaign: ReturnType<typeof parseCampaign> } {
  const text = body.campaign ?? 'switch';
  try {
    return { text, campaign: parseCampaign(text) };
  } catch (error) {
    if (error instanceof ConfigurationError) throw badRequest('campaign: must be switch, winback or offer:PRODUCT', 'campaign');
    throw error;
  }
}

async function requireActiveRun(deps: PipelineDeps): Promise<void> {
  if (!(await deps.profiles.activeRunId())) throw conflict('no run has been published yet: there are no profiles to screen against');
}

/** Errors of reading and screening a list that are the list's fault, as 400s. */
function listError(error: unknown, field: string): never {
  if (error instanceof MappingError || error instanceof InputFileError) throw badRequest(`${field}: ${error.message}`, field);
  throw error;
}

class TooManyRows extends Error {}

/** Screens CSV text in this request; stops with a 413 past {@link MAX_INLINE_ROWS} rows. */
async function screenInline(deps: PipelineDeps, csv: string, mapping: SourceMapping, campaign: ReturnType<typeof parseCampaign>, field: string) {
  const lines: string[] = [];
  let summary: ScreenSummary;
  try {
    summary = await screenCsv(deps, Readable.from([Buffer.from(csv, 'utf8')]), mapping, campaign, (text) => {
      lines.push(text);
      if (lines.length > MAX_INLINE_ROWS + 1) throw new TooManyRows();
    });
  } catch (error) {
    if (error instanceof TooManyRows)
      throw payloadTooLarge(`${field}: more than ${MAX_INLINE_ROWS} rows; put the list in S3 and pass listUri to screen it as a job`, field);
    listError(error, field);
  }
  return { summary, output: lines.join('') };
}

/** The four columns screenCsv adds, from one output line (the last four cells: rejected rows keep their raw text first). */
function addedColumns(cells: string[]): { suppress: boolean; reasons: string[]; profileId: string | null; matchProbability: number | null } {
  const [suppress, reasons, profileId, probability] = cells.slice(-4);
  return {
    suppress: suppress === 'true',
    reasons: reasons ? reasons.split('; ') : [],
    profileId: profileId || null,
    matchProbability: probability === '' || probability === undefined ? null : Number(probability),
  };
}

const summaryView = ({ campaign: _campaign, ...rest }: ScreenSummary): Omit<ScreenSummary, 'campaign'> => {
  void _campaign;
  return rest;
};

/** POST /screen */
export async function screenList(services: ApiServices, context: RouteContext): Promise<RouteResult> {
  const { deps } = services;
  const body = parseWith(screenBody, context.body);
  const given = (['rows', 'csv', 'listUri'] as const).filter((field) => body[field] !== undefined);
  if (given.length !== 1) throw badRequest('give exactly one of rows, csv or listUri', given[1] ?? 'rows');
  const { text: campaignText, campaign } = campaignOf(body);

  if (body.rows !== undefined) {
    if (body.rows.length === 0) throw badRequest('rows: the list is empty', 'rows');
    if (body.rows.length > MAX_INLINE_ROWS)
      throw payloadTooLarge(`rows: ${body.rows.length} rows is more than the ${MAX_INLINE_ROWS} an inline list may have; put the list in S3 and pass listUri`, 'rows');
    const fields = new Set(body.rows.flatMap((row) => Object.keys(row)));
    const mapping = await resolveMapping(deps, body, fields);
    await requireActiveRun(deps);
    const list = rowsToCsv(body.rows);
    const { summary, output } = await screenInline(deps, list.csv, mapping, campaign, 'rows');
    const cells = parseCsv(output, { relax_column_count: true, skip_empty_lines: true }) as string[][];
    const results = list.rows.map((row, index) => ({ row, ...addedColumns(cells[index + 1] ?? []) }));
    return { status: 200, body: { runId: summary.runId, campaign: campaignText, summary: summaryView(summary), results } };
  }

  if (body.csv !== undefined) {
    const bytes = Buffer.byteLength(body.csv, 'utf8');
    if (bytes > MAX_INLINE_CSV_BYTES)
      throw payloadTooLarge(`csv: ${bytes} bytes is more than the ${MAX_INLINE_CSV_BYTES} an inline list may have; put the list in S3 and pass listUri`, 'csv');
    if (body.csv.trim() === '') throw badRequest('csv: the list is empty', 'csv');
    const mapping = await resolveMapping(deps, body, null);
    await requireActiveRun(deps);
    const { summary, output } = await screenInline(deps, body.csv, mapping, campaign, 'csv');
    return { status: 200, body: { runId: summary.runId, campaign: campaignText, summary: summaryView(summary), csv: output } };
  }

  // A list in S3: checked now (exists, header has the mapped columns), screened as a job.
  const listUri = body.listUri as string;
  const ref = checkInputBucket(deps, listUri, 'listUri');
  const mapping = await resolveMapping(deps, body, null);
  await requireActiveRun(deps);
  await checkListHeader(deps, ref, mapping);
  const now = deps.now();
  const job: ScreenJob = {
    jobId: newJobId(now),
    status: 'running',
    createdAt: now.toISOString(),
    finishedAt: null,
    campaign: campaignText,
    listUri,
    mapping,
    summary: null,
    error: null,
  };
  await writeJob(deps, job);
  try {
    await services.launcher.startScreenJob(job.jobId);
  } catch (error) {
    const reason = error instanceof CrmMergeError || error instanceof HttpError ? error.message : error instanceof Error ? error.name : 'unknown error';
    await writeJob(deps, { ...job, status: 'failed', finishedAt: deps.now().toISOString(), error: `could not start the job: ${reason}` }).catch(
      () => undefined,
    );
    throw error;
  }
  const link = `/screen/${job.jobId}`;
  return { status: 202, body: { job: jobView(job), links: { self: link } }, headers: { location: link } };
}

async function checkListHeader(deps: PipelineDeps, ref: ObjectRef, mapping: SourceMapping): Promise<void> {
  let stream: Readable;
  try {
    stream = await deps.objects.getStream(ref);
  } catch (error) {
    if (error instanceof NotFoundError) throw badRequest('listUri: no such object', 'listUri');
    throw error;
  }
  try {
    for await (const event of readCsv(stream, mapping)) {
      if (event.kind === 'header') assertColumnsExist(mapping, event.columns, 'campaign list mapping');
      break;
    }
  } catch (error) {
    listError(error, 'listUri');
  } finally {
    stream.destroy();
  }
}

async function writeJob(deps: PipelineDeps, job: ScreenJob): Promise<void> {
  await deps.objects.putText({ bucket: deps.buckets.work, key: screeningKeys.job(job.jobId) }, JSON.stringify(job), 'application/json');
}

export async function readJob(deps: PipelineDeps, jobId: string): Promise<ScreenJob | null> {
  try {
    return JSON.parse(await deps.objects.getText({ bucket: deps.buckets.work, key: screeningKeys.job(jobId) })) as ScreenJob;
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

function jobView(job: ScreenJob) {
  const { mapping: _mapping, ...rest } = job;
  void _mapping;
  return rest;
}

/** GET /screen/{jobId} */
export async function getScreenJob(services: ApiServices, context: RouteContext): Promise<RouteResult> {
  const { deps } = services;
  const { jobId } = context.params;
  if (!JOB_ID_PATTERN.test(jobId)) throw badRequest('jobId: not a screening job id', 'jobId');
  const expiresIn = linkSeconds(context.query);
  const job = await readJob(deps, jobId);
  if (!job) throw notFound(`screening job ${jobId} does not exist (jobs expire with the work bucket's work files)`);
  let result: { url: string; expiresInSeconds: number; expiresAt: string } | null = null;
  if (job.status === 'succeeded') {
    const url = await deps.objects.presignGet({ bucket: deps.buckets.work, key: screeningKeys.result(jobId) }, expiresIn);
    result = { url, expiresInSeconds: expiresIn, expiresAt: new Date(deps.now().getTime() + expiresIn * 1000).toISOString() };
  }
  return { status: 200, body: { job: jobView(job), result } };
}

/**
 * The job itself (the screen-job Lambda in AWS, the background of the local server): streams the list from S3
 * through screenCsv into `result.csv`, then records the summary, or the failure. Runs a job at most once.
 */
export async function runScreenJob(deps: PipelineDeps, jobId: string): Promise<ScreenJob> {
  const job = await readJob(deps, jobId);
  if (!job) throw new NotFoundError(`screening job ${jobId} does not exist`);
  if (job.status !== 'running') return job;
  let finished: ScreenJob;
  try {
    const list = parseS3Uri(job.listUri);
    if (!list) throw new MappingError('listUri must be an s3:// URI');
    const input = await deps.objects.getStream(list);
    const out = new PassThrough();
    const upload = deps.objects.putStream({ bucket: deps.buckets.work, key: screeningKeys.result(jobId) }, out, 'text/csv');
    // A failed upload must not leave screenCsv waiting for 'drain' forever.
    upload.catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error('upload failed')));
    let summary: ScreenSummary;
    try {
      summary = await screenCsv(deps, input, job.mapping, parseCampaign(job.campaign), async (text) => {
        if (!out.write(text)) await once(out, 'drain');
      });
      out.end();
      await upload;
    } catch (error) {
      input.destroy();
      out.destroy();
      await upload.catch(() => undefined);
      throw error;
    }
    finished = { ...job, status: 'succeeded', finishedAt: deps.now().toISOString(), summary: summaryView(summary) };
  } catch (error) {
    // Messages of crm-merge errors never quote customer values; anything else is reduced to its name.
    const reason = error instanceof CrmMergeError ? `${error.name}: ${error.message}` : error instanceof Error ? error.name : 'unknown error';
    finished = { ...job, status: 'failed', finishedAt: deps.now().toISOString(), error: reason };
  }
  await writeJob(deps, finished);
  return finished;
}
