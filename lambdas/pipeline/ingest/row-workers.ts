import { isMainThread, parentPort, workerData, type Worker } from 'node:worker_threads';
import { CrmMergeError, safeErrorMessage } from '../../core/errors';
import { spawnWorker } from '../workers/spawn';
import { RowPreparer, type PreparedRow, type RowContext } from './prepare-row';

/**
 * Row workers of one ingest job: threads that map and encode batches of rows (RowPreparer, most of a row's CPU)
 * while the job's own thread parses the CSV, checks duplicate ids, counts keys and writes, in input order. One
 * source is one job, so this is how an ingest job uses more than one vCPU (CRM_MERGE_INGEST_THREADS).
 *
 * A worker runs this same module file: from TypeScript sources, compiled JavaScript or a Lambda's single-file bundle
 * (whose `__filename` is the bundle), so no second entry has to be bundled. The module starts serving when it is
 * loaded in a thread started with ROLE in its workerData.
 */
const ROLE = 'crm-merge-ingest-rows';

interface RowWorkerData {
  role: typeof ROLE;
  context: RowContext;
}

/** One row of a batch: its cells by column, and its line for the mapping's reasons. */
export type RowInput = [values: Record<string, string>, line: number];

interface BatchMessage {
  id: number;
  rows: RowInput[];
}

type BatchReply = { id: number; ok: true; rows: PreparedRow[] } | { id: number; ok: false; message: string };

function serveRows(data: RowWorkerData): void {
  const preparer = new RowPreparer(data.context);
  parentPort?.on('message', (message: BatchMessage) => {
    let reply: BatchReply;
    try {
      reply = { id: message.id, ok: true, rows: message.rows.map(([values, line]) => preparer.prepare(values, line)) };
    } catch (error) {
      reply = { id: message.id, ok: false, message: safeErrorMessage(error) };
    }
    parentPort?.postMessage(reply);
  });
}

if (!isMainThread && (workerData as Partial<RowWorkerData> | null)?.role === ROLE) serveRows(workerData as RowWorkerData);

interface Pending {
  resolve(rows: PreparedRow[]): void;
  reject(error: Error): void;
}

export class RowWorkers {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private next = 0;
  private failure: Error | undefined;

  private constructor(private readonly workers: Worker[]) {
    for (const worker of workers) {
      worker.on('message', (reply: BatchReply) => this.settle(reply));
      worker.on('error', (error) => this.fail(new CrmMergeError(`ingest row worker failed: ${error.name}`)));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new CrmMergeError(`ingest row worker exited with code ${code}`));
      });
    }
  }

  static start(threads: number, context: RowContext): RowWorkers {
    const data: RowWorkerData = { role: ROLE, context };
    return new RowWorkers(Array.from({ length: threads }, () => spawnWorker(__filename, data)));
  }

  /** Prepares a batch on the next worker in turn; batches settle in any order, the caller keeps its own. */
  prepare(rows: RowInput[]): Promise<PreparedRow[]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const worker = this.workers[this.next];
    this.next = (this.next + 1) % this.workers.length;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, rows } satisfies BatchMessage);
    });
  }

  private settle(reply: BatchReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (reply.ok) pending.resolve(reply.rows);
    else pending.reject(new CrmMergeError(`ingest row worker: ${reply.message}`));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      pending.reject(error);
    }
  }

  async close(): Promise<void> {
    for (const worker of this.workers) worker.removeAllListeners('exit');
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
