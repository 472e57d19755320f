import { defaultComparisons } from '../../lambdas/core/matching/comparisons';
import { averageM, markCollapsed, type TrainingSession } from '../../lambdas/core/matching/expectation-maximisation';

/**
 * The 1,000,000-per-company benchmark's precision drop (docs/benchmarks.md): the session on "same surname sound and
 * postcode" expected 4.0M matches among 4.0M pairs, six times any other session, and its m for "birth dates differ"
 * (0.81) outweighed every other session's (0.002 to 0.05), so namesakes in one postcode area scored as matches.
 */
const comparisons = defaultComparisons([]);
const dob = comparisons.findIndex((c) => c.name === 'date_of_birth');
const allOther = comparisons[dob].levels.findIndex((level) => level.label === 'all other');

function session(rule: string, expectedMatches: number, dobAllOther: number): TrainingSession {
  const m = comparisons.map((comparison) => comparison.levels.map(() => 1 / comparison.levels.length));
  m[dob] = comparisons[dob].levels.map((_, l) => (l === allOther ? dobAllOther : (1 - dobAllOther) / (comparisons[dob].levels.length - 1)));
  return { rule, pairs: expectedMatches * 2, lambda: 0.5, iterations: 5, converged: true, estimated: [], expectedMatches, m };
}

it('leaves a session expecting several times the median matches out of m, and says why', () => {
  const sessions = [
    session('same_email', 566_305, 0.0216),
    session('same_name', 652_454, 0.0037),
    session('first_sound_postcode', 645_799, 0.0274),
    session('same_house', 670_446, 0.049),
    session('surname_sound_postcode', 4_036_378, 0.8148),
  ];
  markCollapsed(sessions, 3);
  expect(sessions.filter((s) => s.excluded).map((s) => s.rule)).toEqual(['surname_sound_postcode']);
  expect(sessions[4].excluded).toMatch(/^collapsed: 4036378 expected matches, 6\.\dx the median session's 652454$/);
  const m = averageM(comparisons, sessions);
  // The kept sessions' weighted average, not the collapsed session's namesakes.
  expect(m[dob][allOther]).toBeGreaterThan(0.02);
  expect(m[dob][allOther]).toBeLessThan(0.03);
  for (const levels of m) expect(levels.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
});

it('keeps every session whose expected matches are of one order, and averages them by their matches', () => {
  const sessions = [session('a', 1000, 0.1), session('b', 2500, 0.2), session('c', 2900, 0.3)];
  markCollapsed(sessions, 3);
  expect(sessions.every((s) => s.excluded === undefined)).toBe(true);
  expect(averageM(comparisons, sessions)[dob][allOther]).toBeCloseTo((1000 * 0.1 + 2500 * 0.2 + 2900 * 0.3) / 6400, 12);
});

it('does not judge fewer than three sessions (no median to speak of)', () => {
  const sessions = [session('a', 100, 0.1), session('b', 10_000, 0.2)];
  markCollapsed(sessions, 3);
  expect(sessions.some((s) => s.excluded)).toBe(false);
});
