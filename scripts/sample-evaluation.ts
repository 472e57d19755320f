import { pairwiseScores, type PairwiseScores } from '../lambdas/core/matching/evaluate';
import type { PipelineDeps } from '../lambdas/pipeline/deps';
import { runProfiles } from '../lambdas/pipeline/run-files';
import type { CampaignTruthRow, TruthRow } from './sample';

/** Pairwise precision/recall of a run's profiles against the sample's truth file (record -> person). */
export async function evaluateRun(deps: PipelineDeps, runId: string, truthRows: readonly TruthRow[]): Promise<PairwiseScores> {
  const truth = new Map(truthRows.map((row) => [`${row.source}:${row.recordId}`, row.personId]));
  const clusters: string[][] = [];
  for await (const profile of runProfiles(deps, runId)) clusters.push(profile.members.map((m) => `${m.source}:${m.recordId}`));
  return pairwiseScores(clusters, truth);
}

export interface ScreeningScores {
  customers: number;
  customersMailed: number;
  /** Existing customers (or opted-out people) not suppressed, over all of them. */
  leakRate: number;
  mailable: number;
  mailableSuppressed: number;
  /** People who should be mailed but were suppressed, over all of them. */
  wrongSuppressionRate: number;
  optedOut: number;
  optedOutMailed: number;
}

/** Scores a "switch" screening output (lead id -> suppress) against the campaign truth. */
export function evaluateScreening(
  suppressedByLead: ReadonlyMap<string, boolean>,
  truth: readonly CampaignTruthRow[],
): ScreeningScores {
  let customers = 0;
  let customersMailed = 0;
  let mailable = 0;
  let mailableSuppressed = 0;
  let optedOut = 0;
  let optedOutMailed = 0;
  for (const row of truth) {
    const suppressed = suppressedByLead.get(row.leadId) ?? false;
    if (row.expectedAction === 'suppress') {
      customers++;
      if (!suppressed) customersMailed++;
    } else {
      mailable++;
      if (suppressed) mailableSuppressed++;
    }
    if (row.optedOutAnywhere) {
      optedOut++;
      if (!suppressed) optedOutMailed++;
    }
  }
  return {
    customers,
    customersMailed,
    leakRate: customers === 0 ? 0 : customersMailed / customers,
    mailable,
    mailableSuppressed,
    wrongSuppressionRate: mailable === 0 ? 0 : mailableSuppressed / mailable,
    optedOut,
    optedOutMailed,
  };
}
