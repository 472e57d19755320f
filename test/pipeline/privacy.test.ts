import { Readable } from 'node:stream';
import { ConfigurationError } from '../../lambdas/core/errors';
import type { UnifiedProfile } from '../../lambdas/core/model/profile';
import { normaliseEmail } from '../../lambdas/core/normalise/email';
import { stageHandler } from '../../lambdas/handlers/stage-handler';
import type { SourceInput } from '../../lambdas/pipeline/contracts';
import type { PipelineDeps } from '../../lambdas/pipeline/deps';
import { forgetPerson, personKeys } from '../../lambdas/pipeline/forget';
import { runProfileMembers } from '../../lambdas/pipeline/profile-files';
import { runProfiles } from '../../lambdas/pipeline/run-files';
import { runPipeline } from '../../lambdas/pipeline/run-pipeline';
import { summariseRun } from '../../lambdas/pipeline/run-summary';
import { ERASED_REASON, erasedTarget, hashesOf, isErased, loadTombstones, tombstoneSalt } from '../../lambdas/pipeline/tombstones';
import { reportKeys } from '../../lambdas/pipeline/work-keys';
import type { ObjectStore } from '../../lambdas/storage/object-store';
import type { RunStore } from '../../lambdas/storage/profile-store';
import { startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';

/**
 * Privacy on the real local servers. PII: marker values seeded into the input never appear in a log line, a stage
 * payload, an error message of a failing run or the runs table. Erasure: `forget` removes a person from the served
 * profiles at once, keeps only salted hashes, and later runs and screening leave the person out, with the rows
 * accounted for as erased.
 */

const MARKER = /zqxmarker/i;

/** Rows full of markers: a person in both companies, one with bad values, and rows that get rejected. */
const TELCO_ROWS = [
  'NW90000001,Zqxmarkerone,,Zqxmarkerlast,,zqxmarker1@x.test,212-555-0101,,1 Zqxmarkerstreet Road,,Albany,NY,12207,01/01/1970,01/01/2020,01/01/2024,Active,TV Basic,Y',
  'NW90000002,Zqxmarkertwo,,Smith,,zqxmarker2@@bad,303-555-0177,,2 Main St,,Denver,CO,80202,13/45/1970,01/01/2020,01/01/2024,Active,Zqxmarker Plan,Y',
  ',Zqxmarkerthree,,Jones,,zqxmarker3@x.test,,,,,,,,,,,,,',
  `NW90000004,Zqxmarkerfour${'q'.repeat(5000)},,Long,,zqxmarker4@x.test,,,,,,,,,,,,,`,
  'NW90000001,Zqxmarkerfive,,Again,,zqxmarker5@x.test,,,,,,,,,,,,,',
];
const SATELLITE_ROWS = [
  'SK90000001,"Zqxmarkerone Zqxmarkerlast",zqxmarker1@x.test,+1 212 555 0101,"1 Zqxmarkerstreet Road, Albany, NY 12207",1970-01-01,01.01.2015,2024-01-01,Open,Kids Pack,false',
];

let h: PipelineHarness;
let sources: SourceInput[];
const seen: string[] = [];
const record = (where: string, value: unknown): void => {
  seen.push(`${where}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
};

beforeAll(async () => {
  h = await startPipelineHarness(40, 47);
  const csv: Record<string, string> = {
    telco: h.sample.telcoCsv + TELCO_ROWS.map((row) => `${row}\n`).join(''),
    satellite: h.sample.satelliteCsv + SATELLITE_ROWS.map((row) => `${row}\r\n`).join(''),
  };
  sources = [];
  for (const source of h.sources) {
    const key = `marked/${source.name}.csv`;
    await h.deps.objects.putText({ bucket: h.deps.buckets.input, key }, csv[source.name], 'text/csv');
    sources.push({ ...source, uri: `s3://${h.deps.buckets.input}/${key}` });
  }
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const)
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => record(`console.${method}`, args.map(String).join(' ')));
});
afterAll(async () => {
  jest.restoreAllMocks();
  await h.dispose();
});

describe('no customer value leaves the data files', () => {
  it('seeded markers reach the profiles (so the check below is not vacuous)', async () => {
    await runPipeline(h.deps, { runId: 'marked', sources }, { concurrency: 2, onStageResult: (stage, result) => record(`result of ${stage}`, result) });
    const summary = await summariseRun(h.deps, 'marked');
    expect(summary.sources.every((source) => source.balanced)).toBe(true);
    const marked: UnifiedProfile[] = [];
    for await (const profile of runProfiles(h.deps, 'marked')) if (MARKER.test(JSON.stringify(profile))) marked.push(profile);
    expect(marked.map((p) => p.members.length).sort()).toEqual([1, 2]);
  });

  it('a failing run whose error quotes a record keeps the quote out of its error, the runs table and the logs', async () => {
    // A corrupt work file: JSON.parse's message quotes the start of the bad line, here a customer's name.
    const corrupt = Object.create(h.deps.objects) as ObjectStore;
    corrupt.getStream = async (ref) =>
      ref.key.includes('/edges/') ? Readable.from([Buffer.from('["link","telco:NW1",Zqxmarkerone Zqxmarkerlast]\n')]) : h.deps.objects.getStream(ref);
    const error = await runPipeline({ ...h.deps, objects: corrupt }, { runId: 'marked-fails', sources }, { concurrency: 2 }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error).toMatchObject({ name: 'StageError', stage: 'cluster' });
    record('error of failing run', `${error?.message}\n${error?.stack}`);
    expect(error?.message).toMatch(/SyntaxError at .+ \(message withheld/);
    expect((await h.deps.runs.get('marked-fails'))?.status).toBe('failed');
  });

  it('a Lambda handler rethrows a foreign error without its message, and logs no values', async () => {
    for (const [name, value] of Object.entries(h.harness.env)) if (value !== undefined) process.env[name] = String(value);
    const handler = stageHandler('cluster', async (_deps: PipelineDeps, _event: { runId: string }) => JSON.parse('Zqxmarkerone Zqxmarkerlast') as unknown);
    const error = await handler({ runId: 'marked' }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error).toMatchObject({ name: 'StageError' });
    record('error thrown to Step Functions', `${error?.message}\n${error?.stack}`);
  });

  it('no marker in any console line, stage result, error message or runs table record', async () => {
    for (const runId of ['marked', 'marked-fails']) record(`run record ${runId}`, await h.deps.runs.get(runId));
    record('recent runs', await h.deps.runs.recent(10));
    record('summary.json', await h.deps.objects.getText({ bucket: h.deps.buckets.reports, key: reportKeys.file('marked', 'summary.json') }));
    const rejects = await h.deps.objects.getText({ bucket: h.deps.buckets.reports, key: reportKeys.file('marked', 'rejects.csv') });
    // Reasons of rejected rows carry no values (the raw rows next to them do, in the access-controlled rejects file).
    for (const line of rejects.split('\n').filter((l) => MARKER.test(l))) record('reject reason', line.split(',').slice(1, 3).join(','));
    expect(seen.some((entry) => entry.startsWith('result of ingest'))).toBe(true);
    expect(seen.some((entry) => entry.startsWith('console.error'))).toBe(true);
    expect(seen.filter((entry) => MARKER.test(entry))).toEqual([]);
  });
});

describe('the right to erasure', () => {
  let served: string;
  let byEmail: UnifiedProfile;
  let byPhone: UnifiedProfile;
  let byId: UnifiedProfile;
  let erasedRecords: string[];
  const emailKey = (email: string): string => {
    const result = normaliseEmail(email);
    if (!result.ok) throw new Error('bad email');
    return result.matchKey;
  };

  beforeAll(async () => {
    served = (await h.deps.profiles.activeRunId()) as string;
    const profiles: UnifiedProfile[] = [];
    for await (const profile of runProfiles(h.deps, served)) profiles.push(profile);
    const companies = (p: UnifiedProfile): number => new Set(p.members.map((m) => m.company)).size;
    byEmail = profiles.find((p) => companies(p) === 2 && p.emails.length > 0 && p.phones.length > 0) as UnifiedProfile;
    byPhone = profiles.find((p) => p !== byEmail && p.phones.length > 0 && p.members.length >= 2) as UnifiedProfile;
    byId = profiles.find((p) => p !== byEmail && p !== byPhone && p.members.length === 1) as UnifiedProfile;
    expect([byEmail, byPhone, byId].every(Boolean)).toBe(true);
    erasedRecords = personKeys([byEmail, byPhone, byId]).recordKeys as string[];
  });

  it('forget by email, phone and id removes each person from the served profiles at once, keeping only hashes', async () => {
    const before = await summariseRun(h.deps, served);
    // Written as a person would give it: not the normalised form.
    const email = byEmail.emails[0].value.toUpperCase();
    const results = [
      await forgetPerson(h.deps, { email }),
      await forgetPerson(h.deps, { phone: byPhone.phones[0].value }),
      await forgetPerson(h.deps, { id: byId.profileId }),
    ];
    results.forEach((result, i) =>
      expect(result.removed).toContainEqual({ runId: served, profileIds: [[byEmail, byPhone, byId][i].profileId] }),
    );
    for (const profile of [byEmail, byPhone, byId]) expect(await h.deps.profiles.getProfile(profile.profileId)).toBeNull();
    expect(await h.deps.profiles.findByEmail(emailKey(email))).toEqual([]);
    expect((await h.deps.profiles.findByPhone(byPhone.phones[0].value)).map((p) => p.profileId)).not.toContain(byPhone.profileId);
    // The served run's files no longer hold them, and its rows still add up, now with erased rows.
    const after = await summariseRun(h.deps, served);
    expect(after.profiles).toBe(before.profiles - 3);
    expect(after.rowsErased).toBe(erasedRecords.length);
    expect(after.sources.every((source) => source.balanced)).toBe(true);
    // The members files report, finalize and carry-over read were rewritten with the profiles files.
    const memberKeys = new Set<string>();
    for await (const profile of runProfileMembers(h.deps, served)) for (const m of profile.members) memberKeys.add(`${m.source}:${m.recordId}`);
    expect(memberKeys.size).toBeGreaterThan(50);
    for (const key of erasedRecords) expect(memberKeys.has(key)).toBe(false);
    // Tombstones are hashes: no email, phone or record id in the table.
    const hashes = await h.deps.profiles.listTombstones();
    expect(hashes.length).toBe(results.reduce((n, r) => n + r.tombstones, 0));
    for (const hash of hashes) expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashes).toEqual(expect.arrayContaining(hashesOf(tombstoneSalt(h.deps), { emails: [emailKey(email)] }).map((x) => x.hash)));
  });

  it('a later run of the same inputs leaves the erased people out and accounts for their rows as erased', async () => {
    await runPipeline(h.deps, { runId: 'after-forget', sources }, { concurrency: 2 });
    const members = new Set<string>();
    for await (const profile of runProfiles(h.deps, 'after-forget')) for (const m of profile.members) members.add(`${m.source}:${m.recordId}`);
    for (const key of erasedRecords) expect(members.has(key)).toBe(false);
    const summary = await summariseRun(h.deps, 'after-forget');
    expect(summary.rowsErased).toBeGreaterThanOrEqual(erasedRecords.length);
    expect(summary.sources.every((source) => source.balanced)).toBe(true);
    expect((await h.deps.runs.get('after-forget'))?.counts).toEqual(expect.objectContaining({ 'telco.rowsErased': expect.any(Number) }));
    expect(await h.deps.profiles.findByEmail(byEmail.keys.emails[0])).toEqual([]);
    // Their records were read, blocked and linked, but the report's pairs leave them out too.
    const matches = await h.deps.objects.getText({ bucket: h.deps.buckets.reports, key: reportKeys.file('after-forget', 'matches.csv') });
    const pairs = matches.split('\n').slice(1).map((line) => line.split(',').slice(1, 3));
    expect(pairs.length).toBeGreaterThan(10);
    for (const key of erasedRecords) expect(pairs.filter((pair) => pair.includes(key))).toEqual([]);
  });

  it('screening suppresses a target matching a tombstone with "erased on request"', async () => {
    const tombstones = await loadTombstones(h.deps);
    expect(erasedTarget(tombstones, { emails: [byEmail.keys.emails[0]], phones: [] })).toEqual({ suppress: true, reasons: [ERASED_REASON] });
    expect(erasedTarget(tombstones, { emails: [], phones: [byPhone.keys.phones[0]] })?.reasons).toEqual(['erased on request']);
    expect(erasedTarget(tombstones, { emails: ['nobody@example.test'], phones: ['+12125550000'] })).toBeNull();
    expect(await isErased(h.deps, { emails: [byEmail.keys.emails[0]] })).toBe(true);
    expect(await isErased(h.deps, { emails: ['nobody@example.test'] })).toBe(false);
  });

  it('a person erased while a run is under way is left out by its finalize stage', async () => {
    const active = (await h.deps.profiles.activeRunId()) as string;
    let target: UnifiedProfile | undefined;
    for await (const profile of runProfiles(h.deps, active)) if (profile.members.length >= 2 && profile.keys.emails.length > 0) target = profile;
    const person = target as UnifiedProfile;
    // The tombstone arrives after the run's cluster stage, just before finalize: only finalize can honour it.
    const runs = Object.create(h.deps.runs) as RunStore;
    runs.update = async (runId, patch) => {
      if (patch.stage === 'finalize')
        await h.deps.profiles.putTombstones(
          hashesOf(tombstoneSalt(h.deps), { emails: person.keys.emails }).map(({ kind, hash }) => ({ kind, hash, createdAt: '2026-01-01T00:00:00Z' })),
        );
      return h.deps.runs.update(runId, patch);
    };
    await runPipeline({ ...h.deps, runs }, { runId: 'erased-mid-run', sources }, { concurrency: 2 });
    const ids: string[] = [];
    for await (const profile of runProfiles(h.deps, 'erased-mid-run')) ids.push(profile.profileId);
    expect(ids).not.toContain(person.profileId);
    expect(await h.deps.profiles.findByEmail(person.keys.emails[0])).toEqual([]);
    const summary = await summariseRun(h.deps, 'erased-mid-run');
    expect(summary.sources.every((source) => source.balanced)).toBe(true);
  });

  it('refuses an ambiguous or invalid request with a typed error that does not repeat the value', async () => {
    await expect(forgetPerson(h.deps, { email: 'a@x.test', phone: '2125550100' })).rejects.toBeInstanceOf(ConfigurationError);
    const error = await forgetPerson(h.deps, { email: 'zqxmarker9@@x' }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error?.message).not.toMatch(MARKER);
    await expect(forgetPerson(h.deps, { id: 'not-an-id' })).rejects.toBeInstanceOf(ConfigurationError);
  });
});
