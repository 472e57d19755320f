import { createHash } from 'node:crypto';
import { profileIdFor } from '../core/profiles/profile-id';
import { StringIndex } from '../core/string-index';
import type { PipelineDeps } from './deps';
import { runProfileMembers } from './profile-files';

/**
 * Stable profile ids across runs. A cluster takes the id of the previous active run's profile with which it shares
 * the most member records, so a person keeps their id when a few rows change, even when the record their id was
 * derived from is gone. Each previous id goes to at most one cluster; clusters sharing no member with any previous
 * profile get the id derived from their smallest member key (profileIdFor), as on a first run.
 *
 * Ties are broken deterministically, so the same inputs always give the same ids: more shared members first, then
 * the pairing where the previous id equals the cluster's own derived id (a re-run of unchanged input keeps exactly
 * the ids it had), then the smaller previous id, then the smaller derived id.
 */

/** What assignProfileIds reads of the previous run: a Map of record key -> profile id has it too (tests pass one). */
export interface PreviousProfiles {
  /** The profile id of the record in the previous run. */
  get(recordKey: string): string | undefined;
  /** The previous run's profile ids (each at least once). */
  values(): Iterable<string>;
}

/**
 * Record key -> profile id of a previous run, for every record of it: numbered strings (StringIndex) rather than a
 * Map, which V8 caps at 2^24 keys, fewer than the records of a run at 8.4 million per company.
 */
export class PreviousMembership implements PreviousProfiles {
  private readonly records = new StringIndex();
  private readonly profiles = new StringIndex();
  /** Per record number, its profile's number. */
  private profileOfRecord = new Int32Array(1024);

  /** Records the record's profile id (a record listed twice keeps the last, as a Map would). */
  add(recordKey: string, profileId: string): void {
    const record = this.records.add(recordKey);
    if (record === this.profileOfRecord.length) {
      const grown = new Int32Array(this.profileOfRecord.length * 2);
      grown.set(this.profileOfRecord);
      this.profileOfRecord = grown;
    }
    this.profileOfRecord[record] = this.profiles.add(profileId);
  }

  get(recordKey: string): string | undefined {
    const record = this.records.indexOf(recordKey);
    return record === -1 ? undefined : this.profiles.at(this.profileOfRecord[record]);
  }

  values(): Iterable<string> {
    return this.profiles.values();
  }

  get size(): number {
    return this.records.size;
  }
}

/** Record key -> profile id in the previous active run (none on a first run or when it is this run). */
export async function previousMembership(
  deps: PipelineDeps,
  runId: string,
): Promise<{ runId: string | null; profileOf: PreviousMembership }> {
  const previous = await deps.profiles.activeRunId();
  const profileOf = new PreviousMembership();
  if (previous === null || previous === runId) return { runId: null, profileOf };
  // The published profile files, not the cluster output: they reflect erasures made after that run was published.
  for await (const profile of runProfileMembers(deps, previous))
    for (const member of profile.members) profileOf.add(`${member.source}:${member.recordId}`, profile.profileId);
  return { runId: previous, profileOf };
}

export interface AssignedIds {
  ids: string[];
  /** Clusters that kept a previous id. */
  carriedOver: number;
}

/** Assigns an id to every cluster (given as its member record keys); see the module comment for the rules. */
export function assignProfileIds(clusters: readonly (readonly string[])[], previous: PreviousProfiles): AssignedIds {
  const derived = clusters.map((keys) => profileIdFor(keys));
  const candidates: { cluster: number; id: string; shared: number }[] = [];
  clusters.forEach((keys, cluster) => {
    const shared = new Map<string, number>();
    for (const key of keys) {
      const id = previous.get(key);
      if (id !== undefined) shared.set(id, (shared.get(id) ?? 0) + 1);
    }
    for (const [id, count] of shared) candidates.push({ cluster, id, shared: count });
  });
  candidates.sort(
    (x, y) =>
      y.shared - x.shared ||
      Number(y.id === derived[y.cluster]) - Number(x.id === derived[x.cluster]) ||
      compare(x.id, y.id) ||
      compare(derived[x.cluster], derived[y.cluster]),
  );
  const ids = new Array<string | undefined>(clusters.length);
  // Ids as numbered strings, not Sets: a run's clusters and the previous run's profiles can pass V8's 2^24 cap.
  const used = new StringIndex();
  let carriedOver = 0;
  for (const { cluster, id } of candidates) {
    if (ids[cluster] !== undefined || used.has(id)) continue;
    ids[cluster] = id;
    used.add(id);
    carriedOver++;
  }
  // A derived id must not repeat an id of the previous run: that id meant another person (or one kept by a cluster
  // above). Such a cluster gets a deterministic variant instead.
  const taken = new StringIndex();
  for (const id of previous.values()) taken.add(id);
  for (const id of used.values()) taken.add(id);
  const waiting: number[] = [];
  for (let cluster = 0; cluster < clusters.length; cluster++) if (ids[cluster] === undefined) waiting.push(cluster);
  // Nearly always nothing clashes, and then every waiting cluster keeps its own id in any order: no need for the
  // ordered pass below (sorting a million ids and a set of them: about 5 s of a million-record cluster job).
  if (!derivedIdsMayClash(waiting.map((cluster) => derived[cluster]), taken)) {
    for (const cluster of waiting) ids[cluster] = derived[cluster];
    return { ids: ids as string[], carriedOver };
  }
  const order = derived.map((_, cluster) => cluster).sort((a, b) => compare(derived[a], derived[b]));
  for (const cluster of order) {
    if (ids[cluster] !== undefined) continue;
    let id = derived[cluster];
    for (let n = 1; taken.has(id); n++) id = `P${createHash('sha256').update(`${derived[cluster]}#${n}`).digest('hex').slice(0, 16)}`;
    ids[cluster] = id;
    taken.add(id);
  }
  return { ids: ids as string[], carriedOver };
}

/**
 * Whether handing each of these derived ids to its cluster could clash: one is taken already, or two are alike.
 * Ids are compared by their first 52 bits (exact in a double), so a clash is never missed, only rarely suspected.
 */
function derivedIdsMayClash(ids: readonly string[], taken: StringIndex): boolean {
  const prefixes = new Float64Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    if (taken.has(ids[i])) return true;
    prefixes[i] = Number.parseInt(ids[i].slice(1, 14), 16);
    if (Number.isNaN(prefixes[i])) return true;
  }
  prefixes.sort();
  for (let i = 1; i < prefixes.length; i++) if (prefixes[i] === prefixes[i - 1]) return true;
  return false;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
