import { DEFAULT_LINK_SETTINGS } from '../core/matching/link';
import type { PipelineSettings } from './deps';

export const DEFAULT_PIPELINE_SETTINGS: PipelineSettings = {
  link: DEFAULT_LINK_SETTINGS,
  // About 250k paired record slots (keys in blocks of two or more) keep the largest compare job near 1 GB of peak
  // RSS at 1M records per company (docs/benchmarks.md, "Partition jobs").
  recordsPerPartition: 250_000,
  profilesPerChunk: 20_000,
  staleAfterDays: 730,
};
