import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { createApi } from '../../lambdas/api/app';
import { errorResponse, payloadTooLarge, type ApiRequest, type ApiResponse } from '../../lambdas/api/http';
import { DEFAULT_MAX_BODY_BYTES, type RoleHeaderMode } from '../../lambdas/api/router';
import { ROLE_HEADER } from '../../lambdas/api/routes';
import { runScreenJob } from '../../lambdas/api/screen';
import type { JobLauncher } from '../../lambdas/api/services';
import { CrmMergeError, MappingError } from '../../lambdas/core/errors';
import type { RunInput } from '../../lambdas/pipeline/contracts';
import type { PipelineDeps } from '../../lambdas/pipeline/deps';
import { runPipeline } from '../../lambdas/pipeline/run-pipeline';
import type { RunRecord, RunStore } from '../../lambdas/storage/profile-store';
import { withContext } from '../context';
import { printLine } from '../output';

/**
 * `crm-merge serve`: the API's route functions over node:http on 127.0.0.1, for trying the API with curl. The
 * routes are the ones the api Lambda serves; what differs is only around them: there is no IAM (a caller may claim
 * a role with the `x-crm-merge-role` header, which the router then checks against the same route table IAM uses),
 * and POST /runs and S3 screening jobs run in this process, in the background, instead of in Step Functions.
 */

export interface ApiServerOptions {
  deps: PipelineDeps;
  /** 0 picks a free port. Default 8080. */
  port?: number;
  /** Always loopback unless a test says otherwise. Default 127.0.0.1. */
  host?: string;
  /** Default `optional`: the role header is checked when present. */
  roleHeader?: RoleHeaderMode;
  /** Map items processed at once by background runs. Default 2. */
  concurrency?: number;
  /** One line per request (method, route template, status, ms: never a path, query or body). Default: none. */
  log?: (line: string) => void;
}

export interface ApiServer {
  url: string;
  port: number;
  /** Resolves when no background run or screening job is in progress. */
  idle(): Promise<void>;
  /** Stops accepting requests, waits for background work, closes connections. */
  close(): Promise<void>;
}

/**
 * The run store a background run uses: the API created the run record already (with its client token and start
 * time), so the pipeline's own "create" of that run becomes an update of the fields it sets.
 */
export function adoptingRunStore(inner: RunStore, runId: string): RunStore {
  return {
    get: (id) => inner.get(id),
    update: (id, patch) => inner.update(id, patch),
    findByClientToken: (token) => inner.findByClientToken(token),
    recent: (limit) => inner.recent(limit),
    create: async (run: RunRecord) => {
      if (run.runId !== runId) return inner.create(run);
      const { runId: _id, clientToken: _token, startedAt: _started, ...patch } = run;
      void _id;
      void _token;
      void _started;
      await inner.update(runId, patch);
    },
  };
}

/** Background work in this process, tracked so `idle` and `close` can wait for it. */
export class LocalLauncher implements JobLauncher {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly deps: PipelineDeps,
    private readonly concurrency: number,
  ) {}

  private track(work: Promise<void>): void {
    const tracked = work.finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  async startRun(input: RunInput): Promise<void> {
    const deps = { ...this.deps, runs: adoptingRunStore(this.deps.runs, input.runId) };
    this.track(
      runPipeline(deps, input, { concurrency: this.concurrency }).then(
        () => undefined,
        async (error: unknown) => {
          // runPipeline marks a run failed when a stage fails; this covers a failure before the first stage.
          const run = await this.deps.runs.get(input.runId).catch(() => null);
          if (run?.status === 'running')
            await this.deps.runs
              .update(input.runId, {
                status: 'failed',
                finishedAt: this.deps.now().toISOString(),
                error: error instanceof CrmMergeError ? error.message : error instanceof Error ? error.name : 'unknown error',
              })
              .catch(() => undefined);
        },
      ),
    );
  }

  async startScreenJob(jobId: string): Promise<void> {
    // runScreenJob records its own failure in the job file.
    this.track(runScreenJob(this.deps, jobId).then(() => undefined, () => undefined));
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}

function send(res: ServerResponse, response: ApiResponse): void {
  res.writeHead(response.status, { ...response.headers, 'content-length': Buffer.byteLength(response.body) });
  res.end(response.body);
}

/** The request body, or null when it is larger than `limit` (then the rest is not buffered). */
async function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function toApiRequest(req: IncomingMessage, body: string): ApiRequest {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) if (!(name in query)) query[name] = value;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return { method: req.method ?? 'GET', path: url.pathname, query, headers, body: body === '' ? null : body };
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const launcher = new LocalLauncher(options.deps, options.concurrency ?? 2);
  const api = createApi(
    { deps: options.deps, launcher },
    {
      roleHeader: options.roleHeader ?? 'optional',
      onUnexpectedError: (error, route, requestId) =>
        options.log?.(
          `error ${requestId} in ${route ? route.id : 'routing'}: ${error instanceof CrmMergeError ? `${error.name}: ${error.message}` : error instanceof Error ? error.name : 'unknown'}`,
        ),
    },
  );

  const server: Server = createServer((req, res) => {
    const started = Date.now();
    void (async () => {
      const body = await readBody(req, DEFAULT_MAX_BODY_BYTES);
      if (body === null) {
        res.setHeader('connection', 'close');
        send(res, errorResponse(payloadTooLarge(`body: more than the ${DEFAULT_MAX_BODY_BYTES} bytes this API accepts`, 'body')));
        options.log?.(`${req.method} (body too large) 413 ${Date.now() - started} ms`);
        return;
      }
      const { response, route } = await api(toApiRequest(req, body));
      send(res, response);
      options.log?.(`${req.method} ${route ? route.path : '(no route)'} ${response.status} ${Date.now() - started} ms`);
    })().catch((error: unknown) => {
      if (!res.headersSent) send(res, { status: 500, headers: { 'content-type': 'text/plain' }, body: 'internal error\n' });
      options.log?.(`request failed: ${error instanceof Error ? error.name : 'unknown'}`);
    });
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    idle: () => launcher.idle(),
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await launcher.idle();
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new MappingError(`--port must be a port number (0-65535), got "${value}"`);
  return port;
}

/** Registers `crm-merge serve` on the CLI program. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(`serve the API on 127.0.0.1 for trying it with curl (no IAM: claim a role with the ${ROLE_HEADER} header)`)
    .option('--port <N>', 'port (0 picks a free one)', parsePort, 8080)
    .option('--require-role', `answer 403 to requests without the ${ROLE_HEADER} header`)
    .option('--concurrency <N>', 'map items processed at once by runs started with POST /runs', (v) => Number.parseInt(v, 10), 2)
    .action(async (options: { port: number; requireRole?: boolean; concurrency: number }) =>
      withContext(async ({ deps, mode }) => {
        const server = await startApiServer({
          deps,
          port: options.port,
          roleHeader: options.requireRole ? 'required' : 'optional',
          concurrency: options.concurrency,
          log: (line) => process.stderr.write(`${line}\n`),
        });
        printLine(`crm-merge API on ${server.url} (${mode === 'embedded' ? 'embedded default' : 'configured stack'}); Ctrl-C stops it`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        printLine('stopping: waiting for background runs and screening jobs');
        await server.close();
      }),
    );
}
