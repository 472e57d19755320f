import { InputFileError } from '../../core/errors';
import { mapRow } from '../../core/ingest/map-row';
import { BlockSizeCounter, defaultBlockingRules } from '../../core/matching/blocking';
import { blockingInputs, encodeBlockingInputs } from '../../core/matching/blocking-inputs';
import { toFeatures } from '../../core/matching/features';
import { encodeFeatures } from '../../core/matching/features-codec';
import { memberHash } from '../../core/matching/key-counts';
import { addTermFrequencies, emptyTermFrequencies } from '../../core/matching/term-frequencies';
import { readCsv } from '../../core/ingest/csv-reader';
import { SeenRecordIds } from '../../core/ingest/seen-record-ids';
import { assertColumnsExist } from '../../core/model/mapping';
import type { RejectedRow } from '../../core/model/record';
import type { IngestEvent, IngestResult } from '../contracts';
import type { PipelineDeps } from '../deps';
import { NdjsonWriter } from '../ndjson';
import { loadMapping, objectRef } from '../source-mapping';
import { encodeReportValues } from '../report-values';
import { workKeys } from '../work-keys';

/**
 * Ingest one source: stream the CSV, check the mapping's columns against the header before any row, map and
 * normalise each row, and write records and rejects (line + reason + raw row) to the work bucket.
 * Every data row ends up in exactly one of the two files. Beside the records it writes their comparison view
 * (features), blocking inputs (block keys and refine values), keys and what the report reads of each record (report
 * values), line for line, and the counts of the source's block keys and term values: derived here, once per source
 * in parallel, so plan adds up counts and the report reads about a quarter of the records' bytes.
 */
export async function ingestSource(deps: PipelineDeps, event: IngestEvent): Promise<IngestResult> {
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
  const rules = defaultBlockingRules(Object.keys(mapping.columns.identifiers ?? {}));
  // With member sums: route tells a block of two holding the same pair as an earlier rule's block by them.
  const blockCounts = new BlockSizeCounter(rules, true);
  const termCounts = emptyTermFrequencies();
  // A digest per row, not the row: every raw row of a million-row export would cost hundreds of megabytes.
  const seenIds = new SeenRecordIds();
  // Once per job, not once per date (a Date and its ISO string per row cost about 1.5 µs).
  const today = deps.now().toISOString().slice(0, 10);
  const reject = (line: number, reason: string, raw: string): Promise<void> =>
    rejects.write({ source: source.name, line, reason, raw } satisfies RejectedRow);
  let header = false;
  try {
    for await (const event of readCsv(input, mapping)) {
      if (event.kind === 'header') {
        assertColumnsExist(mapping, event.columns, `mapping of source "${source.name}"`);
        header = true;
      } else if (event.kind === 'reject') {
        await reject(event.line, event.reason, event.raw);
      } else {
        const mapped = mapRow(event.values, { mapping, source: source.name, line: event.line, today });
        if (!mapped.ok) {
          await reject(event.line, mapped.reason, event.raw);
          continue;
        }
        const duplicate = seenIds.take(mapped.record.recordId, event.line, event.raw);
        if (duplicate !== undefined) {
          await reject(event.line, duplicate, event.raw);
          continue;
        }
        const record = { ...mapped.record, company: mapping.company };
        const view = toFeatures(record, records.count);
        await features.writeLine(encodeFeatures(view));
        const inputs = blockingInputs(view, rules);
        blockCounts.add(inputs.keys, memberHash(view.key));
        addTermFrequencies(termCounts, view);
        await blocking.writeLine(encodeBlockingInputs(inputs));
        await keys.writeLine(JSON.stringify(view.key));
        await reportValues.writeLine(encodeReportValues(record));
        await records.write(record);
      }
    }
    if (!header) throw new InputFileError(`input of source "${source.name}" has no header row`);
  } catch (error) {
    await Promise.allSettled(writers.map((writer) => writer.close()));
    throw error;
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
