import type { RuleStats } from '../matching/blocking';
import type { MatchModel } from '../matching/model';
import type { SourceAccount } from '../../pipeline/accounting';
import type { Bin } from './histogram';

/**
 * Everything the HTML match report shows, gathered by the report stage. The renderer does no I/O and reads no
 * clock, so the same ReportData always renders to the same bytes (an auditor can diff two downloads).
 */
export interface ReportData {
  runId: string;
  /** The run's reference date (ISO), used for staleness. */
  asOf: string;
  /** Engine that produced the run, e.g. REPORT_VERSION ("crm-merge 0.1.0"). */
  engineVersion: string;
  /** When the report was generated (ISO timestamp), passed in rather than read from the clock. */
  generatedAt: string;
  /** Row accounting per source: rows read = rows in profiles + rows rejected. */
  sources: SourceAccount[];
  blocking: {
    rules: RuleStats[];
    /** Deduplicated candidate pairs over all rules. */
    candidatePairs: number;
  };
  model: MatchModel;
  /** Match weights of the scored pairs kept, one histogram per outcome, all built with the same bin width. */
  weightHistogram: WeightHistogram;
  /** Sampled explanations, chosen deterministically by the report stage (up to 10 of each). */
  waterfalls: {
    links: PairExplanation[];
    review: PairExplanation[];
  };
  /** Cluster (profile) size -> number of clusters of that size; singletons included. */
  clusterSizes: Record<string, number>;
  dataQuality: SourceQuality[];
  /** Suppression reason category -> rows suppressed; empty for a merge run (no campaign list screened). */
  suppressions: Record<string, number>;
  /** Links not applied because the join would have put clearly different records together or exceeded the cap. */
  refusedJoins: number;
}

export interface WeightHistogram {
  binWidth: number;
  /** Pairs linked (at or above the match threshold and not vetoed). */
  links: Bin[];
  /** Pairs in the review band. */
  review: Bin[];
  /** Pairs scored high enough to keep but kept apart (a decisive level vetoed them). */
  apart: Bin[];
}

/** One comparison's part of a pair's match weight. */
export interface Contribution {
  comparison: string;
  /** The comparison level the pair fell into, e.g. "exact match". */
  level: string;
  weight: number;
}

/** A waterfall: prior weight + each comparison's contribution = the pair's match weight. */
export interface PairExplanation {
  /** Record keys (`source:recordId`). */
  a: string;
  b: string;
  weight: number;
  probability: number;
  contributions: Contribution[];
}

/** Per-source data quality. Field names are the record fields the counts refer to (e.g. "email", "date_of_birth"). */
export interface SourceQuality {
  source: string;
  rows: number;
  /** Field -> records with no value. */
  missing: Record<string, number>;
  /** Field -> records whose value was present but invalid (from the records' warnings). */
  invalid: Record<string, number>;
  /** Records that duplicate another record of the same company. */
  duplicatesWithinCompany: number;
  /**
   * Records last seen (the later of last activity and customer since) longer ago than the staleness cut-off at asOf,
   * or with neither date: the rule a profile's stale flag applies to all its members.
   */
  stale: number;
}
