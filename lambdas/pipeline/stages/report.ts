import { csvReadable, type CsvValue } from '../../core/ingest/csv-writer';
import type { ReportEvent, ReportResult } from '../contracts';
import type { PipelineDeps } from '../deps';
import { accountRows, RowsInProfiles } from '../accounting';
import { runErased } from '../erased-counts';
import { readNdjson } from '../ndjson';
import { runProfileMembers } from '../profile-files';
import { runRejects } from '../run-files';
import { reportKeys, workKeys } from '../work-keys';
import type { ClusterSummary } from './cluster';
import { loadPlan } from './compare';
import { loadModel, type LinkLine } from './score';
import { REPORT_VERSION } from '../version';
import { renderReportHtml, weightHistogram } from '../../core/report';
import { countDuplicates, explain, matchesRow, PairSample, readRecordsForReport } from '../report-content';
import { RECORD_COLUMNS } from '../report-values';

/**
 * Report: the auditor's view of a run in the reports bucket: summary.json (inputs, row accounting, blocking,
 * model, thresholds, clusters), matches.csv (every link and review-band pair with per-comparison levels and
 * weights), members.csv (record -> profile) and rejects.csv (line, reason, raw row). CSV cells are escaped against
 * formula injection by the CSV writer. The CSV files are streamed as they are produced: a million people's
 * matches.csv is about 300 million characters, near the longest string V8 can hold.
 */
export async function writeReport(deps: PipelineDeps, event: ReportEvent): Promise<ReportResult> {
  const { runId } = event;
  const work = deps.buckets.work;
  const plan = await loadPlan(deps, runId);
  const { model, blocking } = await loadModel(deps, runId);
  const clusters = JSON.parse(
    await deps.objects.getText({ bucket: work, key: workKeys.clusterSummary(runId) }),
  ) as ClusterSummary;
  const put = (name: string, body: string, type: string): Promise<void> =>
    deps.objects.putText({ bucket: deps.buckets.reports, key: reportKeys.file(runId, name) }, body, type);
  const putCsv = (name: string, header: readonly string[], rows: Iterable<CsvValue[]> | AsyncIterable<CsvValue[]>): Promise<void> =>
    deps.objects.putStream({ bucket: deps.buckets.reports, key: reportKeys.file(runId, name) }, csvReadable(header, rows), 'text/csv');

  const records = await readRecordsForReport(deps, runId, plan, deps.settings.staleAfterDays);
  const members: [string, string, string][] = [];
  const profiles: { members: { source: string; company: string }[] }[] = [];
  // A mark per record numbered by its display values, not a Set of keys (V8 caps one at 2^24 entries) nor a second
  // index of the same keys: a record in no profile is one of a person erased on request.
  const published = new Uint8Array(records.values.size);
  const isPublished = (key: string): boolean => {
    const number = records.values.indexOf(key);
    return number !== -1 && published[number] === 1;
  };
  const inProfiles = new RowsInProfiles();
  for await (const profile of runProfileMembers(deps, runId)) {
    profiles.push({ members: profile.members });
    inProfiles.add(profile);
    for (const member of profile.members) {
      members.push([member.source, member.recordId, profile.profileId]);
      const number = records.values.indexOf(`${member.source}:${member.recordId}`);
      if (number !== -1) published[number] = 1;
    }
  }
  members.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
  await putCsv('members.csv', ['source', 'record_id', 'profile_id'], members);

  const matchHeader = ['kind', 'record_a', 'record_b', 'blocking_rule', 'match_weight', 'match_probability'];
  for (const comparison of model.comparisons) matchHeader.push(`${comparison.name}_level`, `${comparison.name}_weight`);
  for (const side of ['a', 'b']) for (const column of RECORD_COLUMNS) matchHeader.push(`${side}_${column}`);
  // What the HTML needs of the pairs in matches.csv: their weights, and a sample of links and review pairs.
  const weights: Record<LinkLine['kind'], number[]> = { link: [], review: [], apart: [] };
  const samples = { link: new PairSample(10), review: new PairSample(10) };
  async function* matchRows(): AsyncGenerator<CsvValue[]> {
    for (const key of await deps.objects.list(work, workKeys.linksPrefix(runId)))
      for await (const line of readNdjson<LinkLine>(deps.objects, { bucket: work, key })) {
        if (line.kind === 'apart' && line.weight < model.reviewWeightThreshold) continue;
        // Only rows of people erased on request are linked but in no profile: their pairs stay out of the report.
        if (!isPublished(line.a) || !isPublished(line.b)) continue;
        yield matchesRow(line, model, blocking, records.values);
        weights[line.kind].push(line.weight);
        if (line.kind !== 'apart') samples[line.kind].add(line);
      }
  }
  await putCsv('matches.csv', matchHeader, matchRows());

  async function* rejectRows(): AsyncGenerator<CsvValue[]> {
    for await (const reject of runRejects(deps, plan)) yield [reject.source, reject.line, reject.reason, reject.raw];
  }
  await putCsv('rejects.csv', ['source', 'line', 'reason', 'raw'], rejectRows());

  const accounts = accountRows(plan.ingested, inProfiles, await runErased(deps, runId));
  const summary = {
    version: REPORT_VERSION,
    runId,
    asOf: plan.asOf,
    inputs: plan.ingested.map((i) => ({ source: i.source, company: i.company })),
    rows: accounts,
    blocking,
    candidatePairs: model.training.candidatePairs,
    links: clusters.links,
    reviewPairs: clusters.reviewPairs,
    clearlyDifferentPairs: clusters.clearlyDifferentPairs,
    clusters: { count: clusters.clusters, sizes: clusters.sizes, refusedJoins: clusters.refused.length },
    model,
  };
  await put('summary.json', JSON.stringify(summary, null, 2), 'application/json');

  countDuplicates(records.quality, profiles);
  const binWidth = 2;
  const html = renderReportHtml({
    runId,
    asOf: plan.asOf,
    engineVersion: REPORT_VERSION,
    generatedAt: deps.now().toISOString(),
    sources: accounts,
    blocking: { rules: blocking, candidatePairs: model.training.candidatePairs },
    model,
    weightHistogram: {
      binWidth,
      links: weightHistogram(weights.link, binWidth),
      review: weightHistogram(weights.review, binWidth),
      apart: weightHistogram(weights.apart, binWidth),
    },
    waterfalls: {
      links: samples.link.lines.map((l) => explain(l, model)),
      review: samples.review.lines.map((l) => explain(l, model)),
    },
    clusterSizes: clusters.sizes,
    dataQuality: records.quality,
    suppressions: {},
    refusedJoins: clusters.refused.length,
  });
  await put('report.html', html, 'text/html; charset=utf-8');
  return { runId, reportPrefix: reportKeys.prefix(runId) };
}
