import { MAX_INLINE_ROWS, screeningKeys } from '../../lambdas/api/screen';
import { readCsvText } from '../../lambdas/core/ingest/csv-reader';
import { eventually, campaignMapping, presignedSeconds, startApiHarness, type ApiHarness } from './support';

/**
 * Campaign screening over HTTP: a small list inline (JSON rows or CSV text) answered at once with suppress, reasons,
 * profile_id and match_probability per row; a list in S3 as a job whose result CSV lands in S3 and is fetched
 * through a short-lived link from GET /screen/{jobId}.
 */

function parseCsv(text: string): Record<string, string>[] {
  const rows: Record<string, string>[] = [];
  for (const event of readCsvText(text, { delimiter: ',', encoding: 'utf-8', trim: false })) if (event.kind === 'row') rows.push(event.values);
  return rows;
}

describe('API: screening (marketing)', () => {
  let a: ApiHarness;
  let listRows: Record<string, string>[];
  /** The sample campaign screened inline as CSV for a winback campaign (compared with the S3 job's result). */
  let inlineWinbackCsv: string;
  const screen = (body: unknown) => a.call('POST', '/screen', { role: 'marketing', body });

  beforeAll(async () => {
    a = await startApiHarness();
    listRows = parseCsv(a.h.sample.campaignCsv);
  });
  afterAll(async () => a?.dispose());

  it('an inline list of JSON rows is answered at once: suppress, reasons, profile id and match probability per row', async () => {
    const response = await screen({ rows: listRows, mapping: campaignMapping() });
    expect(response.status).toBe(200);
    expect(response.json.runId).toBe(a.runId);
    expect(response.json.campaign).toBe('switch');
    expect(response.json.summary).toEqual(expect.objectContaining({ rows: listRows.length, rejected: 0, reasons: expect.any(Object) }));
    const results = response.json.results as { row: Record<string, string>; suppress: boolean; reasons: string[]; profileId: string | null; matchProbability: number | null }[];
    expect(results).toHaveLength(listRows.length);
    const truth = new Map(a.h.sample.campaignTruth.map((row) => [row.leadId, row]));
    let suppressed = 0;
    for (const [i, result] of results.entries()) {
      // The row as sent (a list without an "id" column gets the row number as its id).
      expect(result.row).toEqual({ ...listRows[i], id: String(i + 1) });
      expect(result.reasons.length).toBeGreaterThan(0);
      const expected = truth.get(result.row.lead_id)!;
      // The seeded sample's truth: every existing customer and opt-out suppressed, every other row mailed.
      expect({ lead: expected.leadId, category: expected.category, suppress: result.suppress }).toEqual({
        lead: expected.leadId,
        category: expected.category,
        suppress: expected.expectedAction === 'suppress',
      });
      if (result.suppress) suppressed++;
      if (expected.category.startsWith('customer_')) {
        expect(result.reasons.join('; ')).toMatch(/existing customer of [AB]/);
        expect(result.profileId).toMatch(/^P[0-9a-f]{16}$/);
        expect(result.matchProbability).toBeGreaterThanOrEqual(0.9);
        expect(result.matchProbability).toBeLessThanOrEqual(1);
      }
      if (expected.category === 'opted_out') expect(result.reasons.join('; ')).toMatch(/^opted out in company [AB]/);
      if (result.profileId === null) expect(result.reasons).toEqual(['no matching customer']);
    }
    expect(response.json.summary.suppressed).toBe(suppressed);
    // A suppressed customer's profile id is a real profile.
    const customer = results.find((result) => result.profileId !== null && result.suppress)!;
    expect((await a.call('GET', `/profiles/${customer.profileId}`, { role: 'marketing' })).status).toBe(200);
  });

  it('JSON rows need no mapping when they use the documented field names', async () => {
    const response = await screen({ rows: [{ fullName: 'Zebulon Quixwright', email: 'zebulon.q@example.test' }] });
    expect(response.status).toBe(200);
    expect(response.json.results).toEqual([
      { row: { id: '1', fullName: 'Zebulon Quixwright', email: 'zebulon.q@example.test' }, suppress: false, reasons: ['no matching customer'], profileId: null, matchProbability: null },
    ]);
  });

  it('an inline CSV list is answered as CSV with the four columns added to every row', async () => {
    const response = await screen({ csv: a.h.sample.campaignCsv, mapping: campaignMapping(), campaign: 'winback' });
    expect(response.status).toBe(200);
    expect(response.json.campaign).toBe('winback');
    inlineWinbackCsv = response.json.csv;
    const header = (response.json.csv as string).split('\n')[0];
    expect(header).toBe(`${a.h.sample.campaignCsv.split(/\r?\n/)[0]},suppress,reasons,profile_id,match_probability`);
    const rows = parseCsv(response.json.csv);
    expect(rows.map((row) => row.lead_id)).toEqual(listRows.map((row) => row.lead_id));
    for (const row of rows) {
      expect(['true', 'false']).toContain(row.suppress);
      expect(row.reasons).not.toBe('');
    }
  });

  it('a list in S3 is screened as a job: 202, then GET /screen/{jobId} gives a short-lived link to the result CSV in S3', async () => {
    const input = a.h.deps.buckets.input;
    await a.h.deps.objects.putText({ bucket: input, key: 'lists/campaign.csv' }, a.h.sample.campaignCsv, 'text/csv');
    await a.h.deps.objects.putText({ bucket: input, key: 'lists/campaign.mapping.json' }, JSON.stringify(campaignMapping()), 'application/json');
    const body = { listUri: `s3://${input}/lists/campaign.csv`, mappingUri: `s3://${input}/lists/campaign.mapping.json`, campaign: 'winback' };
    const started = await screen(body);
    expect(started.status).toBe(202);
    const { jobId } = started.json.job;
    expect(jobId).toMatch(/^screen-\d{8}T\d{6}Z-[0-9a-f]{8}$/);
    expect(started.headers.get('location')).toBe(`/screen/${jobId}`);
    expect(started.json).toEqual({
      job: expect.objectContaining({ jobId, status: 'running', campaign: 'winback', listUri: body.listUri, summary: null, error: null }),
      links: { self: `/screen/${jobId}` },
    });
    // The job view never carries the mapping document or any row.
    expect(started.json.job.mapping).toBeUndefined();

    const done = await eventually(async () => {
      const response = await a.call('GET', `/screen/${jobId}?expiresIn=900`, { role: 'marketing' });
      expect(response.status).toBe(200);
      return response.json.job.status === 'running' ? undefined : response.json;
    });
    expect(done.job).toEqual(
      expect.objectContaining({ status: 'succeeded', finishedAt: expect.any(String), summary: expect.objectContaining({ rows: listRows.length }) }),
    );
    expect(done.result.expiresInSeconds).toBe(900);
    expect(presignedSeconds(done.result.url)).toBe(900);
    const fetched = await fetch(done.result.url);
    expect(fetched.status).toBe(200);
    const csv = await fetched.text();
    // It landed in the work bucket, and it is what the same list screened inline gives.
    expect(await a.h.deps.objects.getText({ bucket: a.h.deps.buckets.work, key: screeningKeys.result(jobId) })).toBe(csv);
    expect(csv).toBe(inlineWinbackCsv);

    const defaultLink = await a.call('GET', `/screen/${jobId}`, { role: 'marketing' });
    expect(presignedSeconds(defaultLink.json.result.url)).toBe(300);
    const tooLong = await a.call('GET', `/screen/${jobId}?expiresIn=901`, { role: 'marketing' });
    expect(tooLong.status).toBe(400);
    expect(tooLong.json.error.field).toBe('expiresIn');
  });

  it('GET /screen/{jobId}: a malformed id is a 400, an unknown job a 404', async () => {
    const malformed = await a.call('GET', '/screen/not-a-job', { role: 'marketing' });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error).toEqual(expect.objectContaining({ field: 'jobId', message: 'jobId: not a screening job id' }));
    const unknown = await a.call('GET', '/screen/screen-20260101T000000Z-deadbeef', { role: 'marketing' });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('not_found');
  });

  it('bad screening requests are clear 4xx errors, and nothing is screened', async () => {
    const input = a.h.deps.buckets.input;
    const mapping = campaignMapping();
    const cases: [unknown, number, string, RegExp][] = [
      [{}, 400, 'rows', /^give exactly one of rows, csv or listUri$/],
      [{ rows: [{ fullName: 'A B' }], csv: 'name\nA B\n' }, 400, 'csv', /^give exactly one of rows, csv or listUri$/],
      [{ rows: [] }, 400, 'rows', /^rows: the list is empty$/],
      [{ rows: [{ email: 'x@example.test' }] }, 400, 'rows', /without a mapping, rows need a fullName, firstName or lastName field/],
      [{ rows: [{ fullName: 'A B' }], campaign: 'spam' }, 400, 'campaign', /^campaign: must be switch, winback or offer:PRODUCT$/],
      [{ rows: [{ fullName: { first: 'A' } }] }, 400, 'rows[0].fullName', /^rows\[0\]\.fullName: /],
      [{ csv: a.h.sample.campaignCsv }, 400, 'mapping', /a CSV list needs a mapping/],
      [{ csv: a.h.sample.campaignCsv, mapping, mappingUri: `s3://${input}/lists/campaign.mapping.json` }, 400, 'mapping', /give mapping or mappingUri, not both/],
      [{ csv: 'lead_id,full\n1,A B\n', mapping }, 400, 'csv', /name/],
      [{ csv: a.h.sample.campaignCsv, mapping: { columns: {} } }, 400, 'mapping', /.+/],
      [{ listUri: 's3://some-other-bucket/list.csv', mapping }, 400, 'listUri', /must be in the input bucket/],
      [{ listUri: `s3://${input}/lists/missing.csv`, mapping }, 400, 'listUri', /^listUri: no such object$/],
      [{ listUri: 'https://example.test/list.csv', mapping }, 400, 'listUri', /must be an s3:\/\/ URI/],
      [{ rows: Array.from({ length: MAX_INLINE_ROWS + 1 }, (_, i) => ({ fullName: `Person ${i}` })) }, 413, 'rows', /put the list in S3 and pass listUri/],
    ];
    for (const [body, status, field, message] of cases) {
      const response = await screen(body);
      expect({ body: JSON.stringify(body).slice(0, 120), status: response.status, field: response.json.error?.field }).toEqual({
        body: JSON.stringify(body).slice(0, 120),
        status,
        field,
      });
      expect(response.json.error.message).toMatch(message);
    }
  });
});
