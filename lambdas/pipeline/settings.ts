import { DEFAULT_LINK_SETTINGS } from '../core/matching/link';
import type { PipelineSettings } from './deps';

export const DEFAULT_PIPELINE_SETTINGS: PipelineSettings = {
  link: DEFAULT_LINK_SETTINGS,
  // About 250k record slots keep a compare/score job near 1 GB of heap (see README, "Partitioning").
  recordsPerPartition: 250_000,
  profilesPerChunk: 20_000,
  staleAfterDays: 730,
};
