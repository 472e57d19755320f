/**
 * The API's transport-neutral request and response, and the typed error every route throws for a 4xx. The Lambda
 * handler (API Gateway proxy events) and the local server (node:http) both translate to and from these.
 */

export interface ApiRequest {
  method: string;
  /** The path without the query string, e.g. `/runs/run-1` (percent-encoding allowed). */
  path: string;
  /** Query parameters, one value each. */
  query: Record<string, string>;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The raw body text, null when there is none. */
  body: string | null;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What a route returns: a status and a JSON-serialisable body. */
export interface RouteResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type ErrorCode =
  | 'invalid_request'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'internal_error'
  | 'bad_gateway';

/** A deliberate HTTP error: its message is shown to the caller and never holds customer values. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string, field?: string): HttpError => new HttpError(400, 'invalid_request', message, field);
export const forbidden = (message: string): HttpError => new HttpError(403, 'forbidden', message);
export const notFound = (message: string): HttpError => new HttpError(404, 'not_found', message);
export const conflict = (message: string, field?: string): HttpError => new HttpError(409, 'conflict', message, field);
export const payloadTooLarge = (message: string, field?: string): HttpError => new HttpError(413, 'payload_too_large', message, field);

/** The body of every error response. */
export interface ErrorBody {
  error: { status: number; code: ErrorCode; message: string; field?: string; requestId?: string };
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
  return {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      // Responses carry customer data: never cached by a browser or a proxy.
      'cache-control': 'no-store',
      ...headers,
    },
    body: `${JSON.stringify(body)}\n`,
  };
}

export function errorResponse(error: HttpError, requestId?: string): ApiResponse {
  const body: ErrorBody = {
    error: {
      status: error.status,
      code: error.code,
      message: error.message,
      ...(error.field === undefined ? {} : { field: error.field }),
      ...(requestId === undefined ? {} : { requestId }),
    },
  };
  return jsonResponse(error.status, body, error.headers);
}
