import { createHash } from 'node:crypto';
import { ConfigurationError } from '../core/errors';
import type { UnifiedProfile } from '../core/model/profile';
import { normaliseEmail } from '../core/normalise/email';
import { normalisePhone } from '../core/normalise/phone';
import type { Tombstone } from '../storage/profile-store';
import type { PipelineDeps } from './deps';
import { countBySource, recordErased, type ErasedCounts } from './erased-counts';
import { readNdjson } from './ndjson';
import { writeProfileFiles } from './profile-files';
import { runProfiles } from './run-files';
import { chunkOf } from './stages/distribute';
import { hashesOf, loadTombstones, tombstoneSalt, type PersonKeys } from './tombstones';
import { workKeys } from './work-keys';

/**
 * The right to erasure: `forgetPerson` removes a person's profile from every run that holds a version of it (the
 * active run's items first of all, so lookups and screening stop finding it at once), rewrites those runs' profile
 * files without it (exports, reports and id carry-over read them), and stores tombstones (salted hashes of the
 * person's emails, phones and member record keys; see tombstones.ts) so that later runs leave the person out.
 * Callable from the CLI (`crm-merge forget`) and from an API route; it returns profile ids and counts only.
 *
 * Tombstones are written before anything is removed: if the removal fails half-way, a retry with the same key finds
 * what is left, and a run finishing meanwhile already honours the tombstones in its finalize stage.
 */

export interface ForgetRequest {
  email?: string;
  phone?: string;
  id?: string;
  /** Region for phone numbers without a country code. */
  phoneRegion?: string;
}

export interface ForgetResult {
  /** Removed profile versions, per run. */
  removed: { runId: string; profileIds: string[] }[];
  /** Tombstones stored (one per distinct email, phone and record key of the person, and the key asked for). */
  tombstones: number;
}

/** The one key of a request, in the form the profile table indexes it. */
function requestKey(request: ForgetRequest): { kind: 'email' | 'phone' | 'id'; value: string } {
  const given = [request.email, request.phone, request.id].filter((v) => v !== undefined);
  if (given.length !== 1) throw new ConfigurationError('give exactly one of --email, --phone or --id');
  if (request.email !== undefined) {
    const email = normaliseEmail(request.email);
    if (!email.ok) throw new ConfigurationError(email.reason);
    return { kind: 'email', value: email.matchKey };
  }
  if (request.phone !== undefined) {
    const phone = normalisePhone(request.phone, request.phoneRegion ?? 'US');
    if (!phone.ok) throw new ConfigurationError(phone.reason);
    return { kind: 'phone', value: phone.e164 };
  }
  const id = (request.id ?? '').trim();
  if (!/^P[0-9a-f]{16}$/.test(id)) throw new ConfigurationError('a profile id is "P" and 16 hex digits');
  return { kind: 'id', value: id };
}

export function personKeys(profiles: readonly UnifiedProfile[], extra: PersonKeys = {}): PersonKeys {
  const emails = new Set(extra.emails ?? []);
  const phones = new Set(extra.phones ?? []);
  const recordKeys = new Set(extra.recordKeys ?? []);
  for (const profile of profiles) {
    for (const email of profile.keys.emails) emails.add(email);
    for (const phone of profile.keys.phones) phones.add(phone);
    for (const member of profile.members) recordKeys.add(`${member.source}:${member.recordId}`);
  }
  return { emails: [...emails].sort(), phones: [...phones].sort(), recordKeys: [...recordKeys].sort() };
}

export async function forgetPerson(deps: PipelineDeps, request: ForgetRequest): Promise<ForgetResult> {
  const key = requestKey(request);
  const versions = await deps.profiles.findVersions(key);
  const keys = personKeys(versions, key.kind === 'email' ? { emails: [key.value] } : key.kind === 'phone' ? { phones: [key.value] } : {});
  const createdAt = deps.now().toISOString();
  const unique = new Map<string, Tombstone>();
  for (const { kind, hash } of hashesOf(tombstoneSalt(deps), keys)) unique.set(hash, { hash, kind, createdAt });
  await deps.profiles.putTombstones([...unique.values()]);
  const removed = await eraseProfiles(deps, versions, 'forget');
  return { removed, tombstones: unique.size };
}

/**
 * Removes profile versions from their runs: the profile table items, then the run's profile files, and records the
 * rows removed from the files as erased (so the run's accounting stays balanced). `step` names the erased-counts file.
 */
export async function eraseProfiles(
  deps: PipelineDeps,
  versions: readonly UnifiedProfile[],
  step: string,
): Promise<{ runId: string; profileIds: string[] }[]> {
  const byRun = new Map<string, UnifiedProfile[]>();
  for (const version of versions) byRun.set(version.runId, [...(byRun.get(version.runId) ?? []), version]);
  const removed: { runId: string; profileIds: string[] }[] = [];
  for (const [runId, profiles] of [...byRun].sort(([a], [b]) => (a < b ? -1 : 1))) {
    await deps.profiles.deleteProfiles(profiles);
    const ids = new Set(profiles.map((profile) => profile.profileId));
    const fromFiles = await removeFromProfileFiles(deps, runId, ids);
    if (fromFiles.length > 0) {
      const counts: ErasedCounts = {};
      for (const profile of fromFiles) countBySource(profile.members, counts);
      const name = `${step}-${createHash('sha256').update([...ids].sort().join(',')).digest('hex').slice(0, 16)}`;
      await recordErased(deps, runId, name, counts);
    }
    removed.push({ runId, profileIds: [...ids].sort() });
  }
  return removed;
}

/**
 * Finalize's check for tombstones stored while the run was under way (after its cluster stage left out the people
 * erased before): matching profiles are erased from this run before it goes live.
 */
export async function eraseTombstoned(deps: PipelineDeps, runId: string): Promise<number> {
  const tombstones = await loadTombstones(deps);
  if (tombstones.size === 0) return 0;
  const matching: UnifiedProfile[] = [];
  for await (const profile of runProfiles(deps, runId))
    if (tombstones.matches(personKeys([profile]))) matching.push({ ...profile, runId });
  if (matching.length > 0) await eraseProfiles(deps, matching, 'finalize');
  return matching.length;
}

/**
 * Rewrites the profile files of a run without the given profiles and returns the profiles removed. Each profile is
 * looked for in the file of its chunk first (see `chunkOf`), and in all files only if it is not there.
 */
async function removeFromProfileFiles(deps: PipelineDeps, runId: string, ids: ReadonlySet<string>): Promise<UnifiedProfile[]> {
  const bucket = deps.buckets.work;
  const files = await deps.objects.list(bucket, workKeys.profilesPrefix(runId));
  if (files.length === 0) return [];
  const expected = new Set([...ids].map((id) => workKeys.profiles(runId, chunkOf(id, files.length))).filter((key) => files.includes(key)));
  const removed: UnifiedProfile[] = [];
  const rewrite = async (key: string): Promise<void> => {
    const kept: UnifiedProfile[] = [];
    const dropped: UnifiedProfile[] = [];
    for await (const profile of readNdjson<UnifiedProfile>(deps.objects, { bucket, key })) (ids.has(profile.profileId) ? dropped : kept).push(profile);
    if (dropped.length === 0) return;
    await writeProfileFiles(deps, key, kept);
    removed.push(...dropped);
  };
  for (const key of expected) await rewrite(key);
  if (removed.length < ids.size) for (const key of files) if (!expected.has(key)) await rewrite(key);
  return removed;
}
