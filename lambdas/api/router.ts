import { randomUUID } from 'node:crypto';
import { ConfigurationError, InputFileError, MappingError, NotFoundError } from '../core/errors';
import { badRequest, errorResponse, forbidden, HttpError, jsonResponse, notFound, payloadTooLarge, type ApiRequest, type ApiResponse, type RouteResult } from './http';
import { isApiRole, ROLE_HEADER, ROUTES, type ApiRole, type RouteId, type RouteSpec } from './routes';

/**
 * A tiny router over the route table: finds the route (static segments win over parameters, as in API Gateway),
 * answers 404 / 405, checks the caller's role when asked to, enforces JSON bodies (415, 413, 400 for bad JSON) and
 * known query parameters, calls the route function and turns what it throws into a JSON error response.
 */

export interface RouteContext {
  route: RouteSpec;
  /** Path parameters, percent-decoded. */
  params: Record<string, string>;
  query: Record<string, string>;
  /** The parsed JSON body (routes with `body: true`), else undefined. */
  body: unknown;
  headers: Record<string, string>;
  /** The role the caller claimed with the role header (local server), null when not given or not checked. */
  role: ApiRole | null;
}

export type RouteHandler = (context: RouteContext) => Promise<RouteResult>;
export type RouteHandlers = Readonly<Record<RouteId, RouteHandler>>;

/**
 * How the router treats the role header. `ignore` in AWS: IAM already allowed the call, and a header is not proof of
 * anything. `optional` (local default): checked when present. `required`: a request without it is a 403.
 */
export type RoleHeaderMode = 'ignore' | 'optional' | 'required';

export interface RouterOptions {
  roleHeader: RoleHeaderMode;
  /** Largest accepted body, bytes. Default {@link DEFAULT_MAX_BODY_BYTES}. */
  maxBodyBytes?: number;
  /** The route table. Default {@link ROUTES}. */
  routes?: readonly RouteSpec[];
  /** Sees every unexpected error (answered 500), for logging. Never given customer data by the router itself. */
  onUnexpectedError?: (error: unknown, route: RouteSpec | null, requestId: string) => void;
}

/** 1 MiB: inline lists are capped well below it (lambdas/api/screen.ts); bigger lists go through S3. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface RoutedResponse {
  response: ApiResponse;
  /** The matched route (for logs: the route id, never the path, which can hold ids). */
  route: RouteSpec | null;
}

export type Router = (request: ApiRequest, requestId?: string) => Promise<RoutedResponse>;

interface CompiledPath {
  path: string;
  segments: { literal: string | null; param: string | null }[];
  routes: RouteSpec[];
}

function compile(routes: readonly RouteSpec[]): CompiledPath[] {
  const byPath = new Map<string, CompiledPath>();
  for (const spec of routes) {
    let compiled = byPath.get(spec.path);
    if (!compiled) {
      compiled = {
        path: spec.path,
        segments: splitPath(spec.path).map((segment) => {
          const param = /^\{([A-Za-z][A-Za-z0-9]*)\}$/.exec(segment);
          return param ? { literal: null, param: param[1] } : { literal: segment, param: null };
        }),
        routes: [],
      };
      byPath.set(spec.path, compiled);
    }
    compiled.routes.push(spec);
  }
  return [...byPath.values()];
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest('path: malformed percent-encoding', 'path');
  }
}

/** The path whose segments match, preferring a literal over a parameter at the first place they differ. */
function matchPath(paths: readonly CompiledPath[], requestPath: string): { path: CompiledPath; params: Record<string, string> } | null {
  const parts = splitPath(requestPath);
  let best: { path: CompiledPath; params: Record<string, string>; rank: string } | null = null;
  for (const path of paths) {
    if (path.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let rank = '';
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const segment = path.segments[i];
      if (segment.literal !== null) {
        ok = segment.literal === parts[i];
        rank += '0';
      } else {
        params[segment.param as string] = decodeSegment(parts[i]);
        rank += '1';
      }
    }
    if (ok && (best === null || rank < best.rank)) best = { path, params, rank };
  }
  return best && { path: best.path, params: best.params };
}

function mediaType(headers: Record<string, string>): string {
  return (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/** Errors of the pipeline code that mean "your input is wrong" or "no such thing", with caller-safe messages. */
function asHttpError(error: unknown): HttpError | null {
  if (error instanceof HttpError) return error;
  if (error instanceof MappingError || error instanceof InputFileError || error instanceof ConfigurationError)
    return badRequest(error.message);
  if (error instanceof NotFoundError) return notFound(error.message);
  return null;
}

export function createRouter(handlers: RouteHandlers, options: RouterOptions): Router {
  const routes = options.routes ?? ROUTES;
  const paths = compile(routes);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  const checkRole = (spec: RouteSpec, headers: Record<string, string>): ApiRole | null => {
    if (options.roleHeader === 'ignore') return null;
    const claimed = headers[ROLE_HEADER]?.trim();
    if (claimed === undefined || claimed === '') {
      if (options.roleHeader === 'required') throw forbidden(`${ROLE_HEADER} header required: one of ${spec.roles.join(', ')} may call ${spec.method} ${spec.path}`);
      return null;
    }
    if (!isApiRole(claimed)) throw forbidden(`${ROLE_HEADER}: unknown role "${claimed.slice(0, 40)}"`);
    if (!spec.roles.includes(claimed))
      throw forbidden(`role ${claimed} may not call ${spec.method} ${spec.path} (allowed: ${spec.roles.join(', ')})`);
    return claimed;
  };

  const parseBody = (spec: RouteSpec, request: ApiRequest): unknown => {
    if (!spec.body) return undefined;
    const type = mediaType(request.headers);
    if (type !== 'application/json')
      throw new HttpError(415, 'unsupported_media_type', `Content-Type must be application/json, got ${type === '' ? 'none' : `"${type.slice(0, 60)}"`}`);
    const text = request.body ?? '';
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > maxBodyBytes) throw payloadTooLarge(`body: ${bytes} bytes is more than the ${maxBodyBytes} this API accepts`, 'body');
    if (text.trim() === '') throw badRequest('body: a JSON object is required', 'body');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // JSON.parse's message quotes the text it failed on: not repeated to logs or callers.
      throw badRequest('body: not valid JSON', 'body');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badRequest('body: must be a JSON object', 'body');
    return parsed;
  };

  const checkQuery = (spec: RouteSpec, query: Record<string, string>): void => {
    for (const name of Object.keys(query)) {
      if (!spec.query.includes(name))
        throw badRequest(
          `${name.slice(0, 40)}: unknown query parameter for ${spec.method} ${spec.path}${spec.query.length ? ` (known: ${spec.query.join(', ')})` : ''}`,
          name.slice(0, 40),
        );
    }
  };

  return async (request, requestId = randomUUID()) => {
    let spec: RouteSpec | null = null;
    try {
      const matched = matchPath(paths, request.path);
      if (!matched) throw notFound(`no route for ${request.path.length > 100 ? `${request.path.slice(0, 100)}…` : request.path}`);
      const method = request.method.toUpperCase();
      spec = matched.path.routes.find((candidate) => candidate.method === method) ?? null;
      if (!spec) {
        const allow = matched.path.routes.map((candidate) => candidate.method).join(', ');
        throw new HttpError(405, 'method_not_allowed', `${method} is not allowed on ${matched.path.path} (allowed: ${allow})`, undefined, { allow });
      }
      const role = checkRole(spec, request.headers);
      checkQuery(spec, request.query);
      const body = parseBody(spec, request);
      const result = await handlers[spec.id]({ route: spec, params: matched.params, query: request.query, body, headers: request.headers, role });
      return { response: jsonResponse(result.status, result.body, result.headers), route: spec };
    } catch (error) {
      const known = asHttpError(error);
      if (known) return { response: errorResponse(known), route: spec };
      options.onUnexpectedError?.(error, spec, requestId);
      const internal = new HttpError(500, 'internal_error', `internal error; quote request id ${requestId} when reporting it`);
      return { response: errorResponse(internal, requestId), route: spec };
    }
  };
}
