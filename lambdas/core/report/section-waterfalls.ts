import type { MatchModel } from '../matching/model';
import { waterfallChart, type WaterfallStep } from './chart-waterfall';
import { formatProbability, formatWeight } from './format';
import { escapeHtml, section } from './html';
import type { PairExplanation, ReportData } from './report-data';
import { COLORS } from './svg';
import { modelThresholds } from './thresholds';

/** Differences below this are rounding in the stored weights, not a missing term. */
const RESIDUAL_TOLERANCE = 0.005;

/**
 * The steps of one pair's waterfall. If prior + contributions does not reach the stored total (term-frequency or
 * other adjustments not itemised), the difference is shown as its own step rather than hidden: the bars must add
 * up to the number the auditor sees in matches.csv.
 */
export function waterfallSteps(model: MatchModel, pair: PairExplanation): WaterfallStep[] {
  const steps: WaterfallStep[] = pair.contributions.map((c) => ({ label: `${c.comparison}: ${c.level}`, weight: c.weight, ...(c.weight === 0 ? { muted: true } : {}) }));
  const itemised = model.priorWeight + steps.reduce((s, c) => s + c.weight, 0);
  const residual = pair.weight - itemised;
  if (Math.abs(residual) > RESIDUAL_TOLERANCE) steps.push({ label: 'other adjustments', weight: residual });
  return steps;
}

function pairCard(model: MatchModel, pair: PairExplanation, kind: 'link' | 'review'): string {
  const chart = waterfallChart(model.priorWeight, waterfallSteps(model, pair), pair.weight, modelThresholds(model), {
    label: `Match weight waterfall for ${pair.a} and ${pair.b}`,
  });
  const badge = kind === 'link' ? '<span class="badge link">linked</span>' : '<span class="badge review">review band</span>';
  return `<div class="card" data-pair="${kind}"><h4 class="mono">${escapeHtml(pair.a)} \u2194 ${escapeHtml(pair.b)}</h4><div class="meta">${badge} match weight ${formatWeight(pair.weight)}, probability ${formatProbability(pair.probability)}</div>${chart}</div>`;
}

function group(title: string, model: MatchModel, pairs: readonly PairExplanation[], kind: 'link' | 'review'): string {
  const body = pairs.length === 0 ? '<p class="empty">No pairs sampled.</p>' : `<div class="grid">${pairs.map((p) => pairCard(model, p, kind)).join('')}</div>`;
  return `<h3>${escapeHtml(title)} (${pairs.length})</h3>${body}`;
}

/** Sampled pairs explained step by step: prior, each comparison's weight, and the total against the thresholds. */
export function waterfallsSection(data: ReportData): string {
  const intro =
    'How individual pairs reached their match weight: the prior, then each comparison\u2019s contribution, ending at the total. ' +
    'Pairs were sampled deterministically by the report stage.';
  const [review, match] = modelThresholds(data.model);
  const item = (mark: string, color: string, label: string): string =>
    `<span class="item"><span class="${mark}" style="${mark === 'swatch' ? 'background' : 'border-color'}:${color}"></span>${label}</span>`;
  const key =
    '<div class="chart-key">' +
    item('swatch', COLORS.positive, 'raises the weight') +
    item('swatch', COLORS.negative, 'lowers it') +
    item('swatch', COLORS.total, 'total') +
    item('dash', review.color, `review threshold ${formatWeight(review.weight)}`) +
    item('dash', match.color, `match threshold ${formatWeight(match.weight)}`) +
    '</div>';
  return section(
    'waterfalls',
    'Pair explanations',
    escapeHtml(intro),
    key +
      group('Sampled links', data.model, data.waterfalls.links, 'link') + group('Sampled review-band pairs', data.model, data.waterfalls.review, 'review'),
  );
}
