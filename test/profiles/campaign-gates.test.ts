import { Readable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readCsvText } from '../../lambdas/core/ingest/csv-reader';
import { parseMapping } from '../../lambdas/core/model/mapping';
import type { UnifiedProfile } from '../../lambdas/core/model/profile';
import { normaliseText } from '../../lambdas/core/normalise/text';
import { runPipeline } from '../../lambdas/pipeline/run-pipeline';
import { runProfiles } from '../../lambdas/pipeline/run-files';
import { parseCampaign, screenCsv } from '../../lambdas/pipeline/screen-list';
import { evaluateScreening } from '../../scripts/sample-evaluation';
import { startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';

/**
 * Issue 4's gates on the project's own sample with truth, through the real pipeline on local S3 and DynamoDB:
 * the mailings crm-merge exists to stop.
 */
const campaignMapping = parseMapping(
  JSON.parse(readFileSync(resolve(__dirname, '..', '..', 'examples', 'sample', 'campaign.mapping.json'), 'utf8')),
);

async function screen(h: PipelineHarness, campaign: string): Promise<Map<string, Record<string, string>>> {
  let text = '';
  await screenCsv(
    h.deps,
    Readable.from([Buffer.from(h.sample.campaignCsv)]),
    campaignMapping,
    parseCampaign(campaign),
    (t) => {
      text += t;
    },
    { candidates: 'index' },
  );
  const rows = new Map<string, Record<string, string>>();
  for (const event of readCsvText(text, { delimiter: ',', encoding: 'utf-8', trim: false }))
    if (event.kind === 'row') rows.set(event.values.lead_id, event.values);
  return rows;
}

describe('campaign screening and profiles against the sample truth (3,000 people)', () => {
  let h: PipelineHarness;
  let profiles: UnifiedProfile[];

  beforeAll(async () => {
    h = await startPipelineHarness(3_000, 21);
    await runPipeline(h.deps, { runId: 'gates', sources: h.sources }, { concurrency: 2 });
    profiles = [];
    for await (const profile of runProfiles(h.deps, 'gates')) profiles.push(profile);
  });
  afterAll(async () => h.dispose());

  it('switch campaign: <= 0.5% of existing customers mailed, <= 0.5% of prospects wrongly suppressed', async () => {
    const rows = await screen(h, 'switch');
    expect(rows.size).toBe(h.sample.campaignTruth.length);
    const scores = evaluateScreening(new Map([...rows].map(([lead, row]) => [lead, row.suppress === 'true'])), h.sample.campaignTruth);
    expect(scores.customers).toBeGreaterThan(200);
    expect(scores.leakRate).toBeLessThanOrEqual(0.005);
    expect(scores.wrongSuppressionRate).toBeLessThanOrEqual(0.005);
    for (const row of rows.values()) expect(row.reasons.length).toBeGreaterThan(0);
  });

  it('every person who opted out anywhere is suppressed in every campaign', async () => {
    const optedOut = h.sample.campaignTruth.filter((t) => t.optedOutAnywhere);
    expect(optedOut.length).toBeGreaterThan(20);
    for (const campaign of ['switch', 'winback', 'offer:Fiber 1G']) {
      const rows = await screen(h, campaign);
      const mailed = optedOut.filter((t) => rows.get(t.leadId)?.suppress !== 'true');
      expect({ campaign, mailed: mailed.map((t) => t.leadId) }).toEqual({ campaign, mailed: [] });
      for (const t of optedOut) expect(rows.get(t.leadId)?.reasons).toMatch(/opted out in company/);
    }
  });

  it('win-back keeps former customers and suppresses current ones', async () => {
    const rows = await screen(h, 'winback');
    const former = h.sample.campaignTruth.filter((t) => t.category === 'former');
    const current = h.sample.campaignTruth.filter((t) => !t.optedOutAnywhere && (t.customerA === 'active' || t.customerB === 'active'));
    const formerMailed = former.filter((t) => rows.get(t.leadId)?.suppress === 'false').length;
    const currentSuppressed = current.filter((t) => rows.get(t.leadId)?.suppress === 'true').length;
    expect(formerMailed / former.length).toBeGreaterThanOrEqual(0.95);
    expect(currentSuppressed / current.length).toBeGreaterThanOrEqual(0.995);
  });

  it('no profile lists an ended product as held', () => {
    const personOf = new Map(h.sample.truth.map((t) => [`${t.source}:${t.recordId}`, t.personId]));
    const persons = new Map(h.sample.persons.map((p) => [p.personId, p]));
    let checked = 0;
    for (const profile of profiles) {
      const people = new Set(profile.members.map((m) => personOf.get(`${m.source}:${m.recordId}`)));
      if (people.size !== 1) continue;
      const person = persons.get([...people][0] as string);
      const held = profile.relationships.flatMap((r) => r.productsHeld);
      for (const product of person?.productsEnded ?? []) expect(held).not.toContain(product);
      checked++;
    }
    expect(checked).toBeGreaterThan(2_500);
  });

  it('greets people by the name they use where they use a nickname', () => {
    const profileOfRecord = new Map<string, UnifiedProfile>();
    for (const profile of profiles) for (const m of profile.members) profileOfRecord.set(`${m.source}:${m.recordId}`, profile);
    const nicknamed = h.sample.persons.filter((p) => normaliseText(p.preferredFirst) !== normaliseText(p.legalFirst));
    expect(nicknamed.length).toBeGreaterThan(200);
    const wrong = nicknamed.filter((p) => {
      const profile = profileOfRecord.get(p.preferredFrom);
      return normaliseText(profile?.name.preferredFirst?.value ?? '') !== normaliseText(p.preferredFirst);
    });
    expect(wrong.length / nicknamed.length).toBeLessThanOrEqual(0.005);
  });
});
