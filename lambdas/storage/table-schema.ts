/**
 * DynamoDB key design, shared by the CDK stack and the embedded local setup so both create identical tables.
 *
 * Profile table (single-table design, versioned by run for atomic publish):
 *   profile item:  pk = "P#<profileId>",      sk = "RUN#<runId>"                 doc = profile JSON
 *   lookup items:  pk = "E#<email match key>" | "T#<e164 phone>" | "N#<name key>",
 *                  sk = "RUN#<runId>#P#<profileId>"
 *   pointer item:  pk = "ACTIVE",             sk = "POINTER"                    runId = active run
 *   tombstones:    pk = "TOMBSTONE",          sk = "<salted SHA-256 hex>"       kind, createdAt (erasure requests)
 *     One partition, so every run loads all tombstones with one paged Query instead of a table Scan; they belong to
 *     no run (no `runId`), so deleting a run never deletes them.
 *   every item has `runId`, indexed by the keys-only GSI "byRun" so an old or failed run can be deleted.
 * Readers resolve the active run first and then read only that run's items: a run's profiles become visible in one
 * conditional write of the pointer, and a failed run is never seen.
 *
 * Runs table: pk = runId; GSI "byRecency" (gsiPk = "RUN", startedAt) lists recent runs;
 * GSI "byClientToken" (clientToken) makes POST /runs idempotent.
 */
export const PROFILE_TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;
export const PROFILE_BY_RUN_INDEX = { name: 'byRun', partitionKey: 'runId', sortKey: 'pk' } as const;

export const RUNS_TABLE_KEYS = { partitionKey: 'runId' } as const;
export const RUNS_BY_RECENCY_INDEX = { name: 'byRecency', partitionKey: 'gsiPk', sortKey: 'startedAt' } as const;
export const RUNS_BY_CLIENT_TOKEN_INDEX = { name: 'byClientToken', partitionKey: 'clientToken' } as const;

export const ACTIVE_POINTER_KEY = { pk: 'ACTIVE', sk: 'POINTER' } as const;
export const TOMBSTONE_PARTITION = 'TOMBSTONE';
export const tombstoneKey = (hash: string) => ({ pk: TOMBSTONE_PARTITION, sk: hash });

export const profileItemKey = (profileId: string, runId: string) => ({ pk: `P#${profileId}`, sk: `RUN#${runId}` });
export const lookupPartitionKey = (kind: 'email' | 'phone' | 'name', value: string): string =>
  `${kind === 'email' ? 'E' : kind === 'phone' ? 'T' : 'N'}#${value}`;
export const lookupSortKey = (runId: string, profileId: string): string => `RUN#${runId}#P#${profileId}`;
