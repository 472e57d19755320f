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
import { youngGenerationMb } from '../heap-sizing';
import { spawnWorker } from './spawn';
import type { JobMessage, JobReply, WorkerSetup } from './entry';
import type { StageJobKind, StageJobs } from './jobs';

/** What a finished job reports besides its result. */
export interface JobFigures {
  kind: StageJobKind;
  /** Peak V8 heap + external memory of the worker while the job ran, MB. */
  peakMb: number;
  cpuMs: number;
  /** The young generation of the worker that ran it, MB (heap-sizing.ts). */
  youngGenerationMb: number;
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

function spawn(setup: WorkerSetup, youngMb: number | undefined): Worker {
  const entry = join(__dirname, `entry${extname(__filename)}`);
  return spawnWorker(entry, setup, youngMb === undefined ? undefined : { maxYoungGenerationSizeMb: youngMb });
}

/** A worker started and ready: its entry has run ('online' fires before loading, so it answers an unknown-kind ping). */
async function startWorker(setup: WorkerSetup, youngMb: number | undefined): Promise<Worker> {
  const worker = spawn(setup, youngMb);
  let onError: (error: Error) => void = () => undefined;
  let onExit: (code: number) => void = () => undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      onError = reject;
      onExit = (code) => reject(new Error(`worker exited with code ${code} while starting`));
      worker.once('error', onError);
      worker.once('exit', onExit);
      worker.once('message', () => resolve());
      worker.postMessage({ id: 0, kind: 'ping', event: null });
    });
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  // Only these two: removeAllListeners() would also drop Node's own listeners that start the worker's message port.
  worker.off('error', onError);
  worker.off('exit', onExit);
  return worker;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  kind: StageJobKind;
}

class Slot {
  busy = false;
  constructor(
    public worker: Worker,
    /** The young generation the worker was started with (see heap-sizing.ts); undefined for V8's default. */
    public youngMb: number | undefined,
  ) {}
}

export class StageWorkers {
  private readonly slots: Slot[];
  private readonly pending = new Map<number, Pending & { slot: Slot }>();
  private readonly queue: { message: JobMessage; pending: Pending }[] = [];
  private nextId = 1;
  private failure: Error | undefined;

  private constructor(
    workers: Worker[],
    private readonly setup: WorkerSetup,
    private readonly onJob?: (figures: JobFigures) => void,
  ) {
    this.slots = workers.map((worker) => new Slot(worker, undefined));
    for (const slot of this.slots) this.watch(slot);
  }

  /** Starts `threads` workers and waits until each has loaded its code; rejects when workers cannot run here. */
  static async create(options: StageWorkersOptions): Promise<StageWorkers> {
    const setup: WorkerSetup = { env: options.env, settings: options.settings ?? {} };
    const started = await Promise.allSettled(Array.from({ length: Math.max(1, options.threads) }, () => startWorker(setup, undefined)));
    const workers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) {
      await Promise.all(workers.map((worker) => worker.terminate()));
      throw failed.reason;
    }
    return new StageWorkers(workers, setup, options.onJob);
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
      const youngMb = youngGenerationMb(next.message.kind);
      if (slot.youngMb === youngMb) slot.worker.postMessage(next.message);
      else
        this.restart(slot, youngMb).then(
          () => slot.worker.postMessage(next.message),
          (error: unknown) => this.fail(new CrmMergeError(`worker thread failed to restart: ${error instanceof Error ? error.message : String(error)}`)),
        );
    }
  }

  /**
   * Replaces a slot's worker by one with the young generation a job kind wants: V8 sizes a heap only when it starts,
   * so a worker moving from ingest to route jobs is started again (once per such move, well under a second).
   */
  private async restart(slot: Slot, youngMb: number | undefined): Promise<void> {
    const old = slot.worker;
    // Its exit is expected now; its 'message' listener stays (removing it would stop a port about to close anyway).
    old.removeAllListeners('exit');
    old.removeAllListeners('error');
    await old.terminate();
    slot.worker = await startWorker(this.setup, youngMb);
    slot.youngMb = youngMb;
    this.watch(slot);
  }

  private watch(slot: Slot): void {
    const { worker } = slot;
    worker.on('message', (reply: JobReply) => this.settle(slot, reply));
    worker.on('error', (error) => this.fail(new CrmMergeError(`worker thread failed: ${error.name}`)));
    worker.on('exit', (code) => {
      if (code !== 0) this.fail(new CrmMergeError(`worker thread exited with code ${code}`));
    });
  }

  private settle(slot: Slot, reply: JobReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    slot.busy = false;
    if (reply.ok) {
      this.onJob?.({ kind: pending.kind, peakMb: reply.peakMb, cpuMs: reply.cpuMs, youngGenerationMb: reply.youngGenerationMb });
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
