import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readEnvironment } from '../../lambdas/config/env';
import { readCsvText, type CsvRowEvent } from '../../lambdas/core/ingest/csv-reader';
import { parseMapping, type SourceMapping } from '../../lambdas/core/model/mapping';
import { RowPreparer, type RowContext } from '../../lambdas/pipeline/ingest/prepare-row';
import { RowWorkers } from '../../lambdas/pipeline/ingest/row-workers';
import { generateSample } from '../../scripts/sample';

/**
 * An ingest job's row workers: threads running this repository's own modules that prepare rows exactly as the job's
 * thread does, and fail loudly (never a row lost) when they cannot.
 */
const mapping = parseMapping(JSON.parse(readFileSync(join(__dirname, '../../examples/sample/telco.mapping.json'), 'utf8')));
const context: RowContext = { mapping, source: 'telco', today: '2026-12-06' };
const rows = (readCsvText(generateSample({ seed: 3, people: 60 }).telcoCsv, mapping) as CsvRowEvent[]).filter((event) => event.kind === 'row');

it('prepares rows on two threads exactly as in the job thread, batches in any number', async () => {
  const preparer = new RowPreparer(context);
  const expected = rows.map((row) => preparer.prepare(row.values, row.line));
  expect(expected.length).toBeGreaterThan(40);
  expect(expected.filter((row) => row.ok).length).toBeGreaterThan(40);
  const workers = RowWorkers.start(2, context);
  try {
    const batches = [rows.slice(0, 7), rows.slice(7, 8), rows.slice(8)].map((batch) => workers.prepare(batch.map((row) => [row.values, row.line])));
    expect((await Promise.all(batches)).flat()).toEqual(expected);
  } finally {
    await workers.close();
  }
});

it('rejects every batch with a named error when a worker cannot start its work, instead of losing the rows', async () => {
  const broken = { ...context, mapping: { company: 'A' } as unknown as SourceMapping };
  const workers = RowWorkers.start(1, broken);
  try {
    await expect(workers.prepare([[rows[0].values, rows[0].line]])).rejects.toMatchObject({ name: 'CrmMergeError', message: expect.stringMatching(/ingest row worker/) });
    await expect(workers.prepare([[rows[1].values, rows[1].line]])).rejects.toThrow(/ingest row worker/);
  } finally {
    await workers.close();
  }
});

it('reads the row workers per ingest job from CRM_MERGE_INGEST_THREADS, none by default', () => {
  const base = {
    CRM_MERGE_INPUT_BUCKET: 'in',
    CRM_MERGE_WORK_BUCKET: 'work',
    CRM_MERGE_REPORTS_BUCKET: 'reports',
    CRM_MERGE_PROFILE_TABLE: 'profiles',
    CRM_MERGE_RUNS_TABLE: 'runs',
  };
  expect(readEnvironment(base).CRM_MERGE_INGEST_THREADS).toBe(0);
  expect(readEnvironment({ ...base, CRM_MERGE_INGEST_THREADS: '3' }).CRM_MERGE_INGEST_THREADS).toBe(3);
  expect(() => readEnvironment({ ...base, CRM_MERGE_INGEST_THREADS: '-1' })).toThrow(/CRM_MERGE_INGEST_THREADS/);
  expect(() => readEnvironment({ ...base, CRM_MERGE_INGEST_THREADS: 'many' })).toThrow(/CRM_MERGE_INGEST_THREADS/);
});
