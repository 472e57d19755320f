import type { UnifiedProfile } from '../core/model/profile';

/** A run as recorded in the runs table. */
export interface RunRecord {
  runId: string;
  status: 'running' | 'succeeded' | 'failed';
  stage: string;
  startedAt: string;
  finishedAt: string | null;
  /** Idempotency token given by the client that started the run, if any. */
  clientToken: string | null;
  sources: { name: string; uri: string; mappingUri: string }[];
  counts: Record<string, number>;
  timings: Record<string, number>;
  error: string | null;
  reportPrefix: string | null;
  /** Stages finished so far, in order; `crm-merge resume` skips them. Absent on runs started before resume existed. */
  completedStages?: string[];
}

/**
 * The profile store: unified profiles keyed by run, so a run's profiles become visible only when the active-run
 * pointer is flipped to it (atomic publish). One real implementation: DynamoDB (`DynamoProfileStore`).
 */
export interface ProfileStore {
  /** Writes profiles of a run that is not active yet; invisible to readers until `activateRun`. */
  putProfiles(runId: string, profiles: UnifiedProfile[]): Promise<void>;
  /** Flips the active-run pointer (conditional on the expected previous value, to refuse concurrent flips). */
  activateRun(runId: string, expectedPrevious: string | null): Promise<void>;
  activeRunId(): Promise<string | null>;
  /** Reads from the active run. */
  getProfile(profileId: string): Promise<UnifiedProfile | null>;
  findByEmail(emailMatchKey: string): Promise<UnifiedProfile[]>;
  findByPhone(e164: string): Promise<UnifiedProfile[]>;
  findByNameKey(nameKey: string): Promise<UnifiedProfile[]>;
  /** Removes a run's profile items (an old or failed run). */
  deleteRun(runId: string): Promise<number>;
  /** Every stored version (any run, active or not) of the profiles a key reaches: what an erasure must remove. */
  findVersions(key: { kind: 'email' | 'phone' | 'id'; value: string }): Promise<UnifiedProfile[]>;
  /** Deletes these profile versions (profile item and lookup items) from the runs they belong to (`profile.runId`). */
  deleteProfiles(profiles: readonly UnifiedProfile[]): Promise<number>;
  /** Stores erasure tombstones: hashes only, never the values they stand for. Kept across runs. */
  putTombstones(tombstones: readonly Tombstone[]): Promise<void>;
  /** Every tombstone hash. */
  listTombstones(): Promise<string[]>;
  /** The given hashes that have a tombstone. */
  findTombstones(hashes: readonly string[]): Promise<string[]>;
}

/** Proof that a person asked to be erased: a salted hash of one of their keys, so later runs can leave them out. */
export interface Tombstone {
  hash: string;
  /** Which kind of key was hashed (not the key itself). */
  kind: 'email' | 'phone' | 'record';
  createdAt: string;
}

/** The runs table. */
export interface RunStore {
  create(run: RunRecord): Promise<void>;
  get(runId: string): Promise<RunRecord | null>;
  update(runId: string, patch: Partial<Omit<RunRecord, 'runId'>>): Promise<void>;
  findByClientToken(token: string): Promise<RunRecord | null>;
  recent(limit: number): Promise<RunRecord[]>;
}
