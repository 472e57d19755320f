import { startApiServer } from '../../cli/commands/serve';
import { routeById } from '../../lambdas/api/routes';
import type { UnifiedProfile } from '../../lambdas/core/model/profile';
import type { PersonTruth } from '../../scripts/sample';
import { startApiHarness, type ApiHarness } from './support';

/**
 * Marketing's profile routes over HTTP: GET /profiles/{id}, POST /profiles/search (email, phone, fuzzy name with
 * postcode; the query in the body) and its GET /profiles?… convenience form, with their 4xx answers.
 */

/** Two neighbouring letters in the middle of a word swapped: "Robinson" -> "Robnison". */
function swapTypo(word: string): string {
  const i = Math.floor(word.length / 2) - 1;
  return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
}

/** (305) 271-9369 from +13052719369. */
function nationalFormat(e164: string): string {
  const digits = e164.replace(/^\+1/, '');
  return `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;
}

describe('API: profiles (marketing)', () => {
  let a: ApiHarness;
  /** A sample person found by email as exactly one profile holding all of their records. */
  let person: PersonTruth;
  let profile: UnifiedProfile;

  const search = (body: unknown) => a.call('POST', '/profiles/search', { role: 'marketing', body });
  const ids = (response: { json: { results: { profile: UnifiedProfile }[] } }): string[] => response.json.results.map((hit) => hit.profile.profileId);

  beforeAll(async () => {
    a = await startApiHarness();
    const candidates = a.h.sample.persons.filter(
      (p) => p.email !== '' && p.hardCase === 'none' && p.last.length >= 6 && p.legalFirst === p.preferredFirst && p.recordsA.length + p.recordsB.length >= 2,
    );
    for (const candidate of candidates) {
      const response = await search({ email: candidate.email });
      if (response.json.count !== 1) continue;
      const found = response.json.results[0].profile as UnifiedProfile;
      const records = new Set(found.members.map((member) => member.recordId));
      if (found.phones.length === 0 || ![...candidate.recordsA, ...candidate.recordsB].every((id) => records.has(id))) continue;
      person = candidate;
      profile = found;
      break;
    }
    if (!person) throw new Error('no suitable person in the sample');
  });
  afterAll(async () => a?.dispose());

  it('GET /profiles/{id} answers the unified profile', async () => {
    const response = await a.call('GET', `/profiles/${profile.profileId}`, { role: 'marketing' });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.json.profile).toEqual(profile);
    expect(response.json.profile).toEqual(
      expect.objectContaining({
        profileId: profile.profileId,
        runId: a.runId,
        members: expect.arrayContaining([expect.objectContaining({ recordId: [...person.recordsA, ...person.recordsB][0] })]),
        relationships: expect.any(Array),
        consent: expect.objectContaining({ optedOut: person.optedOutAnywhere }),
      }),
    );
    expect(response.json.profile.name.last.value.toLowerCase()).toBe(person.last.toLowerCase());
  });

  it('GET /profiles/{id}: an unknown id is a 404, a malformed one a 400', async () => {
    const unknown = await a.call('GET', '/profiles/P0000000000000000', { role: 'marketing' });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toEqual({ status: 404, code: 'not_found', message: 'profile P0000000000000000 is not in the active run' });
    const malformed = await a.call('GET', `/profiles/${'P'.repeat(65)}`, { role: 'marketing' });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error).toEqual(expect.objectContaining({ field: 'id', message: 'id: not a profile id' }));
  });

  it('POST /profiles/search by email finds the person, whatever the case', async () => {
    const response = await search({ email: person.email.toUpperCase() });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ by: 'email', count: 1, results: [{ score: 1, profile }] });
  });

  it('POST /profiles/search by phone finds the person from a differently formatted number', async () => {
    const response = await search({ phone: nationalFormat(profile.phones[0].value) });
    expect(response.status).toBe(200);
    expect(response.json.by).toBe('phone');
    expect(ids(response)).toContain(profile.profileId);
    const withRegion = await search({ phone: profile.phones[0].value, phoneRegion: 'US' });
    expect(ids(withRegion)).toContain(profile.profileId);
  });

  it('POST /profiles/search by name is fuzzy: a typo in the surname or the first name still finds the person', async () => {
    const surnameTypo = `${person.preferredFirst} ${swapTypo(person.last)}`;
    expect(surnameTypo.toLowerCase()).not.toBe(`${person.preferredFirst} ${person.last}`.toLowerCase());
    const bySurnameTypo = await search({ name: surnameTypo });
    expect(bySurnameTypo.status).toBe(200);
    expect(bySurnameTypo.json.by).toBe('name');
    expect(ids(bySurnameTypo)).toContain(profile.profileId);
    for (const hit of bySurnameTypo.json.results) expect(hit.score).toBeGreaterThanOrEqual(0.4);

    const byFirstTypo = await search({ name: `${swapTypo(person.preferredFirst)} ${person.last}` });
    expect(ids(byFirstTypo)).toContain(profile.profileId);

    // With the postcode the person is the best hit, and every hit is at that postcode.
    const postcode = profile.address?.value.postcode as string;
    const narrowed = await search({ name: surnameTypo, postcode });
    expect(ids(narrowed)[0]).toBe(profile.profileId);
    for (const hit of narrowed.json.results) expect(hit.profile.address.value.postcode).toBe(postcode);
    const elsewhere = await search({ name: surnameTypo, postcode: '00000' });
    expect(elsewhere.json).toEqual({ by: 'name', count: 0, results: [] });

    // One word is a surname; limit caps the hits.
    const bySurname = await search({ name: person.last });
    expect(bySurname.status).toBe(200);
    expect(ids(bySurname)).toContain(profile.profileId);
    const limited = await search({ name: person.last, limit: 1 });
    expect(limited.json.results).toHaveLength(1);
  });

  it('GET /profiles?… is the same search from the query string', async () => {
    const byEmail = await a.call('GET', `/profiles?email=${encodeURIComponent(person.email)}`, { role: 'marketing' });
    expect(byEmail.status).toBe(200);
    expect(byEmail.json).toEqual((await search({ email: person.email })).json);
    const byName = await a.call('GET', `/profiles?name=${encodeURIComponent(person.last)}&postcode=${profile.address?.value.postcode}&limit=5`, {
      role: 'marketing',
    });
    expect(byName.status).toBe(200);
    expect(ids(byName)).toContain(profile.profileId);
  });

  it('search requests that make no sense are 400s naming the field, never quoting the value', async () => {
    const cases: [unknown, string, string][] = [
      [{}, 'email', 'give exactly one of email, phone or name'],
      [{ email: person.email, phone: '2125550100' }, 'phone', 'give exactly one of email, phone or name (got email and phone)'],
      [{ email: person.email, postcode: '10001' }, 'postcode', 'postcode: only narrows a name search'],
      [{ email: person.email, phoneRegion: 'US' }, 'phoneRegion', 'phoneRegion: only applies to a phone search'],
      [{ phone: '2125550100', phoneRegion: 'usa' }, 'phoneRegion', 'phoneRegion: must be a two-letter ISO country code, e.g. US'],
      [{ name: person.last, limit: 0 }, 'limit', 'limit: Too small: expected number to be >=1'],
      [{ email: 'zqxmarker-no-at-sign' }, 'email', 'email: invalid email: missing @'],
      [{ email: person.email, bogus: 1 }, 'bogus', 'bogus: is not a known field'],
      [{ email: 42 }, 'email', 'email: Invalid input: expected string, received number'],
    ];
    for (const [body, field, message] of cases) {
      const response = await search(body);
      expect({ body, status: response.status, error: response.json.error }).toEqual({
        body,
        status: 400,
        error: { status: 400, code: 'invalid_request', field, message },
      });
      expect(response.text).not.toContain('zqxmarker');
    }
    const unknownQuery = await a.call('GET', `/profiles?email=${encodeURIComponent(person.email)}&sort=name`, { role: 'marketing' });
    expect(unknownQuery.status).toBe(400);
    expect(unknownQuery.json.error).toEqual(
      expect.objectContaining({ field: 'sort', message: 'sort: unknown query parameter for GET /profiles (known: email, phone, name, postcode, phoneRegion, limit)' }),
    );
    const badLimit = await a.call('GET', `/profiles?name=${person.last}&limit=lots`, { role: 'marketing' });
    expect(badLimit.status).toBe(400);
    expect(badLimit.json.error.field).toBe('limit');
  });

  it('a body that is not a JSON object is refused: 415 for another media type, 400 for bad JSON', async () => {
    const plain = await a.call('POST', '/profiles/search', { role: 'marketing', body: 'email=x', headers: { 'content-type': 'text/plain' } });
    expect(plain.status).toBe(415);
    expect(plain.json.error).toEqual(
      expect.objectContaining({ code: 'unsupported_media_type', message: 'Content-Type must be application/json, got "text/plain"' }),
    );
    const broken = await a.call('POST', '/profiles/search', { role: 'marketing', body: '{"email": ' });
    expect(broken.status).toBe(400);
    expect(broken.json.error.message).toBe('body: not valid JSON');
    const array = await a.call('POST', '/profiles/search', { role: 'marketing', body: [{ email: person.email }] });
    expect(array.status).toBe(400);
    expect(array.json.error.message).toBe('body: must be a JSON object');
    const empty = await a.call('POST', '/profiles/search', { role: 'marketing', body: '', headers: { 'content-type': 'application/json' } });
    expect(empty.status).toBe(400);
    expect(empty.json.error.message).toBe('body: a JSON object is required');
  });

  it('POST /profiles/search needs no PII in the path or query, takes none there, and none reaches the server log', async () => {
    const spec = routeById('searchProfiles');
    expect(spec).toEqual(expect.objectContaining({ method: 'POST', path: '/profiles/search', query: [], body: true }));
    // The query string is refused outright, so a client cannot put an email there by mistake.
    const inQuery = await a.call('POST', `/profiles/search?email=${encodeURIComponent(person.email)}`, { role: 'marketing', body: { email: person.email } });
    expect(inQuery.status).toBe(400);
    expect(inQuery.json.error.field).toBe('email');
    expect(inQuery.json.error.message).toBe('email: unknown query parameter for POST /profiles/search');

    // The server's request log names the route template, status and time: never the email, name or profile id.
    const lines: string[] = [];
    const logged = await startApiServer({ deps: a.h.deps, port: 0, log: (line) => lines.push(line) });
    try {
      const post = (body: unknown) =>
        fetch(`${logged.url}/profiles/search`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-crm-merge-role': 'marketing' }, body: JSON.stringify(body) });
      expect((await post({ email: person.email })).status).toBe(200);
      expect((await post({ name: `${person.preferredFirst} ${person.last}`, postcode: person.zip })).status).toBe(200);
      expect((await fetch(`${logged.url}/profiles/${profile.profileId}`, { headers: { 'x-crm-merge-role': 'marketing' } })).status).toBe(200);
      expect((await fetch(`${logged.url}/profiles?email=${encodeURIComponent(person.email)}`)).status).toBe(200);
    } finally {
      await logged.close();
    }
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^POST \/profiles\/search 200 \d+ ms$/);
    const text = lines.join('\n').toLowerCase();
    for (const secret of [person.email, person.last, person.zip, profile.profileId]) expect(text).not.toContain(secret.toLowerCase());
  });
});
