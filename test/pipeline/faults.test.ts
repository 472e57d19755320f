import { Readable } from 'node:stream';
import { resumeMerge } from '../../cli/commands/resume';
import { readCsvText } from '../../lambdas/core/ingest/csv-reader';
import type { UnifiedProfile } from '../../lambdas/core/model/profile';
import { profileIdFor } from '../../lambdas/core/profiles/profile-id';
import type { SourceInput, StageName } from '../../lambdas/pipeline/contracts';
import type { PipelineDeps } from '../../lambdas/pipeline/deps';
import { runProfiles } from '../../lambdas/pipeline/run-files';
import { runPipeline } from '../../lambdas/pipeline/run-pipeline';
import { loadPlan } from '../../lambdas/pipeline/stages/compare';
import { workKeys } from '../../lambdas/pipeline/work-keys';
import type { ObjectStore } from '../../lambdas/storage/object-store';
import type { RunStore } from '../../lambdas/storage/profile-store';
import { faultyDeps, isWrite } from '../support/faults';
import { startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';

/**
 * Faults on the real local servers: a failure injected into each stage in turn loses nothing and mixes no runs;
 * a run whose rows do not add up is never served; a crashed run resumes without redoing finished work and ends
 * identical to an uninterrupted run; and profile ids survive a re-run with a few changed rows.
 */

const STAGES: StageName[] = ['ingest', 'plan', 'route', 'compare', 'train', 'score', 'cluster', 'distribute', 'publish', 'report', 'finalize'];

let h: PipelineHarness;
/** The run readers are served before the faults, and its profiles. */
let served: string;
let servedProfiles: UnifiedProfile[];

async function profilesOf(deps: PipelineDeps, runId: string): Promise<UnifiedProfile[]> {
  const profiles: UnifiedProfile[] = [];
  for await (const profile of runProfiles(deps, runId)) profiles.push(profile);
  return profiles.sort((a, b) => (a.profileId < b.profileId ? -1 : 1));
}

const withoutRunId = (profiles: UnifiedProfile[]): Omit<UnifiedProfile, 'runId'>[] => profiles.map(({ runId: _run, ...rest }) => rest);

const memberSet = (profile: UnifiedProfile): string =>
  profile.members
    .map((m) => `${m.source}:${m.recordId}`)
    .sort()
    .join(' ');

beforeAll(async () => {
  h = await startPipelineHarness(40, 31);
  served = (await runPipeline(h.deps, { runId: 'served', sources: h.sources }, { concurrency: 2 })).runId;
  servedProfiles = await profilesOf(h.deps, served);
});
afterAll(async () => h.dispose());

/** Readers see exactly the served run: the pointer, every profile by id, and lookups by email never reach another run. */
async function expectOnlyServed(): Promise<void> {
  expect(await h.deps.profiles.activeRunId()).toBe(served);
  const byId = await Promise.all(servedProfiles.map((profile) => h.deps.profiles.getProfile(profile.profileId)));
  expect(byId).toEqual(servedProfiles);
  const emails = servedProfiles.flatMap((profile) => profile.keys.emails).slice(0, 15);
  for (const found of await Promise.all(emails.map((email) => h.deps.profiles.findByEmail(email))))
    for (const profile of found) expect(profile.runId).toBe(served);
}

describe('a failure injected into each stage in turn', () => {
  it.each(STAGES)('%s: the run fails and is marked failed; readers keep the previous run only, all of it', async (stage) => {
    const f = faultyDeps(h.deps);
    f.failWhen((call) => call.stage === stage && isWrite(call));
    const runId = `fail-${stage}`;
    await expect(runPipeline(f.deps, { runId, sources: h.sources }, { concurrency: 2 })).rejects.toMatchObject({ name: 'StageError', stage });
    const record = await h.deps.runs.get(runId);
    expect(record).toMatchObject({ status: 'failed', error: expect.stringContaining(`${stage} failed`) });
    expect(record?.completedStages).toEqual(STAGES.slice(0, STAGES.indexOf(stage)));
    await expectOnlyServed();
  });

  it('a clean re-run afterwards publishes the same people under the same ids, succeeding in one write with every timing', async () => {
    // A poller may read the run the moment it succeeds: that write must already carry every stage's timing.
    const patches: Parameters<RunStore['update']>[1][] = [];
    const runs = Object.create(h.deps.runs) as RunStore;
    runs.update = async (runId, patch) => {
      patches.push(patch);
      return h.deps.runs.update(runId, patch);
    };
    await runPipeline({ ...h.deps, runs }, { runId: 'clean', sources: h.sources }, { concurrency: 2 });
    const succeeded = patches.findIndex((patch) => patch.status === 'succeeded');
    expect(succeeded).toBeGreaterThan(0);
    expect(patches.slice(succeeded + 1).filter((patch) => patch.timings !== undefined || patch.status !== undefined)).toEqual([]);
    expect(Object.keys(patches[succeeded].timings ?? {}).sort()).toEqual([...STAGES].sort());
    expect((await h.deps.runs.get('clean'))?.timings).toEqual(patches[succeeded].timings);
    expect(await h.deps.profiles.activeRunId()).toBe('clean');
    expect(withoutRunId(await profilesOf(h.deps, 'clean'))).toEqual(withoutRunId(servedProfiles));
    served = 'clean';
    servedProfiles = await profilesOf(h.deps, 'clean');
  });
});

describe('row accounting', () => {
  it('a run whose rows do not add up (a profile lost on the way) fails in finalize and is never served', async () => {
    // One profile of every chunk's files (its profiles file and the members file finalize accounts from) goes
    // missing between publish and finalize.
    const losing = Object.create(h.deps.objects) as ObjectStore;
    losing.putStream = async (ref, body, type) => {
      if (!ref.key.includes('/profiles/') && !ref.key.includes('/profile-members/')) return h.deps.objects.putStream(ref, body, type);
      const text = Buffer.concat(await body.toArray()).toString('utf8');
      return h.deps.objects.putStream(ref, Readable.from([text.slice(text.indexOf('\n') + 1)]), type);
    };
    const runId = 'unbalanced';
    await expect(runPipeline({ ...h.deps, objects: losing }, { runId, sources: h.sources }, { concurrency: 2 })).rejects.toMatchObject({
      name: 'StageError',
      stage: 'finalize',
      message: expect.stringMatching(/rows not accounted for: .*read \d+, in profiles \d+, rejected \d+/),
    });
    expect((await h.deps.runs.get(runId))?.status).toBe('failed');
    await expectOnlyServed();
  });
});

describe('the commit point', () => {
  it('a failure after the pointer flip (recording success) leaves a live run recorded as succeeded, never as failed', async () => {
    const runs = Object.create(h.deps.runs) as RunStore;
    runs.update = async (runId, patch) => {
      if (patch.status === 'succeeded' && patch.error === undefined) throw new Error('runs table unavailable');
      return h.deps.runs.update(runId, patch);
    };
    const runId = 'flipped';
    await expect(runPipeline({ ...h.deps, runs }, { runId, sources: h.sources }, { concurrency: 2 })).rejects.toMatchObject({ stage: 'finalize' });
    expect(await h.deps.profiles.activeRunId()).toBe(runId);
    expect(await h.deps.runs.get(runId)).toMatchObject({ status: 'succeeded', error: expect.stringContaining('finalize failed') });
    expect(withoutRunId(await profilesOf(h.deps, runId))).toEqual(withoutRunId(servedProfiles));
  });
});

describe('resume', () => {
  /** Several partitions and publish chunks, so a crash can leave some finished and some not. */
  const small = (deps: PipelineDeps): PipelineDeps => ({ ...deps, settings: { ...deps.settings, recordsPerPartition: 25, profilesPerChunk: 12 } });
  let reference: UnifiedProfile[];

  beforeAll(async () => {
    await runPipeline(small(h.deps), { runId: 'uninterrupted', sources: h.sources }, { concurrency: 2 });
    reference = await profilesOf(h.deps, 'uninterrupted');
  });

  const keysWritten = (calls: ReturnType<typeof faultyDeps>['calls'], part: string): string[] =>
    calls.filter((call) => isWrite(call) && call.key?.includes(`/${part}/`)).map((call) => call.key as string).sort();

  it('a run that crashed in score redoes only the missing partitions and ends identical to an uninterrupted run', async () => {
    const f = faultyDeps(small(h.deps));
    const runId = 'crash-score';
    f.failWhen((call) => call.stage === 'score' && isWrite(call) && !/(links|edges)\/0000[01]\./.test(call.key ?? ''));
    await expect(runPipeline(f.deps, { runId, sources: h.sources }, { concurrency: 1 })).rejects.toMatchObject({ stage: 'score' });
    expect((await h.deps.runs.get(runId))?.completedStages).toEqual(['ingest', 'plan', 'route', 'compare', 'train']);
    const partitions = (await loadPlan(h.deps, runId)).partitions;
    expect(partitions).toBeGreaterThanOrEqual(4);

    f.failWhen(null);
    f.calls.length = 0;
    await runPipeline(f.deps, { runId, sources: h.sources }, { concurrency: 2, resume: true });
    // Finished stages wrote nothing again; score wrote exactly the partitions the crash left undone.
    for (const part of ['records', 'partitions', 'pairs', 'histograms', 'model', 'ingested']) expect(keysWritten(f.calls, part)).toEqual([]);
    const missing = Array.from({ length: partitions - 2 }, (_, i) => i + 2);
    expect(keysWritten(f.calls, 'links')).toEqual(missing.map((p) => workKeys.links(runId, p)));
    expect(keysWritten(f.calls, 'edges')).toEqual(missing.map((p) => workKeys.edges(runId, p)));
    expect((await h.deps.runs.get(runId))?.status).toBe('succeeded');
    expect(withoutRunId(await profilesOf(h.deps, runId))).toEqual(withoutRunId(reference));
  });

  it('a run that crashed in publish resumes (crm-merge resume) with only the missing chunks', async () => {
    const f = faultyDeps(small(h.deps));
    const runId = 'crash-publish';
    let published = 0;
    f.failWhen((call) => call.method === 'putProfiles' && ++published > 1);
    await expect(runPipeline(f.deps, { runId, sources: h.sources }, { concurrency: 1 })).rejects.toMatchObject({ stage: 'publish' });
    // One part per source in each chunk's folder (runs/<run>/chunks/<chunk>/<source>.ndjson).
    const chunks = new Set((await h.deps.objects.list(h.deps.buckets.work, `runs/${runId}/chunks/`)).map((key) => key.split('/')[3])).size;
    expect(chunks).toBeGreaterThanOrEqual(3);
    expect(await h.deps.objects.list(h.deps.buckets.work, workKeys.profilesPrefix(runId))).toEqual([workKeys.profiles(runId, 0)]);

    f.failWhen(null);
    f.calls.length = 0;
    await resumeMerge(f.deps, runId, { concurrency: 2, progress: false });
    expect(f.calls.filter((call) => call.method === 'putProfiles')).toHaveLength(chunks - 1);
    expect(keysWritten(f.calls, 'profiles')).toEqual(Array.from({ length: chunks - 1 }, (_, i) => workKeys.profiles(runId, i + 1)));
    for (const part of ['records', 'links', 'clusters', 'chunks']) expect(keysWritten(f.calls, part)).toEqual([]);
    expect(await h.deps.profiles.activeRunId()).toBe(runId);
    expect(withoutRunId(await profilesOf(h.deps, runId))).toEqual(withoutRunId(reference));
  });

  it('a run that crashed while ingesting its second source does not ingest the first again', async () => {
    const f = faultyDeps(small(h.deps));
    const runId = 'crash-ingest';
    const second = h.sources[1].name;
    f.failWhen((call) => call.stage === 'ingest' && isWrite(call) && (call.key ?? '').includes(`/records/${second}.`));
    await expect(runPipeline(f.deps, { runId, sources: h.sources }, { concurrency: 1 })).rejects.toMatchObject({ stage: 'ingest' });
    f.failWhen(null);
    f.calls.length = 0;
    await runPipeline(f.deps, { runId, sources: h.sources }, { concurrency: 1, resume: true });
    expect(keysWritten(f.calls, 'records')).toEqual([workKeys.records(runId, second)]);
    expect(withoutRunId(await profilesOf(h.deps, runId))).toEqual(withoutRunId(reference));
  });

  it('a run that crashed while routing its second source routes only that source again', async () => {
    const f = faultyDeps(small(h.deps));
    const runId = 'crash-route';
    const second = h.sources[1].name;
    f.failWhen((call) => call.stage === 'route' && isWrite(call) && (call.key ?? '').endsWith(`/${second}.ndjson`));
    await expect(runPipeline(f.deps, { runId, sources: h.sources }, { concurrency: 1 })).rejects.toMatchObject({ stage: 'route' });
    const partitions = (await loadPlan(h.deps, runId)).partitions;
    expect(partitions).toBeGreaterThanOrEqual(4);
    f.failWhen(null);
    f.calls.length = 0;
    await runPipeline(f.deps, { runId, sources: h.sources }, { concurrency: 1, resume: true });
    const secondParts = Array.from({ length: partitions }, (_, p) => workKeys.partitionPart(runId, p, second)).sort();
    expect(keysWritten(f.calls, 'partitions')).toEqual(secondParts);
    expect(withoutRunId(await profilesOf(h.deps, runId))).toEqual(withoutRunId(reference));
  });

  it('a run that crashed while distributing its second source distributes only that source again', async () => {
    const f = faultyDeps(small(h.deps));
    const runId = 'crash-distribute';
    const second = h.sources[1].name;
    f.failWhen((call) => call.stage === 'distribute' && isWrite(call) && (call.key ?? '').endsWith(`/${second}.ndjson`));
    await expect(runPipeline(f.deps, { runId, sources: h.sources }, { concurrency: 1 })).rejects.toMatchObject({ stage: 'distribute' });
    const { chunks } = JSON.parse(await h.deps.objects.getText({ bucket: h.deps.buckets.work, key: workKeys.clusterSummary(runId) })) as {
      chunks: number;
    };
    expect(chunks).toBeGreaterThanOrEqual(3);
    f.failWhen(null);
    f.calls.length = 0;
    await runPipeline(f.deps, { runId, sources: h.sources }, { concurrency: 1, resume: true });
    const secondParts = Array.from({ length: chunks }, (_, chunk) => workKeys.chunkPart(runId, chunk, second)).sort();
    expect(keysWritten(f.calls, 'chunks')).toEqual(secondParts);
    for (const part of ['links', 'clusters']) expect(keysWritten(f.calls, part)).toEqual([]);
    expect(withoutRunId(await profilesOf(h.deps, runId))).toEqual(withoutRunId(reference));
  });

  it('refuses to resume a run that succeeded', async () => {
    await expect(runPipeline(h.deps, { runId: 'uninterrupted', sources: h.sources }, { concurrency: 1, resume: true })).rejects.toMatchObject({
      name: 'ResumeRefusedError',
    });
  });
});

describe('profile ids across runs', () => {
  it('a re-run with a few changed rows keeps the ids of unchanged people, and of a person whose id-giving record left', async () => {
    const before = await profilesOf(h.deps, (await h.deps.profiles.activeRunId()) as string);
    // A person with several records loses the record their derived id came from (the smallest member key).
    const person = before.find((profile) => profile.members.length >= 3 && profile.members.some((m) => m.source === 'telco')) as UnifiedProfile;
    expect(person).toBeDefined();
    const smallest = person.members.map((m) => `${m.source}:${m.recordId}`).sort()[0];
    const csv = { telco: h.sample.telcoCsv, satellite: h.sample.satelliteCsv } as Record<string, string>;
    const [gone, goneId] = [smallest.slice(0, smallest.indexOf(':')), smallest.slice(smallest.indexOf(':') + 1)];
    csv[gone] = withoutRecord(csv[gone], goneId);
    // Someone new joins company A.
    csv.telco +=
      'NW00000001,Quentin,,Zarkowski,,quentin.zarkowski@example.test,212-555-0199,,9 Nowhere Road,,Albany,NY,12207,01/01/1970,01/01/2020,01/01/2024,Active,TV Basic,Y\n';
    const sources: SourceInput[] = [];
    for (const source of h.sources) {
      const key = `changed/${source.name}.csv`;
      await h.deps.objects.putText({ bucket: h.deps.buckets.input, key }, csv[source.name], 'text/csv');
      sources.push({ ...source, uri: `s3://${h.deps.buckets.input}/${key}` });
    }
    await runPipeline(h.deps, { runId: 'changed', sources }, { concurrency: 2 });
    const after = await profilesOf(h.deps, 'changed');

    expect(new Set(after.map((p) => p.profileId)).size).toBe(after.length);
    const idOfMembers = new Map(before.map((p) => [memberSet(p), p.profileId]));
    const unchanged = after.filter((p) => idOfMembers.has(memberSet(p)));
    expect(unchanged.length).toBeGreaterThan(after.length * 0.9);
    for (const profile of unchanged) expect(profile.profileId).toBe(idOfMembers.get(memberSet(profile)));

    const remaining = after.find((p) => p.members.some((m) => `${m.source}:${m.recordId}` === person.members.map((x) => `${x.source}:${x.recordId}`).sort()[1]));
    expect(remaining?.profileId).toBe(person.profileId);
    // Without carry-over the person would have got another id: the one derived from their new smallest record.
    expect(profileIdFor((remaining as UnifiedProfile).members.map((m) => `${m.source}:${m.recordId}`))).not.toBe(person.profileId);
    const newcomer = after.find((p) => p.members.some((m) => m.recordId === 'NW00000001'));
    expect(newcomer?.profileId).toBe(profileIdFor(['telco:NW00000001']));
  });
});

/** The CSV without the row whose first column is `id`. */
function withoutRecord(csv: string, id: string): string {
  const row = readCsvText(csv, { delimiter: ',', encoding: 'utf-8', trim: false }).find(
    (event) => event.kind === 'row' && event.raw.split(',')[0] === id,
  );
  if (!row || row.kind !== 'row') throw new Error(`no row ${id}`);
  const at = csv.indexOf(row.raw);
  // The two sample exports end lines differently (LF, CRLF).
  const end = at + row.raw.length + (csv.startsWith('\r\n', at + row.raw.length) ? 2 : 1);
  return csv.slice(0, at) + csv.slice(end);
}
