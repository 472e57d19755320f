import { CrmMergeError, InputFileError } from '../../core/errors';
import { BlockSizeCounter } from '../../core/matching/blocking';
import { addTermFrequencies, emptyTermFrequencies } from '../../core/matching/term-frequencies';
import { readCsv, type CsvRejectEvent, type CsvRowEvent } from '../../core/ingest/csv-reader';
import { SeenRecordIds } from '../../core/ingest/seen-record-ids';
import { assertColumnsExist } from '../../core/model/mapping';
import type { RejectedRow } from '../../core/model/record';
import type { IngestEvent, IngestResult } from '../contracts';
import type { PipelineDeps } from '../deps';
import { NdjsonWriter } from '../ndjson';
import { loadMapping, objectRef } from '../source-mapping';
import { RowPreparer, type PreparedRow, type RowContext } from '../ingest/prepare-row';
import { RowWorkers, type RowInput } from '../ingest/row-workers';
import { workKeys } from '../work-keys';

/** Rows per batch a row worker prepares: large enough that messaging is a small share of a row's cost. */
const ROWS_PER_BATCH = 256;

export interface IngestOptions {
  /** Rows per row-worker batch (tests use small batches to cross batch boundaries on small inputs). */
  rowsPerBatch?: number;
}

/**
 * Ingest one source: stream the CSV, check the mapping's columns against the header before any row, map and
 * normalise each row, and write records and rejects (line + reason + raw row) to the work bucket.
 * Every data row ends up in exactly one of the two files. Beside the records it writes their comparison view
 * (features), blocking inputs (block keys and refine values), keys and what the report reads of each record (report
 * values), line for line, and the counts of the source's block keys and term values: derived here, once per source
 * in parallel, so plan adds up counts and the report reads about a quarter of the records' bytes. With
 * `ingestThreads` the rows are mapped and encoded on row workers (ingest/row-workers.ts) and written in input order.
 */
export async function ingestSource(deps: PipelineDeps, event: IngestEvent, options: IngestOptions = {}): Promise<IngestResult> {
  const { runId, source } = event;
  const mapping = await loadMapping(deps.objects, source);
  const input = await deps.objects.getStream(objectRef(source.uri, `input of source "${source.name}"`));
  const recordsKey = workKeys.records(runId, source.name);
  const rejectsKey = workKeys.rejects(runId, source.name);
  const records = new NdjsonWriter(deps.objects, { bucket: deps.buckets.work, key: recordsKey });
  const rejects = new NdjsonWriter(deps.objects, { bucket: deps.buckets.work, key: rejectsKey });
  const features = new NdjsonWriter(deps.objects, { bucket: deps.buckets.work, key: workKeys.features(runId, source.name) });
  const blocking = new NdjsonWriter(deps.objects, { bucket: deps.buckets.work, key: workKeys.blockingInputs(runId, source.name) });
  const keys = new NdjsonWriter(deps.objects, { bucket: deps.buckets.work, key: workKeys.keys(runId, source.name) });
  const reportValues = new NdjsonWriter(deps.objects, { bucket: deps.buckets.work, key: workKeys.reportValues(runId, source.name) });
  const writers = [records, rejects, features, blocking, keys, reportValues];
  // Once per job, not once per date (a Date and its ISO string per row cost about 1.5 µs).
  const context: RowContext = { mapping, source: source.name, today: deps.now().toISOString().slice(0, 10) };
  const preparer = new RowPreparer(context);
  // With member sums: route tells a block of two holding the same pair as an earlier rule's block by them.
  const blockCounts = new BlockSizeCounter(preparer.rules, true);
  const termCounts = emptyTermFrequencies();
  // A digest per row, not the row: every raw row of a million-row export would cost hundreds of megabytes.
  const seenIds = new SeenRecordIds();
  const threads = deps.settings.ingestThreads;
  const rowsPerBatch = options.rowsPerBatch ?? ROWS_PER_BATCH;
  let rowWorkers: RowWorkers | null = null;
  const reject = (line: number, reason: string, raw: string): Promise<void> =>
    rejects.write({ source: source.name, line, reason, raw } satisfies RejectedRow);

  /** Writes one event after the header, in input order: a reject, or a prepared row unless its id is a duplicate. */
  async function write(event: CsvRowEvent | CsvRejectEvent, prepared: PreparedRow | undefined): Promise<void> {
    if (event.kind === 'reject') return reject(event.line, event.reason, event.raw);
    if (prepared === undefined) throw new CrmMergeError(`row on line ${event.line} came back from its row worker unprepared`);
    if (!prepared.ok) return reject(event.line, prepared.reason, event.raw);
    const duplicate = seenIds.take(prepared.recordId, event.line, event.raw);
    if (duplicate !== undefined) return reject(event.line, duplicate, event.raw);
    await features.writeLine(prepared.features);
    blockCounts.add(prepared.keys, prepared.member);
    addTermFrequencies(termCounts, prepared.terms);
    await blocking.writeLine(prepared.blockingInputs);
    await keys.writeLine(prepared.key);
    await reportValues.writeLine(prepared.reportValues);
    await records.writeLine(prepared.record);
  }

  // With row workers: events in batches, each batch's rows prepared on a worker, batches written in the order read.
  let batch: (CsvRowEvent | CsvRejectEvent)[] = [];
  const inFlight: { events: (CsvRowEvent | CsvRejectEvent)[]; prepared: Promise<PreparedRow[]> }[] = [];
  const send = (workers: RowWorkers): void => {
    const rows: RowInput[] = [];
    for (const event of batch) if (event.kind === 'row') rows.push([event.values, event.line]);
    const prepared = workers.prepare(rows);
    // Awaited in order below; a rejection while earlier batches are written is not unhandled meanwhile.
    prepared.catch(() => undefined);
    inFlight.push({ events: batch, prepared });
    batch = [];
  };
  const writeBatches = async (keep: number): Promise<void> => {
    while (inFlight.length > keep) {
      const { events, prepared } = inFlight.shift() as (typeof inFlight)[number];
      const rows = await prepared;
      let next = 0;
      for (const event of events) await write(event, event.kind === 'row' ? rows[next++] : undefined);
    }
  };

  let header = false;
  try {
    // Started inside the try: the writers' uploads are already open and must be closed if the workers cannot start.
    if (threads > 0) rowWorkers = RowWorkers.start(threads, context);
    for await (const event of readCsv(input, mapping)) {
      if (event.kind === 'header') {
        assertColumnsExist(mapping, event.columns, `mapping of source "${source.name}"`);
        header = true;
      } else if (rowWorkers === null) {
        await write(event, event.kind === 'row' ? preparer.prepare(event.values, event.line) : undefined);
      } else {
        batch.push(event);
        if (batch.length >= rowsPerBatch) {
          send(rowWorkers);
          // Two batches per worker in flight: each always has the next while the job writes.
          await writeBatches(threads * 2);
        }
      }
    }
    if (rowWorkers !== null) {
      if (batch.length > 0) send(rowWorkers);
      await writeBatches(0);
    }
    if (!header) throw new InputFileError(`input of source "${source.name}" has no header row`);
  } catch (error) {
    await Promise.allSettled(writers.map((writer) => writer.close()));
    throw error;
  } finally {
    await rowWorkers?.close();
  }
  await Promise.all(writers.map((writer) => writer.close()));
  const bucket = deps.buckets.work;
  await deps.objects.putBytes({ bucket, key: workKeys.blockCounts(runId, source.name) }, blockCounts.toBytes());
  await deps.objects.putText(
    { bucket, key: workKeys.sourceTermFrequencies(runId, source.name) },
    JSON.stringify(termCounts),
    'application/json',
  );
  const rowsRejected = rejects.count;
  return {
    source: source.name,
    company: mapping.company,
    identifiers: Object.keys(mapping.columns.identifiers ?? {}).sort(),
    rowsRead: records.count + rowsRejected,
    rowsRejected,
    recordsKey,
    rejectsKey,
  };
}
