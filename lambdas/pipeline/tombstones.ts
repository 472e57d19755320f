import { createHmac } from 'node:crypto';
import type { Tombstone } from '../storage/profile-store';
import type { PipelineDeps } from './deps';

/**
 * Erasure tombstones: when a person asks to be forgotten, a salted SHA-256 (HMAC-SHA256, the salt as key) of each of
 * their keys is kept in the profile table, never the key itself. Later runs hash their records' keys the same way
 * and leave out every person who matches (cluster stage, finalize), and screening suppresses a matching target.
 *
 * What is hashed, in the forms the pipeline already compares: an email's match key (normaliseEmail: lower case,
 * Gmail dots and +tags removed), a phone in E.164, and a record key `<source>:<recordId>`. Names are not hashed: a
 * name alone would erase every namesake.
 *
 * The salt comes from CRM_MERGE_TOMBSTONE_SALT, else the fixed DEFAULT_TOMBSTONE_SALT below. It makes a table dump
 * useless for checking whether a guessed email was erased, to anyone without the salt. Never change it once
 * tombstones exist: a new salt makes every earlier tombstone unmatchable.
 */
export const DEFAULT_TOMBSTONE_SALT = 'crm-merge/tombstone/v1';

/** The screening reason of a list row that matches a tombstone. */
export const ERASED_REASON = 'erased on request';

/** A person's keys as the pipeline holds them (match-key emails, E.164 phones, record keys). */
export interface PersonKeys {
  emails?: readonly string[];
  phones?: readonly string[];
  recordKeys?: readonly string[];
}

export function tombstoneSalt(deps: Pick<PipelineDeps, 'settings'>): string {
  return deps.settings.tombstoneSalt ?? DEFAULT_TOMBSTONE_SALT;
}

export function tombstoneHash(salt: string, kind: Tombstone['kind'], value: string): string {
  return createHmac('sha256', salt).update(`${kind}:${value}`).digest('hex');
}

/** Every (kind, hash) of a person's keys; empty values are skipped. */
export function hashesOf(salt: string, keys: PersonKeys): { kind: Tombstone['kind']; hash: string }[] {
  const out: { kind: Tombstone['kind']; hash: string }[] = [];
  const add = (kind: Tombstone['kind'], values: readonly string[] | undefined): void => {
    for (const value of values ?? []) if (value !== '') out.push({ kind, hash: tombstoneHash(salt, kind, value) });
  };
  add('email', keys.emails);
  add('phone', keys.phones);
  add('record', keys.recordKeys);
  return out;
}

/** All tombstones, loaded once (a run, a screening job) and checked in memory. */
export class TombstoneSet {
  constructor(
    private readonly salt: string,
    private readonly hashes: ReadonlySet<string>,
  ) {}

  get size(): number {
    return this.hashes.size;
  }

  /** Whether any of the keys has a tombstone. Hashes nothing when there are no tombstones (the usual case). */
  matches(keys: PersonKeys): boolean {
    if (this.hashes.size === 0) return false;
    return hashesOf(this.salt, keys).some(({ hash }) => this.hashes.has(hash));
  }
}

export async function loadTombstones(deps: Pick<PipelineDeps, 'profiles' | 'settings'>): Promise<TombstoneSet> {
  return new TombstoneSet(tombstoneSalt(deps), new Set(await deps.profiles.listTombstones()));
}

/**
 * One check against the table, for callers that screen a single person (an API route): true when any key of the
 * person has a tombstone. Callers with many people should `loadTombstones` once instead.
 */
export async function isErased(deps: Pick<PipelineDeps, 'profiles' | 'settings'>, keys: PersonKeys): Promise<boolean> {
  const hashes = hashesOf(tombstoneSalt(deps), keys).map(({ hash }) => hash);
  return hashes.length > 0 && (await deps.profiles.findTombstones(hashes)).length > 0;
}

/**
 * The screening decision for an erased person, for campaign screening (screen-list.ts) to apply before matching:
 * `{ suppress: true, reasons: ['erased on request'] }` when the target's emails or phones match a tombstone, else
 * null. `target` takes the list row's match features as they are (`toFeatures(record).emails / .phones`).
 */
export function erasedTarget(
  tombstones: TombstoneSet,
  target: { emails: readonly string[]; phones: readonly string[] },
): { suppress: true; reasons: [typeof ERASED_REASON] } | null {
  return tombstones.matches({ emails: target.emails, phones: target.phones }) ? { suppress: true, reasons: [ERASED_REASON] } : null;
}
