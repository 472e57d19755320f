import type { CsvValue } from '../core/ingest/csv-writer';
import type { RuleStats } from '../core/matching/blocking';
import type { CustomerRecord } from '../core/model/record';
import { isStale } from '../core/profiles/activity';
import { toIsoDay } from '../core/profiles/dates';
import type { MatchModel } from '../core/matching/model';
import { hashString } from '../core/random';
import { StringIndex } from '../core/string-index';
import type { PairExplanation, SourceQuality } from '../core/report';
import type { PipelineDeps } from './deps';
import type { IngestResult } from './contracts';
import { readNdjson, readNdjsonLines } from './ndjson';
import { decodeReportValues, RECORD_COLUMNS, reportValuesOf, type ReportValuesLine } from './report-values';
import { workKeys } from './work-keys';
import type { RunPlan } from './stages/plan';
import type { LinkLine } from './stages/score';

/**
 * Each source's report values (report-values.ts) in line order: the file ingest wrote, or, for a run ingested by an
 * earlier version that wrote none, the same lines derived from the records file.
 */
async function* sourceReportValues(deps: PipelineDeps, runId: string, source: IngestResult): AsyncGenerator<ReportValuesLine> {
  const ref = { bucket: deps.buckets.work, key: workKeys.reportValues(runId, source.source) };
  if (await deps.objects.exists(ref)) {
    for await (const text of readNdjsonLines(deps.objects, ref)) yield decodeReportValues(text);
    return;
  }
  for await (const record of readNdjson<CustomerRecord>(deps.objects, { bucket: deps.buckets.work, key: source.recordsKey }))
    yield reportValuesOf(record);
}

/**
 * Every record's display values by record key: numbered keys (StringIndex) and an array, since V8 caps a Map at 2^24
 * keys, fewer than the records of a run at 8.4 million per company.
 */
export class DisplayValues {
  private readonly keys: StringIndex;
  private readonly values: string[][] = [];

  constructor(expected = 0) {
    this.keys = new StringIndex(expected);
  }

  set(key: string, display: string[]): void {
    this.values[this.keys.add(key)] = display;
  }

  get(key: string): string[] | undefined {
    const number = this.keys.indexOf(key);
    return number === -1 ? undefined : this.values[number];
  }

  /** The record's number (the order its values were set), or -1: for marks about the records kept beside these. */
  indexOf(key: string): number {
    return this.keys.indexOf(key);
  }

  get size(): number {
    return this.keys.size;
  }
}

/**
 * One pass over a run's records: each record's display values (for matches.csv) and per-source data quality
 * (missing and invalid fields, stale records). Holds the display values of every record: the report stage is
 * sized for it (see README, stage sizing).
 */
export async function readRecordsForReport(
  deps: PipelineDeps,
  runId: string,
  plan: RunPlan,
  staleAfterDays: number,
): Promise<{ values: DisplayValues; quality: SourceQuality[] }> {
  const values = new DisplayValues(plan.records);
  const quality: SourceQuality[] = [];
  for (const result of plan.ingested) {
    const q: SourceQuality = { source: result.source, rows: 0, missing: {}, invalid: {}, duplicatesWithinCompany: 0, stale: 0 };
    for await (const [key, display, missing, invalid, lastSeen] of sourceReportValues(deps, runId, result)) {
      q.rows++;
      values.set(key, display);
      for (const field of missing) q.missing[field] = (q.missing[field] ?? 0) + 1;
      for (const field of invalid) q.invalid[field] = (q.invalid[field] ?? 0) + 1;
      // toIsoDay again: values files of earlier versions hold the raw last activity (or customer since) instead.
      if (isStale(toIsoDay(lastSeen), plan.asOf, staleAfterDays)) q.stale++;
    }
    quality.push(q);
  }
  return { values, quality };
}

const round = (value: number): number => Math.round(value * 10000) / 10000;

/**
 * One row of matches.csv: kind, keys, blocking rule, weight and probability, each comparison's level and weight, and
 * both records' values (empty when the record is unknown).
 */
export function matchesRow(
  line: LinkLine,
  model: MatchModel,
  blocking: readonly RuleStats[],
  values: Pick<DisplayValues, 'get'>,
): CsvValue[] {
  const row: CsvValue[] = [
    line.kind === 'apart' ? 'kept apart' : line.kind,
    line.a,
    line.b,
    blocking[line.rule]?.rule ?? String(line.rule),
    round(line.weight),
    round(line.probability),
  ];
  model.comparisons.forEach((comparison, c) =>
    row.push(comparison.levels[line.levels[c]]?.label ?? String(line.levels[c]), round(line.contributions[c])),
  );
  for (const key of [line.a, line.b]) row.push(...(values.get(key) ?? RECORD_COLUMNS.map(() => '')));
  return row;
}

/** Within-company duplicates merged, per source: every record of a company beyond its first in one profile. */
export function countDuplicates(
  quality: SourceQuality[],
  profiles: readonly { members: readonly { source: string; company: string }[] }[],
): void {
  const bySource = new Map(quality.map((q) => [q.source, q]));
  for (const profile of profiles) {
    const companies = new Set<string>();
    for (const member of profile.members) {
      if (companies.has(member.company)) {
        const q = bySource.get(member.source);
        if (q) q.duplicatesWithinCompany++;
      }
      companies.add(member.company);
    }
  }
}

export function explain(line: LinkLine, model: MatchModel): PairExplanation {
  return {
    a: line.a,
    b: line.b,
    weight: line.weight,
    probability: line.probability,
    contributions: model.comparisons.map((comparison, c) => ({
      comparison: comparison.name,
      level: comparison.levels[line.levels[c]]?.label ?? String(line.levels[c]),
      weight: line.contributions[c],
    })),
  };
}

/**
 * Up to `count` pairs chosen by a hash of their keys: a deterministic sample that is not biased by file order. Kept
 * as pairs stream past (the smallest `count` by hash, then keys), so the report never holds every link.
 */
interface SampledPair {
  line: LinkLine;
  hash: number;
}

const sampledBefore = (x: SampledPair, y: SampledPair): boolean =>
  x.hash !== y.hash ? x.hash < y.hash : x.line.a !== y.line.a ? x.line.a < y.line.a : x.line.b < y.line.b;

export class PairSample {
  private readonly kept: SampledPair[] = [];

  constructor(private readonly count: number) {}

  add(line: LinkLine): void {
    const entry: SampledPair = { line, hash: hashString(`${line.a}|${line.b}`) };
    if (this.kept.length === this.count && !sampledBefore(entry, this.kept[this.count - 1])) return;
    let at = this.kept.length;
    while (at > 0 && sampledBefore(entry, this.kept[at - 1])) at--;
    this.kept.splice(at, 0, entry);
    if (this.kept.length > this.count) this.kept.pop();
  }

  get lines(): LinkLine[] {
    return this.kept.map((entry) => entry.line);
  }
}
