import type { UnifiedProfile } from '../../lambdas/core/model/profile';
import { ERASED_REASON } from '../../lambdas/pipeline/tombstones';
import type { PersonTruth } from '../../scripts/sample';
import { eventually, startApiHarness, type ApiHarness } from './support';

/**
 * The right to erasure over HTTP: POST /profiles/forget (marketing) by email, phone or profile id removes the profile
 * from the served run at once, keeps hashed tombstones, and later screening and later runs leave the person out.
 */
describe('API: POST /profiles/forget', () => {
  let a: ApiHarness;
  /** Four sample people, each found by email as exactly one profile with a phone; the fourth is never erased. */
  let people: { person: PersonTruth; profile: UnifiedProfile }[];

  const forget = (body: unknown, role = 'marketing') => a.call('POST', '/profiles/forget', { role, body });
  const getProfile = (id: string) => a.call('GET', `/profiles/${id}`, { role: 'marketing' });
  const searchEmail = async (email: string): Promise<number> => (await a.call('POST', '/profiles/search', { role: 'marketing', body: { email } })).json.count;
  const screenRow = async (row: Record<string, string>) => {
    const response = await a.call('POST', '/screen', { role: 'marketing', body: { rows: [row] } });
    expect(response.status).toBe(200);
    return response.json.results[0];
  };

  beforeAll(async () => {
    a = await startApiHarness();
    people = [];
    const usedPhones = new Set<string>();
    for (const person of a.h.sample.persons) {
      if (person.email === '' || person.hardCase !== 'none' || person.optedOutAnywhere) continue;
      const response = await a.call('POST', '/profiles/search', { role: 'marketing', body: { email: person.email } });
      if (response.json.count !== 1) continue;
      const profile = response.json.results[0].profile as UnifiedProfile;
      // A phone no other profile shares (households share a landline).
      const phone = profile.phones[0]?.value;
      if (!phone || usedPhones.has(phone)) continue;
      const byPhone = await a.call('POST', '/profiles/search', { role: 'marketing', body: { phone } });
      if (byPhone.json.count !== 1) continue;
      usedPhones.add(phone);
      people.push({ person, profile });
      if (people.length === 4) break;
    }
    if (people.length < 4) throw new Error('not enough suitable people in the sample');
  });
  afterAll(async () => a?.dispose());

  it('by email: removes the profile at once (GET 404, search finds nothing) and answers ids and counts only', async () => {
    const { person, profile } = people[0];
    expect((await screenRow({ fullName: `${person.preferredFirst} ${person.last}`, email: person.email })).profileId).toBe(profile.profileId);

    const response = await forget({ email: person.email });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      by: 'email',
      erased: true,
      profiles: 1,
      removed: [{ runId: a.runId, profileIds: [profile.profileId] }],
      tombstones: expect.any(Number),
    });
    // One per email, phone and member record of the person at least.
    expect(response.json.tombstones).toBeGreaterThanOrEqual(profile.keys.emails.length + profile.keys.phones.length + profile.members.length);
    for (const value of [person.email, person.last, ...profile.phones.map((phone) => phone.value)]) expect(response.text.toLowerCase()).not.toContain(value.toLowerCase());

    const gone = await getProfile(profile.profileId);
    expect(gone.status).toBe(404);
    expect(gone.json.error.message).toBe(`profile ${profile.profileId} is not in the active run`);
    expect(await searchEmail(person.email)).toBe(0);
    expect((await a.call('GET', `/profiles?email=${encodeURIComponent(person.email)}`, { role: 'marketing' })).json.count).toBe(0);
  });

  it('a later screening of that email (any spelling) says "erased on request", without a profile id', async () => {
    const { person } = people[0];
    const result = await screenRow({ fullName: `${person.preferredFirst} ${person.last}`, email: person.email.toUpperCase() });
    expect(result).toEqual(expect.objectContaining({ suppress: true, reasons: [ERASED_REASON], profileId: null, matchProbability: null }));
    expect(ERASED_REASON).toBe('erased on request');
    // Its phone was tombstoned too.
    const byPhone = await screenRow({ lastName: person.last, phone: people[0].profile.phones[0].value });
    expect(byPhone.reasons).toEqual([ERASED_REASON]);
    // Someone else is screened as before.
    const other = await screenRow({ fullName: `${people[1].person.preferredFirst} ${people[1].person.last}`, email: people[1].person.email });
    expect(other.profileId).toBe(people[1].profile.profileId);
  });

  it('by phone, in any format, and by profile id', async () => {
    const [, second, third] = people;
    const phone = second.profile.phones[0].value.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, '$1.$2.$3');
    const byPhone = await forget({ phone, phoneRegion: 'US' });
    expect(byPhone.status).toBe(200);
    expect(byPhone.json).toEqual(expect.objectContaining({ by: 'phone', erased: true, removed: [{ runId: a.runId, profileIds: [second.profile.profileId] }] }));
    expect((await getProfile(second.profile.profileId)).status).toBe(404);
    expect((await screenRow({ lastName: second.person.last, email: second.person.email })).reasons).toEqual([ERASED_REASON]);

    const byId = await forget({ id: third.profile.profileId });
    expect(byId.status).toBe(200);
    expect(byId.json).toEqual(expect.objectContaining({ by: 'id', erased: true, removed: [{ runId: a.runId, profileIds: [third.profile.profileId] }] }));
    expect((await getProfile(third.profile.profileId)).status).toBe(404);
    // Nothing is left to erase under that id.
    const again = await forget({ id: third.profile.profileId });
    expect(again.status).toBe(404);
    expect(again.json.error.message).toBe(`profile ${third.profile.profileId} is in no run: nothing was erased`);
  });

  it('an email with no profile is still tombstoned, so a later screening leaves it out', async () => {
    const email = 'not.yet.a.customer@example.test';
    const response = await forget({ email });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ by: 'email', erased: false, profiles: 0, removed: [], tombstones: 1 });
    expect((await screenRow({ fullName: 'Nobody Known', email })).reasons).toEqual([ERASED_REASON]);
  });

  it('a later run started with POST /runs leaves the erased people out', async () => {
    const started = await a.call('POST', '/runs', { role: 'integration', body: { sources: a.h.sources } });
    expect(started.status).toBe(202);
    const { runId } = started.json.run;
    const run = await eventually(async () => {
      const response = await a.call('GET', `/runs/${runId}`, { role: 'integration' });
      return response.json.run.status === 'running' ? undefined : response.json.run;
    }, 60_000, 200);
    await a.server.idle();
    expect(run).toEqual(expect.objectContaining({ status: 'succeeded', active: true }));
    for (const { person, profile } of people.slice(0, 3)) {
      expect(await searchEmail(person.email)).toBe(0);
      expect((await getProfile(profile.profileId)).status).toBe(404);
    }
    // Everyone else is still there, under the same profile id.
    expect(await searchEmail(people[3].person.email)).toBe(1);
    expect((await getProfile(people[3].profile.profileId)).json.profile.runId).toBe(runId);
  });

  it('bad requests are 400s naming the field; only marketing may erase', async () => {
    const cases: [unknown, string, string][] = [
      [{}, 'email', 'give exactly one of email, phone or id'],
      [{ email: 'a@example.test', id: 'P0000000000000000' }, 'id', 'give exactly one of email, phone or id (got email and id)'],
      [{ id: 'P123' }, 'id', 'id: must be a profile id ("P" and 16 hex digits)'],
      [{ email: 'zqxmarker-no-at-sign' }, 'email', 'email: invalid email: missing @'],
      [{ phone: '12' }, 'phone', expect.stringMatching(/^phone: /) as unknown as string],
      [{ email: 'a@example.test', phoneRegion: 'US' }, 'phoneRegion', 'phoneRegion: only applies to a phone'],
      [{ email: 'a@example.test', reason: 'asked' }, 'reason', 'reason: is not a known field'],
    ];
    for (const [body, field, message] of cases) {
      const response = await forget(body);
      expect({ body, status: response.status, error: response.json.error }).toEqual({
        body,
        status: 400,
        error: { status: 400, code: 'invalid_request', field, message },
      });
      expect(response.text).not.toContain('zqxmarker');
    }
    for (const role of ['integration', 'auditor']) {
      const refused = await forget({ email: people[3].person.email }, role);
      expect(refused.status).toBe(403);
      expect(refused.json.error.message).toBe(`role ${role} may not call POST /profiles/forget (allowed: marketing)`);
    }
    expect((await getProfile(people[3].profile.profileId)).status).toBe(200);
  });
});
