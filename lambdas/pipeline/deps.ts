import type { LinkSettings } from '../core/matching/link';
import type { ObjectStore } from '../storage/object-store';
import type { ProfileStore, RunStore } from '../storage/profile-store';

/** What every stage needs, built once per Lambda cold start or once per CLI command. */
export interface PipelineDeps {
  objects: ObjectStore;
  profiles: ProfileStore;
  runs: RunStore;
  buckets: { input: string; work: string; reports: string };
  settings: PipelineSettings;
  /** The clock, injectable so tests and re-runs are deterministic. */
  now: () => Date;
}

export interface PipelineSettings {
  link: LinkSettings;
  /** Partition size in paired slots: each key of a record whose block holds two or more records counts once. */
  recordsPerPartition: number;
  /** Target number of profiles per publish chunk. */
  profilesPerChunk: number;
  staleAfterDays: number;
  /**
   * Threads an ingest job maps its rows on besides its own (CRM_MERGE_INGEST_THREADS): 0 maps them in the job's
   * thread. One source is one job, so this is how ingest uses a function with more than one vCPU.
   */
  ingestThreads: number;
  /** Date the run treats as today for staleness (ISO); defaults to the run's start date. */
  asOf?: string;
  /** Salt of erasure tombstone hashes (CRM_MERGE_TOMBSTONE_SALT); defaults to DEFAULT_TOMBSTONE_SALT (tombstones.ts). */
  tombstoneSalt?: string;
}
