import type { UnifiedProfile } from '../core/model/profile';
import type { PipelineDeps } from './deps';
import { NdjsonWriter, readNdjson } from './ndjson';
import { workKeys } from './work-keys';

/**
 * A run's published profiles in the work bucket: per publish chunk a profiles file (whole profiles, for exports,
 * erasure and screening) and beside it a members file holding only each profile's id and members. Report, finalize
 * and the next run's carry-over need only the members; parsing whole profiles for them was most of the report
 * job's time (a profile line is about 1.6 KB, its members line about 80 bytes).
 */

export type ProfileMember = UnifiedProfile['members'][number];

export interface ProfileMembers {
  profileId: string;
  members: ProfileMember[];
}

type MembersLine = [profileId: string, members: [source: string, recordId: string, company: string][]];

/**
 * Writes a chunk's profiles: the members file first, then the profiles file, which marks the chunk published (a
 * resumed run checks it). Erasure rewrites both the same way, so a retry after a failure between the two finds the
 * profile still in the profiles file and writes both again.
 */
export async function writeProfileFiles(deps: PipelineDeps, profilesKey: string, profiles: readonly UnifiedProfile[]): Promise<void> {
  const bucket = deps.buckets.work;
  const members = new NdjsonWriter(deps.objects, { bucket, key: workKeys.profileMembersOf(profilesKey) });
  for (const profile of profiles) {
    const line: MembersLine = [profile.profileId, profile.members.map((m) => [m.source, m.recordId, m.company])];
    await members.writeLine(JSON.stringify(line));
  }
  await members.close();
  const writer = new NdjsonWriter(deps.objects, { bucket, key: profilesKey });
  for (const profile of profiles) await writer.write(profile);
  await writer.close();
}

/**
 * Streams every published profile's members, in chunk order (as `runProfiles` gives the profiles). A chunk published
 * before members files existed is read from its profiles file.
 */
export async function* runProfileMembers(deps: PipelineDeps, runId: string): AsyncGenerator<ProfileMembers> {
  const bucket = deps.buckets.work;
  // One listing of the members files rather than a request per chunk asking whether its file is there.
  const written = new Set(await deps.objects.list(bucket, workKeys.profileMembersPrefix(runId)));
  for (const key of await deps.objects.list(bucket, workKeys.profilesPrefix(runId))) {
    const membersKey = workKeys.profileMembersOf(key);
    if (written.has(membersKey)) {
      for await (const [profileId, members] of readNdjson<MembersLine>(deps.objects, { bucket, key: membersKey }))
        yield { profileId, members: members.map(([source, recordId, company]) => ({ source, recordId, company })) };
    } else {
      for await (const profile of readNdjson<UnifiedProfile>(deps.objects, { bucket, key }))
        yield { profileId: profile.profileId, members: profile.members };
    }
  }
}
