import type { ComparisonParameters, LevelParameters, MatchModel } from '../matching/model';
import { divergingBarChart } from './chart-bars';
import { formatCount, formatProbability, formatWeight } from './format';
import { escapeHtml, num, section, table } from './html';

function badges(level: LevelParameters): string {
  const parts: string[] = [];
  if (level.m === null) parts.push('<span class="badge">null level</span>');
  if (level.termFrequency) parts.push(`<span class="badge">term-frequency: ${escapeHtml(level.termFrequency)}</span>`);
  if (level.decisive) parts.push('<span class="badge veto">vetoes links</span>');
  if (level.confirmsIdentity) parts.push('<span class="badge confirm">confirms identity</span>');
  return parts.join('');
}

function comparisonCard(comparison: ComparisonParameters): string {
  const rows = comparison.levels.map((level) => ({
    cells: [
      escapeHtml(level.label),
      num(formatProbability(level.m)),
      num(formatProbability(level.u)),
      num(formatWeight(level.weight), { className: level.weight > 0 ? 'pos' : level.weight < 0 ? 'neg' : undefined }),
      badges(level),
    ],
  }));
  return `<div class="card" data-comparison="${escapeHtml(comparison.name)}"><h4 class="mono">${escapeHtml(comparison.name)}</h4><p class="desc">${escapeHtml(comparison.description)}</p>${table({
    head: ['Level', num('m'), num('u'), num('Weight'), ''],
    rows,
  })}</div>`;
}

function parameters(model: MatchModel): string {
  const t = model.training;
  const items: [string, string][] = [
    ['Prior (probability two random records match)', `${formatProbability(model.lambda)} (weight ${formatWeight(model.priorWeight)})`],
    ['Estimated share of candidate pairs that match', formatProbability(model.candidateMatchShare)],
    ['Match threshold', `probability \u2265 ${formatProbability(model.matchProbabilityThreshold)} (weight \u2265 ${formatWeight(model.matchWeightThreshold)})`],
    ['Review threshold', `probability \u2265 ${formatProbability(model.reviewProbabilityThreshold)} (weight \u2265 ${formatWeight(model.reviewWeightThreshold)})`],
    ['How the thresholds were set', escapeHtml(t.thresholdRule)],
    ['Training', `${formatCount(t.randomPairsSampled)} random pairs for u; ${formatCount(t.candidatePairs)} candidate pairs; ${formatCount(t.emIterations)} EM iterations, ${t.emConverged ? 'converged' : '<span class="status-bad">did not converge</span>'}`],
  ];
  return `<dl class="params">${items.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

function sessions(model: MatchModel): string {
  if (model.training.sessions.length === 0) return '';
  const rows = model.training.sessions.map((s) => ({
    cells: [
      { html: escapeHtml(s.rule), className: 'key' },
      num(formatCount(s.pairs)),
      num(formatProbability(s.lambda)),
      num(formatCount(s.expectedMatches)),
      num(formatCount(s.iterations)),
      s.converged ? '<span class="status-ok">yes</span>' : '<span class="status-bad">no</span>',
      escapeHtml(s.estimated.join(', ')),
      s.excluded ? `<span class="status-bad">no: ${escapeHtml(s.excluded)}</span>` : 'yes',
    ],
  }));
  return `<h3>EM training sessions</h3>${table({
    head: ['Session (blocking rule)', num('Pairs'), num('Match share'), num('Expected matches'), num('Iterations'), 'Converged', 'Comparisons estimated', 'Used for m'],
    rows,
  })}`;
}

/** The fitted model: prior, thresholds, and per comparison level m, u and match weight (table and chart). */
export function modelSection(model: MatchModel): string {
  const chart = divergingBarChart(
    [
      { title: 'prior', rows: [{ label: 'starting weight of every pair', weight: model.priorWeight }] },
      ...model.comparisons.map((c) => ({ title: c.name, rows: c.levels.map((l) => ({ label: l.label, weight: l.weight })) })),
    ],
    { label: 'Match weight of each comparison level', kind: 'model-weights' },
  );
  const intro =
    'A pair\u2019s match weight is the prior weight plus the weight of the level it falls into for each comparison. ' +
    'm = P(level | same person), u = P(level | different people), weight = log2(m / u) in bits.';
  const cards = `<div class="grid">${model.comparisons.map(comparisonCard).join('')}</div>`;
  return section('model', 'Model', escapeHtml(intro), parameters(model) + `<div class="chart-box">${chart}</div><h3>Comparison levels</h3>` + cards + sessions(model));
}
