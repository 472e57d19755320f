import type { UnifiedProfile } from '../../lambdas/core/model/profile';
import { runProfileMembers, writeProfileFiles, type ProfileMembers } from '../../lambdas/pipeline/profile-files';
import { runProfiles } from '../../lambdas/pipeline/run-files';
import { runPipeline } from '../../lambdas/pipeline/run-pipeline';
import { workKeys } from '../../lambdas/pipeline/work-keys';
import { startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';

/**
 * A run's published profile files on the real local servers: beside each profiles file, a members file that gives
 * report, finalize and carry-over the same profile ids and members, in the same order, without parsing whole
 * profiles; a chunk published before members files existed is read from its profiles file.
 */

let h: PipelineHarness;
const runId = 'members-files';
const bucket = (): string => h.deps.buckets.work;

beforeAll(async () => {
  h = await startPipelineHarness(120, 23, { profilesPerChunk: 30 });
  await runPipeline(h.deps, { runId, sources: h.sources }, { concurrency: 2 });
});
afterAll(async () => h.dispose());

async function fromProfiles(): Promise<ProfileMembers[]> {
  const found: ProfileMembers[] = [];
  for await (const profile of runProfiles(h.deps, runId)) found.push({ profileId: profile.profileId, members: profile.members });
  return found;
}

async function fromMembersFiles(): Promise<ProfileMembers[]> {
  const found: ProfileMembers[] = [];
  for await (const entry of runProfileMembers(h.deps, runId)) found.push(entry);
  return found;
}

it('publish writes a members file beside every profiles file, giving the same ids and members in the same order', async () => {
  const profileFiles = await h.deps.objects.list(bucket(), workKeys.profilesPrefix(runId));
  expect(profileFiles.length).toBeGreaterThan(2);
  for (const key of profileFiles) {
    expect(workKeys.profileMembersOf(key)).toBe(key.replace('/profiles/', '/profile-members/'));
    expect(workKeys.profileMembersOf(key).startsWith(workKeys.profileMembersPrefix(runId))).toBe(true);
    expect(await h.deps.objects.exists({ bucket: bucket(), key: workKeys.profileMembersOf(key) })).toBe(true);
  }
  const expected = await fromProfiles();
  expect(expected.length).toBeGreaterThan(100);
  expect(expected.some((entry) => entry.members.length > 1)).toBe(true);
  expect(await fromMembersFiles()).toEqual(expected);
  // The members files are a small fraction of the profiles files.
  const size = async (key: string) => (await h.deps.objects.getText({ bucket: bucket(), key })).length;
  const [first] = profileFiles;
  expect(await size(workKeys.profileMembersOf(first))).toBeLessThan((await size(first)) / 5);
});

it('reads a chunk without a members file (published by an earlier version) from its profiles file', async () => {
  const expected = await fromProfiles();
  const [first] = await h.deps.objects.list(bucket(), workKeys.profilesPrefix(runId));
  await h.deps.objects.deletePrefix(bucket(), workKeys.profileMembersOf(first));
  expect(await h.deps.objects.exists({ bucket: bucket(), key: workKeys.profileMembersOf(first) })).toBe(false);
  expect(await fromMembersFiles()).toEqual(expected);
});

it('rewriting a chunk (as erasure does) rewrites its members file with it', async () => {
  const [first] = await h.deps.objects.list(bucket(), workKeys.profilesPrefix(runId));
  const kept: UnifiedProfile[] = [];
  for await (const profile of runProfiles(h.deps, runId)) if (kept.length < 3) kept.push(profile);
  await writeProfileFiles(h.deps, first, kept);
  const entries = await fromMembersFiles();
  expect(entries.slice(0, 3)).toEqual(kept.map((profile) => ({ profileId: profile.profileId, members: profile.members })));
  expect(entries).toEqual(await fromProfiles());
});
