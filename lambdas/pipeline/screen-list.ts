import { ConfigurationError, NotFoundError } from '../core/errors';
import { readCsv } from '../core/ingest/csv-reader';
import { csvRow } from '../core/ingest/csv-writer';
import { mapRow } from '../core/ingest/map-row';
import { defaultComparisons } from '../core/matching/comparisons';
import { toFeatures } from '../core/matching/features';
import { indexedCandidateSource, storeCandidateSource } from './candidate-source';
import type { TermFrequencies } from '../core/matching/term-frequencies';
import { assertColumnsExist, type SourceMapping } from '../core/model/mapping';
import { screenTarget, summariseReasons, type Campaign, type ScreeningResult } from '../core/profiles/screening';
import { matchTarget, type MatchEngine } from '../core/screening/match-target';
import type { PipelineDeps } from './deps';
import { loadPlan } from './stages/compare';
import { loadModel } from './stages/score';
import { erasedTarget, loadTombstones } from './tombstones';
import { workKeys } from './work-keys';

/**
 * Campaign screening against the active run's profiles: every list row is mapped and normalised like an input row,
 * candidate profiles are fetched by email, phone and name key, and the run's own model scores them. Every input row
 * is written back with suppress, reasons, profile_id and match_probability; a row that cannot be matched at all
 * (no name, email or phone) is suppressed with the reason, never silently dropped. A row whose email or phone has an
 * erasure tombstone (see tombstones.ts) is suppressed as "erased on request" before any matching.
 */
export function parseCampaign(value: string): Campaign {
  if (value === 'switch' || value === 'winback') return { kind: value };
  if (value.startsWith('offer:') && value.length > 'offer:'.length) return { kind: 'offer', product: value.slice(6) };
  throw new ConfigurationError(`campaign must be switch, winback or offer:PRODUCT, got "${value}"`);
}

export async function loadEngine(deps: PipelineDeps, runId: string): Promise<MatchEngine> {
  const plan = await loadPlan(deps, runId);
  const { model } = await loadModel(deps, runId);
  const termFrequencies = JSON.parse(
    await deps.objects.getText({ bucket: deps.buckets.work, key: workKeys.termFrequencies(runId) }),
  ) as TermFrequencies;
  return { model, comparisons: defaultComparisons(plan.identifiers), termFrequencies };
}

export interface ScreenSummary {
  runId: string;
  campaign: Campaign;
  rows: number;
  suppressed: number;
  rejected: number;
  reasons: Record<string, number>;
}

export const SCREEN_COLUMNS = ['suppress', 'reasons', 'profile_id', 'match_probability'] as const;

export async function screenCsv(
  deps: PipelineDeps,
  input: AsyncIterable<Uint8Array>,
  mapping: SourceMapping,
  campaign: Campaign,
  write: (text: string) => Promise<void> | void,
  settings: {
    concurrency?: number;
    reviewBand?: 'report' | 'suppress';
    /** 'index': load the run's profiles once (lists of thousands); 'store': query the profile store per target. */
    candidates?: 'index' | 'store';
  } = {},
): Promise<ScreenSummary> {
  const concurrency = settings.concurrency ?? 8;
  const runId = await deps.profiles.activeRunId();
  if (!runId) throw new NotFoundError('no run has been published yet: run `crm-merge run` first');
  const engine = await loadEngine(deps, runId);
  const tombstones = await loadTombstones(deps);
  const source =
    settings.candidates === 'index' ? await indexedCandidateSource(deps, runId) : storeCandidateSource(deps.profiles);
  const options = {
    matchThreshold: engine.model.matchProbabilityThreshold,
    reviewThreshold: engine.model.reviewProbabilityThreshold,
    reviewBand: settings.reviewBand ?? 'report',
  };
  const results: Pick<ScreeningResult, 'categories'>[] = [];
  let header: string[] = [];
  let rows = 0;
  let suppressed = 0;
  let rejected = 0;
  let pending: Promise<string>[] = [];
  const flush = async (): Promise<void> => {
    for (const line of await Promise.all(pending)) await write(line);
    pending = [];
  };
  const screenRow = async (line: number, values: Record<string, string>): Promise<string> => {
    const original = header.map((column) => values[column] ?? '');
    const mapped = mapRow(values, { mapping, source: 'campaign', line });
    if (!mapped.ok) {
      rejected++;
      suppressed++;
      results.push({ categories: ['unusable_row'] });
      return csvRow([...original, true, `cannot be matched: ${mapped.reason}`, '', '']);
    }
    const features = toFeatures(mapped.record, 0);
    const erased = erasedTarget(tombstones, features);
    if (erased) {
      suppressed++;
      results.push({ categories: ['erased'] });
      return csvRow([...original, true, erased.reasons.join('; '), '', '']);
    }
    const candidates = await source.candidates(features);
    const [best, second] = matchTarget(engine, features, candidates);
    // Two different profiles both above the match threshold and within a factor of two of each other: we cannot
    // tell which person this is (twins, or a person not yet merged), so a human has to look.
    const ambiguous =
      best && second && second.probability >= options.matchThreshold && best.weight - second.weight < 1
        ? { candidates: 2, bestProbability: best.probability }
        : undefined;
    const decision = screenTarget({
      campaign,
      match: best ? { profile: best.profile, probability: best.probability } : null,
      ambiguous,
      options,
    });
    results.push(decision);
    if (decision.suppress) suppressed++;
    const matched = best && best.probability >= options.reviewThreshold;
    return csvRow([
      ...original,
      decision.suppress,
      decision.reasons.join('; '),
      matched ? best.profile.profileId : '',
      best ? Math.round(best.probability * 10000) / 10000 : '',
    ]);
  };
  for await (const event of readCsv(input, mapping)) {
    if (event.kind === 'header') {
      assertColumnsExist(mapping, event.columns, 'campaign list mapping');
      header = event.columns;
      await write(csvRow([...header, ...SCREEN_COLUMNS]));
      continue;
    }
    rows++;
    if (event.kind === 'reject') {
      rejected++;
      suppressed++;
      results.push({ categories: ['unusable_row'] });
      pending.push(Promise.resolve(csvRow([event.raw, true, `unreadable row: ${event.reason}`, '', ''])));
    } else {
      pending.push(screenRow(event.line, event.values));
    }
    if (pending.length >= concurrency) await flush();
  }
  await flush();
  return { runId, campaign, rows, suppressed, rejected, reasons: summariseReasons(results) };
}
