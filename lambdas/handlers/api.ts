import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createApi } from '../api/app';
import { StepFunctionsLauncher, readApiEnvironment } from '../api/aws-launcher';
import type { ApiRequest } from '../api/http';
import type { Router } from '../api/router';
import { CrmMergeError } from '../core/errors';
import { handlerDeps } from './deps';

let api: Router | undefined;

/** The router with its dependencies, built once per cold start from the validated environment. */
async function router(): Promise<Router> {
  const deps = await handlerDeps();
  api ??= createApi(
    { deps, launcher: StepFunctionsLauncher.fromEnvironment(readApiEnvironment()) },
    {
      // IAM allowed this call (execute-api:Invoke on exactly this method and resource): a role header proves nothing.
      roleHeader: 'ignore',
      onUnexpectedError: (error, route, requestId) =>
        console.error(
          JSON.stringify({
            level: 'ERROR',
            route: route?.id ?? null,
            requestId,
            // crm-merge's own messages never hold customer values; a foreign error's message might, so only its name.
            error: error instanceof CrmMergeError ? `${error.name}: ${error.message}` : error instanceof Error ? error.name : 'unknown',
          }),
        ),
    },
  );
  return api;
}

/**
 * The path of the request, rebuilt from API Gateway's resource template and path parameters, so a custom domain's
 * base path or the stage name never reaches the router.
 */
function requestPath(event: APIGatewayProxyEvent): string {
  if (!event.resource || event.resource.includes('{proxy+}')) return event.path;
  return event.resource.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(event.pathParameters?.[name] ?? ''));
}

export function toApiRequest(event: APIGatewayProxyEvent): ApiRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined) headers[name.toLowerCase()] = value;
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) if (value !== undefined) query[name] = value;
  const body = event.body === null || event.body === undefined ? null : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  return { method: event.httpMethod, path: requestPath(event), query, headers, body };
}

/**
 * The one api Lambda: API Gateway proxy event -> route function -> proxy result. Logs one line per request with the
 * route id, status and duration: never the path (ids), the query string or the body (customer data).
 */
export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const started = Date.now();
  const requestId = event.requestContext?.requestId;
  const routeRequest = await router();
  const { response, route } = await routeRequest(toApiRequest(event), requestId);
  console.log(JSON.stringify({ level: 'INFO', route: route?.id ?? null, status: response.status, ms: Date.now() - started, requestId }));
  return { statusCode: response.status, headers: response.headers, body: response.body };
}
