import type { Comparison } from '../matching/comparisons';
import { compareInto } from '../matching/comparison-vectors';
import type { MatchFeatures } from '../matching/features';
import { toProbability, type MatchModel } from '../matching/model';
import { createScorer } from '../matching/score';
import type { TermFrequencies } from '../matching/term-frequencies';
import type { UnifiedProfile } from '../model/profile';
import { profileViews } from './profile-view';

/** The fitted model of the run whose profiles are screened against, with what scoring needs. */
export interface MatchEngine {
  model: MatchModel;
  comparisons: readonly Comparison[];
  termFrequencies: TermFrequencies;
}

export interface TargetMatch {
  profile: UnifiedProfile;
  probability: number;
  weight: number;
}

/**
 * Scores a campaign target against candidate profiles with the run's own model (the same comparisons, m/u and
 * term frequencies that built the profiles). A view with a decisive disagreement (a twin's first name, another
 * generation's suffix or birth date) is not the person, whatever else agrees. Returns candidates best first.
 */
export function matchTarget(engine: MatchEngine, target: MatchFeatures, candidates: readonly UnifiedProfile[]): TargetMatch[] {
  const scorer = createScorer(engine.model, engine.comparisons, engine.termFrequencies);
  const vector = new Uint8Array(engine.comparisons.length);
  const matches: TargetMatch[] = [];
  for (const profile of candidates) {
    let best = -Infinity;
    for (const view of profileViews(profile)) {
      compareInto(vector, 0, engine.comparisons, target, view);
      if (scorer.decisive(vector, 0)) continue;
      best = Math.max(best, scorer.weight(vector, 0, target, view));
    }
    if (best > -Infinity) matches.push({ profile, weight: best, probability: toProbability(best) });
  }
  return matches.sort((a, b) => b.weight - a.weight || (a.profile.profileId < b.profile.profileId ? -1 : 1));
}
