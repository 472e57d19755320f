import type { ReportData } from './report-data';

/** Figures derived from ReportData that several sections show; computed once so they always agree. */
export interface ReportTotals {
  rowsRead: number;
  rowsInProfiles: number;
  rowsRejected: number;
  profiles: number;
  multiRecordProfiles: number;
  largestCluster: number;
  links: number;
  review: number;
  apart: number;
  unbalancedSources: string[];
}

/** Rows unaccounted for: read but neither in a profile, rejected nor erased on request (negative: counted twice). */
export const unaccounted = (a: { rowsRead: number; rowsInProfiles: number; rowsRejected: number; rowsErased?: number }): number =>
  a.rowsRead - a.rowsInProfiles - a.rowsRejected - (a.rowsErased ?? 0);

export function reportTotals(data: ReportData): ReportTotals {
  const sum = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0);
  const sizes = Object.entries(data.clusterSizes).map(([size, count]) => ({ size: Number(size), count }));
  return {
    rowsRead: sum(data.sources.map((s) => s.rowsRead)),
    rowsInProfiles: sum(data.sources.map((s) => s.rowsInProfiles)),
    rowsRejected: sum(data.sources.map((s) => s.rowsRejected)),
    profiles: sum(sizes.map((s) => s.count)),
    multiRecordProfiles: sum(sizes.filter((s) => s.size > 1).map((s) => s.count)),
    largestCluster: Math.max(0, ...sizes.filter((s) => s.count > 0).map((s) => s.size)),
    links: sum(data.weightHistogram.links.map((b) => b.count)),
    review: sum(data.weightHistogram.review.map((b) => b.count)),
    apart: sum(data.weightHistogram.apart.map((b) => b.count)),
    // Trust neither side alone: a source is unbalanced if its flag says so or its numbers do not add up.
    unbalancedSources: data.sources.filter((s) => !s.balanced || unaccounted(s) !== 0).map((s) => s.source),
  };
}
