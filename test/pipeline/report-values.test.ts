import type { CustomerRecord } from '../../lambdas/core/model/record';
import { isStale, summariseActivity } from '../../lambdas/core/profiles/activity';
import { recordOrigin } from '../../lambdas/core/profiles/survivorship';
import { readNdjson, readNdjsonLines } from '../../lambdas/pipeline/ndjson';
import { readRecordsForReport } from '../../lambdas/pipeline/report-content';
import { decodeReportValues, reportValuesOf } from '../../lambdas/pipeline/report-values';
import { runPipeline } from '../../lambdas/pipeline/run-pipeline';
import { loadPlan } from '../../lambdas/pipeline/stages/compare';
import { writeReport } from '../../lambdas/pipeline/stages/report';
import { reportKeys, workKeys } from '../../lambdas/pipeline/work-keys';
import { startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';

/**
 * What the report reads of each record, written by ingest beside the records file: the display values and the data
 * quality come out exactly as from the records themselves, and a run ingested before the file existed is reported
 * from its records files.
 */

let h: PipelineHarness;
const runId = 'report-values';
const work = (): string => h.deps.buckets.work;
const fixedNow = new Date('2026-12-06T09:00:00Z');

beforeAll(async () => {
  h = await startPipelineHarness(150, 31);
  await runPipeline(h.deps, { runId, sources: h.sources }, { concurrency: 2 });
});
afterAll(async () => h.dispose());

async function reportFiles(): Promise<Record<string, string>> {
  await writeReport({ ...h.deps, now: () => fixedNow }, { runId });
  const files: Record<string, string> = {};
  for (const name of ['matches.csv', 'members.csv', 'rejects.csv', 'summary.json', 'report.html'])
    files[name] = await h.deps.objects.getText({ bucket: h.deps.buckets.reports, key: reportKeys.file(runId, name) });
  return files;
}

it('ingest writes one report-values line per record, in the records file order, each the record reduced', async () => {
  let warned = 0;
  let bytes = 0;
  let recordBytes = 0;
  for (const source of h.sources) {
    const records: CustomerRecord[] = [];
    for await (const record of readNdjson<CustomerRecord>(h.deps.objects, { bucket: work(), key: workKeys.records(runId, source.name) }))
      records.push(record);
    const lines: string[] = [];
    for await (const text of readNdjsonLines(h.deps.objects, { bucket: work(), key: workKeys.reportValues(runId, source.name) })) lines.push(text);
    expect(records.length).toBeGreaterThan(100);
    expect(lines.map(decodeReportValues)).toEqual(records.map(reportValuesOf));
    warned += records.filter((record) => record.warnings.length > 0).length;
    bytes += lines.reduce((sum, line) => sum + line.length + 1, 0);
    recordBytes += records.reduce((sum, record) => sum + JSON.stringify(record).length + 1, 0);
  }
  // The sample has invalid values, so the invalid-field counts are exercised too.
  expect(warned).toBeGreaterThan(0);
  expect(bytes).toBeLessThan(recordBytes / 4);
});

it('gives the report the same values and data quality as the records, and the same files when they are gone', async () => {
  const plan = await loadPlan(h.deps, runId);
  const withFiles = await readRecordsForReport(h.deps, runId, plan, h.deps.settings.staleAfterDays);
  expect(withFiles.quality.some((q) => Object.keys(q.invalid).length > 0 && q.stale > 0)).toBe(true);
  const before = await reportFiles();
  expect(before['matches.csv'].split('\n').length).toBeGreaterThan(50);

  // A run ingested by an earlier version has no report-values files: the report derives them from the records.
  for (const source of h.sources) await h.deps.objects.deletePrefix(work(), workKeys.reportValues(runId, source.name));
  expect(await h.deps.objects.exists({ bucket: work(), key: workKeys.reportValues(runId, h.sources[0].name) })).toBe(false);
  expect(await readRecordsForReport(h.deps, runId, plan, h.deps.settings.staleAfterDays)).toEqual(withFiles);
  expect(await reportFiles()).toEqual(before);
});

it('counts a record stale in the report exactly when a profile of that record alone would be flagged stale', async () => {
  const plan = await loadPlan(h.deps, runId);
  const { staleAfterDays } = h.deps.settings;
  const { quality } = await readRecordsForReport(h.deps, runId, plan, staleAfterDays);
  const staleAlone = (record: CustomerRecord, asOf = plan.asOf): boolean =>
    summariseActivity([{ record, origin: recordOrigin(record) }], asOf, staleAfterDays).stale;
  const someRecords: CustomerRecord[] = [];
  for (const source of h.sources) {
    const records: CustomerRecord[] = [];
    for await (const record of readNdjson<CustomerRecord>(h.deps.objects, { bucket: work(), key: workKeys.records(runId, source.name) }))
      records.push(record);
    expect(quality.find((q) => q.source === source.name)?.stale).toBe(records.filter((record) => staleAlone(record)).length);
    someRecords.push(records[0]);
  }
  // The cases the sample lacks, where the report's earlier rule (last activity, else customer since; no date never
  // stale) disagreed with the profiles': no date at all, and an old last activity with a recent customer-since date.
  const asOf = '2026-12-01';
  const variants = someRecords.flatMap((record) => [
    { ...record, lastActivity: null, customerSince: null },
    { ...record, lastActivity: '2015-03-01', customerSince: '2026-06-01' },
    { ...record, lastActivity: '2015-03-01', customerSince: null },
    { ...record, lastActivity: '2026-02-01T10:00:00Z', customerSince: '2001-01-01' },
  ]);
  const report = variants.map((record) => isStale(reportValuesOf(record)[4], asOf, staleAfterDays));
  expect(report).toEqual(variants.map((record) => staleAlone(record, asOf)));
  expect(report.slice(0, 4)).toEqual([true, false, true, false]);
});

it('refuses a report-values line of another shape, so a stale work file fails loudly', () => {
  expect(() => decodeReportValues('{"key":"telco:1"}')).toThrow('report values line is not');
  expect(() => decodeReportValues('["telco:1", "Ann Lee"]')).toThrow('report values line is not');
});
