import { DEFAULT_LINK_SETTINGS } from '../core/matching/link';
import type { PipelineSettings } from './deps';

export const DEFAULT_PIPELINE_SETTINGS: PipelineSettings = {
  link: DEFAULT_LINK_SETTINGS,
  // Record slots route fills (a record in a block of two or more it routes; BlockSizeCounter.routedSlots) per
  // partition: at 1M records per company 250k gave 44 partitions, the largest 276k lines (docs/benchmarks.md).
  recordsPerPartition: 250_000,
  profilesPerChunk: 20_000,
  staleAfterDays: 730,
  ingestThreads: 0,
};
