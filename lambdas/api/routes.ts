/**
 * The API's routes and who may call them: ONE table, used by the CDK stack (API Gateway resources and methods, and
 * each role's execute-api:Invoke statements) and by the router (dispatch, and the local server's optional role
 * check). Pure data: no AWS, no handlers, so infra can import it without pulling in the route code.
 */

/**
 * The callers. `integration` starts and follows runs; `marketing` reads profiles, screens campaign lists and erases
 * a person on request (right to erasure); `auditor` reads run status and the report files.
 */
export const API_ROLES = ['integration', 'marketing', 'auditor'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export type HttpMethod = 'GET' | 'POST';

export type RouteId =
  | 'createRun'
  | 'listRuns'
  | 'getRun'
  | 'getRunReport'
  | 'getProfile'
  | 'findProfiles'
  | 'searchProfiles'
  | 'forgetPerson'
  | 'screenList'
  | 'getScreenJob';

export interface RouteSpec {
  readonly id: RouteId;
  readonly method: HttpMethod;
  /** API Gateway resource path; `{name}` is a path parameter (one segment). */
  readonly path: string;
  /** The roles allowed to call it: IAM in AWS, the `x-crm-merge-role` header on the local server. */
  readonly roles: readonly ApiRole[];
  /** Whether the route takes a JSON body (Content-Type application/json, validated by a model in API Gateway). */
  readonly body: boolean;
  /** Query parameters the route understands; any other is a 400. */
  readonly query: readonly string[];
  readonly summary: string;
}

const route = (spec: Omit<RouteSpec, 'body' | 'query'> & Partial<Pick<RouteSpec, 'body' | 'query'>>): RouteSpec => ({
  body: false,
  query: [],
  ...spec,
});

export const ROUTES: readonly RouteSpec[] = [
  route({
    id: 'createRun',
    method: 'POST',
    path: '/runs',
    roles: ['integration'],
    body: true,
    summary: 'start a merge of sources in S3 (idempotent on clientToken); 202 with the run',
  }),
  route({ id: 'listRuns', method: 'GET', path: '/runs', roles: ['integration', 'auditor'], query: ['limit'], summary: 'recent runs' }),
  route({
    id: 'getRun',
    method: 'GET',
    path: '/runs/{id}',
    roles: ['integration', 'auditor'],
    summary: 'one run: status, stage, counts, timings ("latest" = the active run)',
  }),
  route({
    id: 'getRunReport',
    method: 'GET',
    path: '/runs/{id}/report',
    roles: ['auditor'],
    query: ['expiresIn'],
    summary: 'presigned URLs (at most 900 s) of the run\'s report files',
  }),
  route({ id: 'getProfile', method: 'GET', path: '/profiles/{id}', roles: ['marketing'], summary: 'one unified profile of the active run' }),
  route({
    id: 'findProfiles',
    method: 'GET',
    path: '/profiles',
    roles: ['marketing'],
    query: ['email', 'phone', 'name', 'postcode', 'phoneRegion', 'limit'],
    summary: 'profile search by query string (convenience form of POST /profiles/search)',
  }),
  route({
    id: 'searchProfiles',
    method: 'POST',
    path: '/profiles/search',
    roles: ['marketing'],
    body: true,
    summary: 'profile search by email, phone, or fuzzy name (+ postcode), query in the body',
  }),
  route({
    id: 'forgetPerson',
    method: 'POST',
    path: '/profiles/forget',
    roles: ['marketing'],
    body: true,
    summary: 'right to erasure: remove a person\'s profile (by email, phone or profile id) and keep hashed tombstones',
  }),
  route({
    id: 'screenList',
    method: 'POST',
    path: '/screen',
    roles: ['marketing'],
    body: true,
    summary: 'screen a campaign list: inline rows/CSV answered at once, a list in S3 as a job (202)',
  }),
  route({
    id: 'getScreenJob',
    method: 'GET',
    path: '/screen/{jobId}',
    roles: ['marketing'],
    query: ['expiresIn'],
    summary: 'a screening job: status and a presigned result URL (at most 900 s)',
  }),
];

/** The header the local server reads a caller's role from (never trusted in AWS, where IAM decides). */
export const ROLE_HEADER = 'x-crm-merge-role';

export function routeById(id: RouteId): RouteSpec {
  const found = ROUTES.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no route ${id}`);
  return found;
}

/** The routes a role may call. */
export function routesOf(role: ApiRole): RouteSpec[] {
  return ROUTES.filter((spec) => spec.roles.includes(role));
}

export function isApiRole(value: string): value is ApiRole {
  return (API_ROLES as readonly string[]).includes(value);
}

/**
 * The resource part of an execute-api ARN for a route: `GET/runs/*` for `GET /runs/{id}`. IAM matches `*` across
 * `/`, so `GET/runs/*` also matches `GET/runs/x/report`: {@link overlappingRoutes} finds such routes so the stack can
 * deny them explicitly.
 */
export function executeApiResource(spec: Pick<RouteSpec, 'method' | 'path'>): string {
  return `${spec.method}${spec.path.replace(/\{[^}]+\}/g, '*')}`;
}

/** IAM's ARN matching (`*` any run of characters, `?` one character), case-sensitive as for execute-api paths. */
export function iamArnMatches(pattern: string, value: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return regex.test(value);
}

/**
 * Routes a role may NOT call whose requests its allowed ARNs would nonetheless match (e.g. an integration caller's
 * `GET/runs/*` also matches the auditors' `GET/runs/<id>/report`). A sample request path stands in for each route.
 */
export function overlappingRoutes(role: ApiRole): RouteSpec[] {
  const allowed = routesOf(role).map(executeApiResource);
  return ROUTES.filter((spec) => !spec.roles.includes(role)).filter((spec) => {
    const sample = `${spec.method}${spec.path.replace(/\{[^}]+\}/g, 'x')}`;
    return allowed.some((pattern) => iamArnMatches(pattern, sample));
  });
}
