import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readCsvText } from '../../lambdas/core/ingest/csv-reader';
import type { CustomerRecord, RejectedRow } from '../../lambdas/core/model/record';
import type { IngestResult, SourceInput } from '../../lambdas/pipeline/contracts';
import { readNdjson } from '../../lambdas/pipeline/ndjson';
import { runPipeline } from '../../lambdas/pipeline/run-pipeline';
import { summariseRun } from '../../lambdas/pipeline/run-summary';
import { ingestSource } from '../../lambdas/pipeline/stages/ingest';
import { reportKeys, workKeys } from '../../lambdas/pipeline/work-keys';
import { startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';

/**
 * Bad input end to end: every case of the reader's fixture corpus (test/fixtures/bad-input/manifest.json), plus the
 * cases of test/fixtures/pipeline/bad-input.json, goes through the ingest stage and through runPipeline next to two
 * good sources. Each case ends one of two ways: a typed error before any work starts (no run record, no work file),
 * or a run where every data row is a record or a reject with its line and reason (nothing dropped, nothing twice),
 * and the run's accounting balances: rows read = rows in profiles + rows rejected, per source.
 */

const BAD_INPUT = join(__dirname, '../fixtures/bad-input');
const PIPELINE = join(__dirname, '../fixtures/pipeline');

const rejectSchema = z.object({ line: z.number().int().positive(), reason: z.string() }).strict();
const optionsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
const errorSchema = z.object({ name: z.string(), message: z.string() }).strict();
const manifestSchema = z.object({
  cases: z.array(
    z.object({
      file: z.string(),
      description: z.string().optional(),
      options: optionsSchema.optional(),
      expect: z
        .object({ error: errorSchema.optional(), rows: z.number().int().optional(), rejects: z.array(rejectSchema).optional() })
        .passthrough(),
    }),
  ),
});
const columnsSchema = z.record(z.string(), z.unknown());
const pipelineSchema = z
  .object({
    $comment: z.string(),
    defaultColumns: columnsSchema,
    cases: z.array(
      z
        .object({
          file: z.string(),
          options: optionsSchema.optional(),
          columns: columnsSchema.optional(),
          preflight: errorSchema.optional(),
          mappingRejects: z.array(rejectSchema).optional(),
        })
        .strict(),
    ),
    extraCases: z.array(
      z
        .object({
          file: z.string(),
          mapping: z.string(),
          description: z.string(),
          preflight: errorSchema.optional(),
          rows: z.number().int().optional(),
          rejects: z.array(rejectSchema).optional(),
          warnings: z.record(z.string(), z.string()).optional(),
        })
        .strict(),
    ),
  })
  .strict();

/** One end-to-end case: an input file, its mapping, and what must happen. */
interface Case {
  name: string;
  source: string;
  title: string;
  body: Buffer | string;
  mapping: Record<string, unknown>;
  preflight?: { name: string; message: string };
  /** Exact data rows (row + reject events), when the reader's expectation applies to the mapping's options. */
  rows?: number;
  /** The exact rejects file (line, reason regex), when known. */
  rejects?: { line: number; reason: string }[];
  warnings?: Record<string, string>;
}

/** Reader options a mapping can express; the manifest's others (maxRecordChars, detectionBytes) only the reader can. */
const MAPPING_OPTIONS = new Set(['delimiter', 'encoding', 'trim']);
const sameOptions = (a: Record<string, unknown> = {}, b: Record<string, unknown> = {}): boolean =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

function buildCases(): Case[] {
  const manifest = manifestSchema.parse(JSON.parse(readFileSync(join(BAD_INPUT, 'manifest.json'), 'utf8')));
  const pipeline = pipelineSchema.parse(JSON.parse(readFileSync(join(PIPELINE, 'bad-input.json'), 'utf8')));
  const cases: Case[] = manifest.cases.map((c, i) => {
    const override = pipeline.cases.find((o) => o.file === c.file && sameOptions(o.options, c.options));
    const options = c.options ?? {};
    const expressible = Object.keys(options).every((key) => MAPPING_OPTIONS.has(key));
    const mapping = {
      company: 'X',
      delimiter: options.delimiter ?? 'auto',
      encoding: options.encoding ?? 'auto',
      trim: options.trim ?? false,
      columns: override?.columns ?? pipeline.defaultColumns,
    };
    const base = {
      name: `bad-${String(i).padStart(2, '0')}`,
      title: `${c.file}${c.options ? ` ${JSON.stringify(c.options)}` : ''}: ${c.description ?? ''}`,
      body: readFileSync(join(BAD_INPUT, c.file)),
      mapping,
    };
    if (c.expect.error) return { ...base, source: base.name, preflight: c.expect.error };
    if (override?.preflight) return { ...base, source: base.name, preflight: override.preflight };
    if (!expressible) return { ...base, source: base.name };
    const readerRejects = c.expect.rejects ?? [];
    const rejects = [...readerRejects, ...(override?.mappingRejects ?? [])].sort((a, b) => a.line - b.line);
    return { ...base, source: base.name, rows: (c.expect.rows ?? 0) + readerRejects.length, rejects };
  });
  pipeline.extraCases.forEach((c, i) => {
    const name = `extra-${i}`;
    cases.push({
      name,
      source: name,
      title: `${c.file} with ${c.mapping}: ${c.description}`,
      body: readFileSync(join(PIPELINE, c.file)),
      mapping: JSON.parse(readFileSync(join(PIPELINE, c.mapping), 'utf8')) as Record<string, unknown>,
      preflight: c.preflight,
      rows: c.rows,
      rejects: c.rejects,
      warnings: c.warnings,
    });
  });
  // A 1 MB field, generated rather than committed: in a column no mapping reads, and in every mapped column.
  const mb = 'x'.repeat(1024 * 1024);
  cases.push({
    name: 'big-unmapped',
    source: 'big-unmapped',
    title: 'a 1 MB value in a column the mapping does not read',
    body: `id,name,note\n1,Ann Lee,${mb}\n2,Bob Ray,short\n`,
    mapping: { company: 'X', columns: { id: 'id', fullName: 'name' } },
    rows: 2,
    rejects: [],
  });
  const columns = ['name', 'email', 'phone', 'street', 'products', 'loyalty'];
  const row = (n: number, big: string): string =>
    columns.map((column) => (column === big ? `Ab ${mb}` : column === 'name' ? `Pat Doe${n}` : column === 'email' ? `pat${n}@example.test` : '')).join(',');
  cases.push({
    name: 'big-mapped',
    source: 'big-mapped',
    title: 'a 1 MB value in each mapped column (one row each)',
    body: `id,${columns.join(',')}\n${columns.map((big, n) => `${n + 1},${row(n, big)}`).join('\n')}\n`,
    mapping: {
      company: 'X',
      columns: {
        id: 'id',
        fullName: 'name',
        email: 'email',
        phone: 'phone',
        address: { line1: 'street' },
        products: { column: 'products' },
        identifiers: { loyalty: 'loyalty' },
      },
    },
    rows: columns.length,
    rejects: columns.map((column, n) => ({
      line: n + 2,
      reason: `^value in column "${column}" is longer than 4096 characters$`,
    })),
  });
  return cases;
}

const cases = buildCases();
const preflightCases = cases.filter((c) => c.preflight);
const rowCases = cases.filter((c) => !c.preflight);

let h: PipelineHarness;
const inputs = new Map<string, SourceInput>();
const ingested = new Map<string, { result: IngestResult; rejects: RejectedRow[] }>();

beforeAll(async () => {
  h = await startPipelineHarness(40, 23);
  const bucket = h.deps.buckets.input;
  for (const c of cases) {
    const csv = { bucket, key: `bad/${c.name}/input.csv` };
    const mapping = { bucket, key: `bad/${c.name}/mapping.json` };
    await h.deps.objects.putBytes(csv, typeof c.body === 'string' ? Buffer.from(c.body, 'utf8') : c.body, 'text/csv');
    await h.deps.objects.putText(mapping, JSON.stringify(c.mapping), 'application/json');
    inputs.set(c.name, { name: c.source, uri: `s3://${bucket}/${csv.key}`, mappingUri: `s3://${bucket}/${mapping.key}` });
  }
});
afterAll(async () => h.dispose());

async function readAll<T>(key: string): Promise<T[]> {
  const out: T[] = [];
  for await (const value of readNdjson<T>(h.deps.objects, { bucket: h.deps.buckets.work, key })) out.push(value);
  return out;
}

describe('the ingest stage, case by case', () => {
  it.each(preflightCases.map((c) => [c.title, c] as const))('%s: a typed error', async (_, c) => {
    await expect(ingestSource(h.deps, { runId: `ingest-${c.name}`, source: inputs.get(c.name) as SourceInput })).rejects.toMatchObject({
      name: c.preflight?.name,
      message: expect.stringMatching(new RegExp(c.preflight?.message ?? '')),
    });
  });

  it.each(rowCases.map((c) => [c.title, c] as const))('%s: every row is a record or a reject with line and reason', async (_, c) => {
    const result = await ingestSource(h.deps, { runId: `ingest-${c.name}`, source: inputs.get(c.name) as SourceInput });
    const records = await readAll<CustomerRecord>(result.recordsKey);
    const rejects = await readAll<RejectedRow>(result.rejectsKey);
    ingested.set(c.name, { result, rejects });

    expect(result.rowsRead).toBe(records.length + rejects.length);
    expect(result.rowsRejected).toBe(rejects.length);
    // Each data row once: a line is a record or a reject, never both, never twice.
    const lines = [...records.map((r) => r.line), ...rejects.map((r) => r.line)];
    expect(new Set(lines).size).toBe(lines.length);
    for (const reject of rejects) {
      expect(reject.source).toBe(c.source);
      expect(Number.isInteger(reject.line) && reject.line >= 1).toBe(true);
      expect(reject.reason.length).toBeGreaterThan(0);
    }
    if (c.rows !== undefined) expect(result.rowsRead).toBe(c.rows);
    if (c.rejects !== undefined) {
      expect(rejects.map((r) => r.line)).toEqual(c.rejects.map((r) => r.line));
      rejects.forEach((reject, i) => expect(reject.reason).toMatch(new RegExp(c.rejects?.[i].reason ?? '')));
    }
    for (const [line, warning] of Object.entries(c.warnings ?? {}))
      expect(records.find((r) => r.line === Number(line))?.warnings).toEqual(expect.arrayContaining([expect.stringContaining(warning)]));
  });
});

describe('the ingest stage with row workers', () => {
  /** Every file an ingest job writes for its source, by kind, as bytes. */
  async function workFiles(runId: string, source: string): Promise<Record<string, string>> {
    const files: Record<string, string> = {};
    const keys = {
      records: workKeys.records(runId, source),
      rejects: workKeys.rejects(runId, source),
      features: workKeys.features(runId, source),
      keys: workKeys.keys(runId, source),
      blockingInputs: workKeys.blockingInputs(runId, source),
      reportValues: workKeys.reportValues(runId, source),
      terms: workKeys.sourceTermFrequencies(runId, source),
    };
    for (const [kind, key] of Object.entries(keys)) files[kind] = await h.deps.objects.getText({ bucket: h.deps.buckets.work, key });
    files.counts = Buffer.from(await h.deps.objects.getBytes({ bucket: h.deps.buckets.work, key: workKeys.blockCounts(runId, source) })).toString('base64');
    return files;
  }

  // The cases with reader rejects, mapping rejects, duplicate ids, encodings and multi-line records (each case starts
  // its own workers, about a second under tsx: not all of them).
  const threadedCases = rowCases.filter((c) =>
    /^(invalid-values|quoted-newlines|ragged|unterminated-quote|duplicate-rows|chars-after-closing-quote|invalid-utf8|blank-lines|mixed-line-endings|windows-1252\.csv)/.test(c.title),
  );
  const seen: { rows: number; rejects: number }[] = [];

  // Batches of three rows: every case crosses batch boundaries, with rejects between and inside batches; the files
  // must come out byte for byte as from one thread.
  it.each(threadedCases.map((c) => [c.title, c] as const))('%s: the same files, byte for byte, as without them', async (_, c) => {
    const source = inputs.get(c.name) as SourceInput;
    const threaded = { ...h.deps, settings: { ...h.deps.settings, ingestThreads: 2 } };
    const single = await ingestSource(h.deps, { runId: `rows1-${c.name}`, source });
    seen.push({ rows: single.rowsRead, rejects: single.rowsRejected });
    const parallel = await ingestSource(threaded, { runId: `rows2-${c.name}`, source }, { rowsPerBatch: 3 });
    expect(parallel).toEqual({
      ...single,
      recordsKey: workKeys.records(`rows2-${c.name}`, source.name),
      rejectsKey: workKeys.rejects(`rows2-${c.name}`, source.name),
    });
    expect(await workFiles(`rows2-${c.name}`, source.name)).toEqual(await workFiles(`rows1-${c.name}`, source.name));
  });

  it('exercised them: the cases held rejects and several batches', () => {
    expect(seen.length).toBeGreaterThanOrEqual(10);
    expect(seen.filter((c) => c.rejects > 0).length).toBeGreaterThan(5);
    expect(Math.max(...seen.map((c) => c.rows))).toBeGreaterThan(6);
  });
});

describe('runPipeline with two good sources', () => {
  it.each(preflightCases.map((c) => [c.title, c] as const))('%s: fails before any work starts', async (_, c) => {
    const runId = `pre-${c.name}`;
    // Preflight names the source in front of the reader's message.
    const message = new RegExp(`${c.preflight?.message.replace(/^\^/, '') ?? ''}`);
    const error = await runPipeline(h.deps, { runId, sources: [...h.sources, inputs.get(c.name) as SourceInput] }, { concurrency: 2 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: c.preflight?.name, message: expect.stringMatching(message) });
    expect((error as Error).message).toContain(`source "${c.source}"`);
    expect(await h.deps.runs.get(runId)).toBeNull();
    expect(await h.deps.objects.list(h.deps.buckets.work, `runs/${runId}/`)).toEqual([]);
  });

  it('runs every other case in one run: it succeeds, each source balances, and the rejects reach the report', async () => {
    const runId = 'bad-rows';
    const sources = [...h.sources, ...rowCases.map((c) => inputs.get(c.name) as SourceInput)];
    await runPipeline(h.deps, { runId, sources }, { concurrency: 4 });
    expect((await h.deps.runs.get(runId))?.status).toBe('succeeded');
    const summary = await summariseRun(h.deps, runId);
    for (const account of summary.sources) {
      expect(account).toMatchObject({ balanced: true });
      expect(account.rowsRead).toBe(account.rowsInProfiles + account.rowsRejected);
    }
    const rejectsCsv = await h.deps.objects.getText({ bucket: h.deps.buckets.reports, key: reportKeys.file(runId, 'rejects.csv') });
    const reported = new Set(
      readCsvText(rejectsCsv, { delimiter: ',', encoding: 'utf-8', trim: false }).flatMap((event) =>
        event.kind === 'row' ? [`${event.values.source}|${event.values.line}|${event.values.reason}`] : [],
      ),
    );
    for (const c of rowCases) {
      const account = summary.sources.find((a) => a.source === c.source);
      const stage = ingested.get(c.name);
      expect(stage).toBeDefined();
      // The same numbers as the ingest stage on its own, and every reject in the report with line and reason.
      expect({ read: account?.rowsRead, rejected: account?.rowsRejected }).toEqual({
        read: stage?.result.rowsRead,
        rejected: stage?.result.rowsRejected,
      });
      for (const reject of stage?.rejects ?? []) expect(reported.has(`${reject.source}|${reject.line}|${reject.reason}`)).toBe(true);
    }
  });
});
