import { startApiServer } from '../../cli/commands/serve';
import { API_ROLES, ROLE_HEADER, ROUTES, type RouteSpec } from '../../lambdas/api/routes';
import { startApiHarness, type ApiHarness } from './support';

/**
 * Who may call what, over HTTP: every route refuses every role not in its spec with a 403 (and accepts the roles in
 * it), checked before anything else; and the router's answers common to all routes (404, 405, 400 for unknown query
 * parameters, 413, the error format).
 */

/** A request path for a route: `{name}` parameters filled with a harmless value. */
const samplePath = (spec: RouteSpec): string => spec.path.replace(/\{[^}]+\}/g, 'x');

describe('API: roles and common errors', () => {
  let a: ApiHarness;
  /** A request for a route: an empty JSON object as the body of body routes (never valid, so nothing starts). */
  const request = (spec: RouteSpec, role?: string, path = samplePath(spec)) => a.call(spec.method, path, { role, ...(spec.body ? { body: {} } : {}) });

  beforeAll(async () => {
    a = await startApiHarness();
  });
  afterAll(async () => a?.dispose());

  it('every route refuses every role not in its spec with a 403, and lets its own roles through', async () => {
    let refused = 0;
    for (const spec of ROUTES) {
      for (const role of API_ROLES) {
        const response = await request(spec, role);
        if (spec.roles.includes(role)) {
          // Through the role check: answered by the route (the sample requests are harmless: 200, or 400/404).
          const outcome = [200, 400, 404].includes(response.status) ? 'let through' : `${response.status} ${response.text}`;
          expect({ route: spec.id, role, outcome }).toEqual({ route: spec.id, role, outcome: 'let through' });
        } else {
          expect({ route: spec.id, role, status: response.status, error: response.json.error }).toEqual({
            route: spec.id,
            role,
            status: 403,
            error: { status: 403, code: 'forbidden', message: `role ${role} may not call ${spec.method} ${spec.path} (allowed: ${spec.roles.join(', ')})` },
          });
          refused++;
        }
      }
    }
    expect(refused).toBe(ROUTES.length * API_ROLES.length - ROUTES.reduce((n, spec) => n + spec.roles.length, 0));
    expect(refused).toBeGreaterThan(0);
  });

  it('each role has exactly its routes', () => {
    const byRole = Object.fromEntries(API_ROLES.map((role) => [role, ROUTES.filter((spec) => spec.roles.includes(role)).map((spec) => `${spec.method} ${spec.path}`)]));
    expect(byRole).toEqual({
      integration: ['POST /runs', 'GET /runs', 'GET /runs/{id}'],
      marketing: ['GET /profiles/{id}', 'GET /profiles', 'POST /profiles/search', 'POST /profiles/forget', 'POST /screen', 'GET /screen/{jobId}'],
      auditor: ['GET /runs', 'GET /runs/{id}', 'GET /runs/{id}/report'],
    });
  });

  it('marketing cannot start a run, even with a valid request; nothing is started', async () => {
    const before = (await a.call('GET', '/runs', { role: 'integration' })).json.runs.length;
    const response = await a.call('POST', '/runs', { role: 'marketing', body: { sources: a.h.sources, clientToken: 'marketing-try' } });
    expect(response.status).toBe(403);
    expect(response.json.error.message).toBe('role marketing may not call POST /runs (allowed: integration)');
    await a.server.idle();
    expect((await a.call('GET', '/runs', { role: 'integration' })).json.runs.length).toBe(before);
  });

  it('an auditor cannot read profiles, by id or by search', async () => {
    const email = a.h.sample.persons.find((person) => person.email !== '')!.email;
    const found = await a.call('POST', '/profiles/search', { role: 'marketing', body: { email } });
    expect(found.json.count).toBeGreaterThan(0);
    const profileId = found.json.results[0].profile.profileId as string;
    const attempts = [
      await a.call('GET', `/profiles/${profileId}`, { role: 'auditor' }),
      await a.call('POST', '/profiles/search', { role: 'auditor', body: { email } }),
      await a.call('GET', `/profiles?email=${encodeURIComponent(email)}`, { role: 'auditor' }),
    ];
    for (const response of attempts) {
      expect(response.status).toBe(403);
      expect(response.text).not.toContain(profileId);
      expect(response.text.toLowerCase()).not.toContain(email.toLowerCase());
    }
  });

  it('integration and marketing cannot fetch report links', async () => {
    for (const role of ['integration', 'marketing']) expect((await a.call('GET', `/runs/${a.runId}/report`, { role })).status).toBe(403);
  });

  it('an unknown role is a 403; with --require-role a missing role header is a 403 too', async () => {
    const unknown = await a.call('GET', '/runs', { role: 'admin' });
    expect(unknown.status).toBe(403);
    expect(unknown.json.error.message).toBe(`${ROLE_HEADER}: unknown role "admin"`);
    // The default local server checks the header when given: without it, any route is callable (for curl).
    expect((await a.call('GET', '/runs')).status).toBe(200);

    const strict = await startApiServer({ deps: a.h.deps, port: 0, roleHeader: 'required' });
    try {
      const bare = await fetch(`${strict.url}/runs`);
      expect(bare.status).toBe(403);
      expect(((await bare.json()) as { error: { message: string } }).error.message).toBe(`${ROLE_HEADER} header required: one of integration, auditor may call GET /runs`);
      expect((await fetch(`${strict.url}/runs`, { headers: { [ROLE_HEADER]: 'auditor' } })).status).toBe(200);
      expect((await fetch(`${strict.url}/runs`, { headers: { [ROLE_HEADER]: 'marketing' } })).status).toBe(403);
    } finally {
      await strict.close();
    }
  });

  it('every route answers an unknown query parameter with a 400 naming it', async () => {
    for (const spec of ROUTES) {
      const response = await request(spec, spec.roles[0], `${samplePath(spec)}?bogus=1`);
      expect({ route: spec.id, status: response.status, field: response.json.error?.field }).toEqual({ route: spec.id, status: 400, field: 'bogus' });
      expect(response.json.error.message).toMatch(new RegExp(`^bogus: unknown query parameter for ${spec.method} `));
    }
  });

  it('every body route answers an invalid body with a 400 naming the field', async () => {
    const validBodies: Record<string, unknown> = {
      createRun: { sources: a.h.sources },
      searchProfiles: { email: 'a@example.test' },
      forgetPerson: { email: 'a@example.test' },
      screenList: { rows: [{ fullName: 'A B' }] },
    };
    const bodyRoutes = ROUTES.filter((candidate) => candidate.body);
    expect(bodyRoutes.map((spec) => spec.id).sort()).toEqual(Object.keys(validBodies).sort());
    for (const spec of bodyRoutes) {
      const response = await a.call(spec.method, spec.path, { role: spec.roles[0], body: { ...(validBodies[spec.id] as object), notAField: true } });
      expect({ route: spec.id, status: response.status, error: response.json.error }).toEqual({
        route: spec.id,
        status: 400,
        error: { status: 400, code: 'invalid_request', field: 'notAField', message: 'notAField: is not a known field' },
      });
    }
    // A missing required field is named as such.
    const missing = await a.call('POST', '/runs', { role: 'integration', body: { clientToken: 'abc' } });
    expect(missing.json.error).toEqual({ status: 400, code: 'invalid_request', field: 'sources', message: 'sources: is required (array)' });
  });

  it('an unknown route is a 404, a known path with another method a 405 with Allow, all as JSON errors', async () => {
    const unknown = await a.call('GET', '/nope', { role: 'auditor' });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(unknown.json).toEqual({ error: { status: 404, code: 'not_found', message: 'no route for /nope' } });
    expect((await a.call('GET', '/runs/x/report/extra')).status).toBe(404);

    const wrongMethod = await a.call('DELETE', '/runs', { role: 'integration' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST, GET');
    expect(wrongMethod.json.error).toEqual({ status: 405, code: 'method_not_allowed', message: 'DELETE is not allowed on /runs (allowed: POST, GET)' });
    // A literal segment wins over a parameter, as in API Gateway: GET /profiles/search is not a profile id.
    const search = await a.call('GET', '/profiles/search', { role: 'marketing' });
    expect(search.status).toBe(405);
    expect(search.headers.get('allow')).toBe('POST');
  });

  it('a body over 1 MiB is a 413', async () => {
    const response = await a.call('POST', '/screen', { role: 'marketing', body: { csv: 'x'.repeat(1024 * 1024 + 1) } });
    expect(response.status).toBe(413);
    expect(response.json.error.code).toBe('payload_too_large');
  });
});
