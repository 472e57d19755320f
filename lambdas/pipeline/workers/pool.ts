/**
 * A pool of worker threads for the in-process runner's CPU-bound map stages (ingest, route, compare, score, publish).
 * Each worker builds its own dependencies from the environment (like a Lambda cold start) and runs one job at a time,
 * so N workers give N jobs on N cores, each in its own V8 heap with its own peak-memory figure.
 *
 * Loading: from compiled JavaScript the worker runs entry.js; from TypeScript sources (tsx, jest) it registers tsx's
 * CommonJS hooks first and requires entry.ts. Where neither works, `StageWorkers.create` fails and callers run the
 * jobs in the calling thread instead: same functions, same results.
 */
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Environment } from '../../config/env';
import { ConfigurationError, CrmMergeError, InputFileError, MappingError, NotFoundError } from '../../core/errors';
import type { PipelineSettings } from '../deps';
import type { JobMessage, JobReply, WorkerSetup } from './entry';
import type { StageJobKind, StageJobs } from './jobs';

/** What a finished job reports besides its result. */
export interface JobFigures {
  kind: StageJobKind;
  /** Peak V8 heap + external memory of the worker while the job ran, MB. */
  peakMb: number;
  cpuMs: number;
}

export interface StageWorkersOptions {
  env: Environment;
  settings?: Partial<PipelineSettings>;
  threads: number;
  /** Called after every job with its memory and CPU figures (the benchmark records them). */
  onJob?: (figures: JobFigures) => void;
}

const KNOWN_ERRORS: Record<string, new (message: string) => Error> = {
  MappingError,
  InputFileError,
  ConfigurationError,
  NotFoundError,
};

function spawn(setup: WorkerSetup): Worker {
  const ext = extname(__filename);
  const entry = join(__dirname, `entry${ext}`);
  if (ext === '.ts') {
    // Register tsx's CommonJS hooks inside the worker, then load the TypeScript entry (Node 20 does not apply the
    // parent's --import loader to a worker's entry file).
    const tsx = require.resolve('tsx/cjs/api');
    const code = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(entry)});`;
    return new Worker(code, { eval: true, workerData: setup });
  }
  return new Worker(entry, { workerData: setup });
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  kind: StageJobKind;
}

class Slot {
  busy = false;
  constructor(readonly worker: Worker) {}
}

export class StageWorkers {
  private readonly slots: Slot[];
  private readonly pending = new Map<number, Pending & { slot: Slot }>();
  private readonly queue: { message: JobMessage; pending: Pending }[] = [];
  private nextId = 1;
  private failure: Error | undefined;

  private constructor(
    workers: Worker[],
    private readonly onJob?: (figures: JobFigures) => void,
  ) {
    this.slots = workers.map((worker) => new Slot(worker));
    for (const slot of this.slots) {
      slot.worker.on('message', (reply: JobReply) => this.settle(slot, reply));
      slot.worker.on('error', (error) => this.fail(new CrmMergeError(`worker thread failed: ${error.name}`)));
      slot.worker.on('exit', (code) => {
        if (code !== 0) this.fail(new CrmMergeError(`worker thread exited with code ${code}`));
      });
    }
  }

  /** Starts `threads` workers and waits until each has loaded its code; rejects when workers cannot run here. */
  static async create(options: StageWorkersOptions): Promise<StageWorkers> {
    const setup: WorkerSetup = { env: options.env, settings: options.settings ?? {} };
    const workers: Worker[] = [];
    try {
      for (let i = 0; i < Math.max(1, options.threads); i++) workers.push(spawn(setup));
      // A worker is ready when its entry has run: 'online' fires before loading, so ping with an unknown-kind job.
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve, reject) => {
              const onError = (error: Error): void => reject(error);
              worker.once('error', onError);
              worker.once('exit', (code) => reject(new Error(`worker exited with code ${code} while starting`)));
              worker.once('message', () => {
                worker.off('error', onError);
                worker.removeAllListeners('exit');
                resolve();
              });
              worker.postMessage({ id: 0, kind: 'ping', event: null });
            }),
        ),
      );
    } catch (error) {
      await Promise.all(workers.map((worker) => worker.terminate()));
      throw error;
    }
    return new StageWorkers(workers, options.onJob);
  }

  get size(): number {
    return this.slots.length;
  }

  run<K extends StageJobKind>(kind: K, event: StageJobs[K]['event']): Promise<StageJobs[K]['result']> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const message: JobMessage = { id: this.nextId++, kind, event };
      this.queue.push({ message, pending: { resolve: resolve as (value: unknown) => void, reject, kind } });
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.busy) continue;
      const next = this.queue.shift();
      if (!next) return;
      slot.busy = true;
      this.pending.set(next.message.id, { ...next.pending, slot });
      slot.worker.postMessage(next.message);
    }
  }

  private settle(slot: Slot, reply: JobReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    slot.busy = false;
    if (reply.ok) {
      this.onJob?.({ kind: pending.kind, peakMb: reply.peakMb, cpuMs: reply.cpuMs });
      pending.resolve(reply.result);
    } else {
      const Known = KNOWN_ERRORS[reply.name];
      const error = Known ? new Known(reply.message) : new CrmMergeError(reply.message);
      pending.reject(error);
    }
    this.dispatch();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      pending.reject(error);
    }
    for (const queued of this.queue.splice(0)) queued.pending.reject(error);
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }
}
