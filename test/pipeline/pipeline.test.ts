import { StageError } from '../../lambdas/core/errors';
import { runPipeline } from '../../lambdas/pipeline/run-pipeline';
import { summariseRun } from '../../lambdas/pipeline/run-summary';
import { runProfiles } from '../../lambdas/pipeline/run-files';
import type { ObjectStore } from '../../lambdas/storage/object-store';
import { evaluateRun } from '../../scripts/sample-evaluation';
import { startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';

async function memberLines(h: PipelineHarness, runId: string): Promise<string[]> {
  const lines: string[] = [];
  for await (const profile of runProfiles(h.deps, runId))
    for (const member of profile.members) lines.push(`${member.source},${member.recordId},${profile.profileId}`);
  return lines.sort();
}

describe('the whole pipeline on real local S3 and DynamoDB', () => {
  let h: PipelineHarness;
  let firstRun: string;

  beforeAll(async () => {
    h = await startPipelineHarness(400, 11);
    firstRun = (await runPipeline(h.deps, { runId: 'run-a', sources: h.sources }, { concurrency: 2 })).runId;
  });
  afterAll(async () => h.dispose());

  it('accounts for every row: read = in profiles + rejected, per source', async () => {
    const summary = await summariseRun(h.deps, firstRun);
    expect(summary.rowsRead).toBe(h.sample.stats.telcoRows + h.sample.stats.satelliteRows);
    for (const source of summary.sources) expect(source.balanced).toBe(true);
    expect(summary.peopleInSeveralCompanies).toBeGreaterThan(0);
  });

  it('publishes the run: it is active, its profiles can be looked up, and the run record says succeeded', async () => {
    expect(await h.deps.profiles.activeRunId()).toBe(firstRun);
    const run = await h.deps.runs.get(firstRun);
    expect(run?.status).toBe('succeeded');
    const someone = h.sample.persons.find((p) => p.email !== '');
    const [profile] = await runProfilesFirst(h);
    expect(await h.deps.profiles.getProfile(profile.profileId)).toEqual(profile);
    expect(someone).toBeDefined();
  });

  it('matches the sample people well (precision and recall against the truth file)', async () => {
    const scores = await evaluateRun(h.deps, firstRun, h.sample.truth);
    expect(scores.precision).toBeGreaterThan(0.95);
    expect(scores.recall).toBeGreaterThan(0.95);
  });

  it('writes the report files', async () => {
    const keys = await h.deps.objects.list(h.deps.buckets.reports, `reports/${firstRun}/`);
    expect(keys.map((k) => k.split('/').pop())).toEqual(expect.arrayContaining(['summary.json', 'matches.csv', 'members.csv', 'rejects.csv']));
  });

  it('re-running the same input gives the same profiles and profile ids, byte for byte', async () => {
    await runPipeline(h.deps, { runId: 'run-b', sources: h.sources }, { concurrency: 2 });
    expect(await memberLines(h, 'run-b')).toEqual(await memberLines(h, firstRun));
    expect(await h.deps.profiles.activeRunId()).toBe('run-b');
  });

  it('a run that fails in a stage is marked failed and leaves the previous run served', async () => {
    const active = await h.deps.profiles.activeRunId();
    const failing: ObjectStore = Object.create(h.deps.objects) as ObjectStore;
    failing.putStream = async (ref, body, type) => {
      if (ref.key.includes('/links/')) throw new Error('injected S3 failure');
      return h.deps.objects.putStream(ref, body, type);
    };
    await expect(
      runPipeline({ ...h.deps, objects: failing }, { runId: 'run-c', sources: h.sources }, { concurrency: 1 }),
    ).rejects.toBeInstanceOf(StageError);
    expect((await h.deps.runs.get('run-c'))?.status).toBe('failed');
    expect(await h.deps.profiles.activeRunId()).toBe(active);
  });
});

async function runProfilesFirst(h: PipelineHarness) {
  const runId = (await h.deps.profiles.activeRunId()) as string;
  const profiles = [];
  for await (const profile of runProfiles(h.deps, runId)) {
    profiles.push(profile);
    if (profiles.length === 1) break;
  }
  return profiles;
}
