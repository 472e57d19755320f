import type { CustomerRecord } from '../model/record';
import { DEFAULT_BLOCKING_OPTIONS, defaultBlockingRules } from './blocking';
import { blockRecords } from './candidate-pairs';
import type { BlockingOptions, RuleStats } from './blocking';
import { clusterRecords, DEFAULT_CLUSTER_OPTIONS, type ClusterOptions, type RefusedLink } from './cluster';
import { addToHistogram, comparisonVectors } from './comparison-vectors';
import { defaultComparisons, type Comparison } from './comparisons';
import { sampleLevelCounts } from './estimate-u';
import { Reservoir } from './reservoir';
import { toFeatures, type MatchFeatures } from './features';
import type { MatchModel } from './model';
import { classifyPairs, type ScoredPair } from './classify';
import { computeTermFrequencies, type TermFrequencies } from './term-frequencies';
import { DEFAULT_TRAINING_OPTIONS, trainModel, type TrainingOptions } from './train';

/**
 * The whole matching engine over records held in memory: features -> blocking -> comparison vectors -> u sampling
 * -> EM -> scoring -> clustering. The pipeline stages run the same steps partition by partition.
 */
export interface LinkSettings {
  seed: number;
  uSamplePairs: number;
  /** Records kept (reservoir sample) to draw the random pairs for u from. */
  uSampleRecords: number;
  blocking: BlockingOptions;
  training: TrainingOptions;
  cluster: ClusterOptions;
}

export const DEFAULT_LINK_SETTINGS: LinkSettings = {
  seed: 20261122,
  uSamplePairs: 1_000_000,
  uSampleRecords: 50_000,
  blocking: DEFAULT_BLOCKING_OPTIONS,
  training: DEFAULT_TRAINING_OPTIONS,
  cluster: DEFAULT_CLUSTER_OPTIONS,
};

export type { ScoredPair };

export interface LinkResult {
  model: MatchModel;
  comparisons: Comparison[];
  termFrequencies: TermFrequencies;
  blocking: RuleStats[];
  candidatePairs: number;
  links: ScoredPair[];
  review: ScoredPair[];
  clearlyDifferent: ScoredPair[];
  clusters: number[][];
  refused: RefusedLink[];
}

export function identifierNames(records: readonly CustomerRecord[]): string[] {
  const names = new Set<string>();
  for (const record of records) for (const name of Object.keys(record.identifiers)) names.add(name);
  return [...names].sort();
}

export function linkRecords(records: readonly CustomerRecord[], overrides: Partial<LinkSettings> = {}): LinkResult {
  const settings = { ...DEFAULT_LINK_SETTINGS, ...overrides };
  const features: MatchFeatures[] = records.map(toFeatures);
  const identifiers = identifierNames(records);
  const comparisons = defaultComparisons(identifiers);
  const rules = defaultBlockingRules(identifiers);
  const { pairs, stats } = blockRecords(features, rules, settings.blocking);
  const width = comparisons.length;
  const vectors = comparisonVectors(comparisons, features, pairs.left, pairs.right);
  const histogram = addToHistogram(new Map(), vectors, width, pairs.mask);
  const reservoir = new Reservoir<MatchFeatures>(settings.uSampleRecords, settings.seed);
  for (const record of features) reservoir.add(record);
  const uSample = sampleLevelCounts(comparisons, reservoir.items, settings.uSamplePairs, settings.seed);
  const model = trainModel(comparisons, rules, histogram, uSample, records.length, settings.training);
  const termFrequencies = computeTermFrequencies(features);
  const { links, review, clearlyDifferent } = classifyPairs(model, comparisons, termFrequencies, features, pairs, vectors);
  const { clusters, refused } = clusterRecords(
    records.length,
    links,
    clearlyDifferent.map((pair) => [pair.left, pair.right]),
    settings.cluster,
  );
  return {
    model,
    comparisons,
    termFrequencies,
    blocking: stats,
    candidatePairs: pairs.left.length,
    links,
    review,
    clearlyDifferent,
    clusters,
    refused,
  };
}
