import { tokenRunId } from '../../lambdas/api/runs';
import { eventually, presignedSeconds, startApiHarness, type ApiHarness } from './support';

/**
 * The integration team's and the auditors' routes over HTTP against `crm-merge serve`'s server: POST /runs (S3
 * sources, idempotent on a client token, runs in the server's background and succeeds), GET /runs/{id}, GET /runs,
 * and GET /runs/{id}/report (short-lived presigned links that fetch the files).
 */
describe('API: runs and reports', () => {
  let a: ApiHarness;

  beforeAll(async () => {
    a = await startApiHarness();
  });
  afterAll(async () => a?.dispose());

  describe('POST /runs', () => {
    const token = 'api-test-token-1';
    let runId: string;

    it('starts a run from sources and mappings in S3: 202, the run record, a Location header', async () => {
      const response = await a.call('POST', '/runs', { role: 'integration', body: { sources: a.h.sources, clientToken: token } });
      expect(response.status).toBe(202);
      expect(response.headers.get('location')).toBe(`/runs/${response.json.run.runId}`);
      expect(response.json).toEqual({
        replayed: false,
        run: expect.objectContaining({
          runId: tokenRunId(token),
          status: 'running',
          active: false,
          clientToken: token,
          sources: a.h.sources,
          finishedAt: null,
          links: { self: `/runs/${tokenRunId(token)}`, report: `/runs/${tokenRunId(token)}/report` },
        }),
      });
      runId = response.json.run.runId;
    });

    it('is idempotent on the client token: the same request again answers the same run (200, replayed)', async () => {
      const again = await a.call('POST', '/runs', { role: 'integration', body: { sources: a.h.sources, clientToken: token } });
      expect(again.status).toBe(200);
      expect(again.json.replayed).toBe(true);
      expect(again.json.run.runId).toBe(runId);
      expect(again.headers.get('location')).toBe(`/runs/${runId}`);
    });

    it('a different request with a used token is a 409 naming clientToken', async () => {
      const swapped = [...a.h.sources].reverse();
      const conflict = await a.call('POST', '/runs', { role: 'integration', body: { sources: swapped, clientToken: token } });
      expect(conflict.status).toBe(409);
      expect(conflict.json.error).toEqual(
        expect.objectContaining({ status: 409, code: 'conflict', field: 'clientToken', message: expect.stringContaining(`already used for run ${runId}`) }),
      );
    });

    it('the run finishes in the background, succeeds and becomes the active run', async () => {
      const run = await eventually(async () => {
        const response = await a.call('GET', `/runs/${runId}`, { role: 'integration' });
        expect(response.status).toBe(200);
        return response.json.run.status === 'running' ? undefined : response.json.run;
      }, 60_000, 200);
      await a.server.idle();
      expect(run).toEqual(
        expect.objectContaining({ runId, status: 'succeeded', stage: 'finalize', active: true, error: null, clientToken: token }),
      );
      expect(run.finishedAt).toEqual(expect.any(String));
      expect(run.elapsedMs).toBeGreaterThan(0);
      // Counts and timings: profiles and rows per source, milliseconds per stage.
      expect(run.counts.profiles).toBeGreaterThan(0);
      expect(run.counts['telco.rowsRead']).toBe(a.h.sample.stats.telcoRows);
      expect(run.counts['satellite.rowsRead']).toBe(a.h.sample.stats.satelliteRows);
      for (const stage of ['ingest', 'plan', 'route', 'compare', 'train', 'score', 'cluster', 'distribute', 'publish', 'report', 'finalize'])
        expect(run.timings[stage]).toEqual(expect.any(Number));
      // The same token still answers the (now finished) run.
      const replay = await a.call('POST', '/runs', { role: 'integration', body: { sources: a.h.sources, clientToken: token } });
      expect(replay.json.run).toEqual(expect.objectContaining({ runId, status: 'succeeded' }));
    });

    it('GET /runs lists recent runs with the active one marked; limit is honoured and validated', async () => {
      const list = await a.call('GET', '/runs', { role: 'auditor' });
      expect(list.status).toBe(200);
      expect(list.json.active).toBe(runId);
      const ids = list.json.runs.map((run: { runId: string }) => run.runId);
      expect(ids).toEqual(expect.arrayContaining([runId, a.runId]));
      expect(list.json.runs.find((run: { runId: string }) => run.runId === a.runId).active).toBe(false);
      const one = await a.call('GET', '/runs?limit=1', { role: 'integration' });
      expect(one.status).toBe(200);
      expect(one.json.runs).toHaveLength(1);
      for (const bad of ['0', '101', 'ten', '-1']) {
        const response = await a.call('GET', `/runs?limit=${bad}`, { role: 'integration' });
        expect(response.status).toBe(400);
        expect(response.json.error).toEqual(expect.objectContaining({ field: 'limit', message: 'limit: must be a whole number from 1 to 100' }));
      }
    });

    it('GET /runs/latest is the active run; an unknown run is a 404, a malformed id a 400', async () => {
      const latest = await a.call('GET', '/runs/latest', { role: 'auditor' });
      expect(latest.status).toBe(200);
      expect(latest.json.run.runId).toBe(runId);
      const missing = await a.call('GET', '/runs/run-does-not-exist', { role: 'auditor' });
      expect(missing.status).toBe(404);
      expect(missing.json.error).toEqual({ status: 404, code: 'not_found', message: 'run run-does-not-exist does not exist' });
      const malformed = await a.call('GET', `/runs/${encodeURIComponent('bad id!')}`, { role: 'auditor' });
      expect(malformed.status).toBe(400);
      expect(malformed.json.error.field).toBe('id');
    });
  });

  describe('POST /runs validation (nothing is started)', () => {
    const post = (body: unknown) => a.call('POST', '/runs', { role: 'integration', body });

    it('a body that is not a valid run request is a 400 naming the field', async () => {
      const cases: [unknown, string, RegExp][] = [
        [{}, 'sources', /^sources: /],
        [{ sources: [a.h.sources[0]] }, 'sources', /a merge needs at least two sources/],
        [{ sources: a.h.sources, extra: 1 }, 'extra', /^extra: is not a known field$/],
        [{ sources: [{ ...a.h.sources[0], uri: 'https://example.test/x.csv' }, a.h.sources[1]] }, 'sources[0].uri', /must be an s3:\/\/ URI/],
        [{ sources: [{ ...a.h.sources[0], name: 'Telco!' }, a.h.sources[1]] }, 'sources[0].name', /1-40 characters/],
        [{ sources: a.h.sources, clientToken: 'has spaces' }, 'clientToken', /1-64 characters/],
      ];
      for (const [body, field, message] of cases) {
        const response = await post(body);
        expect(response.status).toBe(400);
        expect(response.json.error.code).toBe('invalid_request');
        expect(response.json.error.field).toBe(field);
        expect(response.json.error.message).toMatch(message);
      }
    });

    it('sources outside the input bucket, missing objects and bad mappings are 400s before any run exists', async () => {
      const before = (await a.call('GET', '/runs?limit=100', { role: 'integration' })).json.runs.length;
      const elsewhere = await post({ sources: [{ ...a.h.sources[0], uri: 's3://some-other-bucket/x.csv' }, a.h.sources[1]] });
      expect(elsewhere.status).toBe(400);
      expect(elsewhere.json.error.field).toBe('sources[0].uri');
      expect(elsewhere.json.error.message).toContain('must be in the input bucket');
      const input = a.h.deps.buckets.input;
      const missing = await post({ sources: [{ ...a.h.sources[0], uri: `s3://${input}/sample/nope.csv` }, a.h.sources[1]] });
      expect(missing.status).toBe(400);
      expect(missing.json.error.field).toBe('sources');
      // A mapping naming the other source's columns: the file lacks them.
      const wrongMapping = await post({ sources: [{ ...a.h.sources[0], mappingUri: a.h.sources[1].mappingUri }, a.h.sources[1]] });
      expect(wrongMapping.status).toBe(400);
      expect(wrongMapping.json.error.field).toBe('sources');
      expect((await a.call('GET', '/runs?limit=100', { role: 'integration' })).json.runs.length).toBe(before);
    });
  });

  describe('GET /runs/{id}/report (auditors)', () => {
    it('answers presigned links to every report file, 5 minutes by default, that fetch the files', async () => {
      const response = await a.call('GET', `/runs/${a.runId}/report`, { role: 'auditor' });
      expect(response.status).toBe(200);
      expect(response.json.runId).toBe(a.runId);
      expect(response.json.expiresInSeconds).toBe(300);
      const files = response.json.files as { name: string; url: string }[];
      expect(files.map((file) => file.name).sort()).toEqual(expect.arrayContaining(['matches.csv', 'members.csv', 'rejects.csv', 'report.html', 'summary.json']));
      for (const file of files) expect(presignedSeconds(file.url)).toBe(300);
      const summary = await fetch(files.find((file) => file.name === 'summary.json')!.url);
      expect(summary.status).toBe(200);
      expect(await summary.json()).toEqual(expect.objectContaining({ runId: a.runId }));
      const members = await fetch(files.find((file) => file.name === 'members.csv')!.url);
      expect(members.status).toBe(200);
      expect((await members.text()).split('\n')[0]).toContain('profile_id');
    });

    it('links live at most 15 minutes: expiresIn up to 900 is honoured, more is a 400', async () => {
      const longest = await a.call('GET', '/runs/latest/report?expiresIn=900', { role: 'auditor' });
      expect(longest.status).toBe(200);
      expect(longest.json.expiresInSeconds).toBe(900);
      for (const file of longest.json.files) expect(presignedSeconds(file.url)).toBeLessThanOrEqual(900);
      const expiresAt = Date.parse(longest.json.expiresAt);
      expect(expiresAt - Date.now()).toBeLessThanOrEqual(900_000);
      for (const bad of ['901', '0', '3600']) {
        const response = await a.call('GET', `/runs/latest/report?expiresIn=${bad}`, { role: 'auditor' });
        expect(response.status).toBe(400);
        expect(response.json.error.message).toBe('expiresIn: must be a whole number from 1 to 900');
      }
    });

    it('a run that wrote no report, and a run that does not exist, are 404s', async () => {
      await a.h.deps.runs.create({
        runId: 'run-failed-early',
        status: 'failed',
        stage: 'ingest',
        startedAt: new Date().toISOString(),
        finishedAt: new Date().toISOString(),
        clientToken: null,
        sources: a.h.sources,
        counts: {},
        timings: {},
        error: 'injected',
        reportPrefix: null,
      });
      const noReport = await a.call('GET', '/runs/run-failed-early/report', { role: 'auditor' });
      expect(noReport.status).toBe(404);
      expect(noReport.json.error.message).toBe('run run-failed-early has no report (status failed, stage ingest); reports are written by the report stage');
      const missing = await a.call('GET', '/runs/run-does-not-exist/report', { role: 'auditor' });
      expect(missing.status).toBe(404);
    });
  });
});
