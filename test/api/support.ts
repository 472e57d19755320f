import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startApiServer, type ApiServer } from '../../cli/commands/serve';
import type { ApiRole } from '../../lambdas/api/routes';
import { runPipeline } from '../../lambdas/pipeline/run-pipeline';
import { startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';

/** A finished local run (real s3rver + dynalite in a temp dir) served by `crm-merge serve`'s server on a free port. */
export interface ApiHarness {
  h: PipelineHarness;
  server: ApiServer;
  /** The run the harness published before the server started. */
  runId: string;
  call(method: string, path: string, options?: CallOptions): Promise<CallResult>;
  dispose(): Promise<void>;
}

export interface CallOptions {
  /** JSON-encoded unless a string. */
  body?: unknown;
  role?: ApiRole | string;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
  text: string;
}

export async function startApiHarness(people = 150, seed = 7): Promise<ApiHarness> {
  const h = await startPipelineHarness(people, seed);
  try {
    const runId = 'run-api-base';
    await runPipeline(h.deps, { runId, sources: h.sources }, { concurrency: 2 });
    const server = await startApiServer({ deps: h.deps, port: 0 });
    const call = async (method: string, path: string, options: CallOptions = {}): Promise<CallResult> => {
      const headers: Record<string, string> = { ...options.headers };
      if (options.role !== undefined) headers['x-crm-merge-role'] = options.role;
      let body: string | undefined;
      if (options.body !== undefined) {
        body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
      const response = await fetch(`${server.url}${path}`, { method, headers, body });
      const text = await response.text();
      let json: unknown = null;
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
      return { status: response.status, headers: response.headers, json, text };
    };
    return {
      h,
      server,
      runId,
      call,
      async dispose() {
        await server.close();
        await h.dispose();
      },
    };
  } catch (error) {
    await h.dispose();
    throw error;
  }
}

/** Polls until `check` returns a value or `timeoutMs` passes. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** The lifetime, seconds, a presigned S3 URL was signed for (its X-Amz-Expires). */
export function presignedSeconds(url: string): number {
  const value = new URL(url).searchParams.get('X-Amz-Expires');
  if (value === null) throw new Error('not a presigned URL: no X-Amz-Expires');
  return Number(value);
}

/** The campaign list mapping of the sample (examples/sample/campaign.mapping.json), as a JSON document. */
export function campaignMapping(): Record<string, unknown> {
  return JSON.parse(readFileSync(resolve(__dirname, '..', '..', 'examples', 'sample', 'campaign.mapping.json'), 'utf8')) as Record<string, unknown>;
}
