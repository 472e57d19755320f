/**
 * Worker-thread entry of the in-process runner (see pool.ts): builds the pipeline dependencies from the environment
 * it is given, the way a Lambda cold start does, then runs one stage job per message and answers with its result and
 * the job's peak memory (this thread's V8 heap plus the memory held outside it, sampled every 20 ms).
 */
import { parentPort, resourceLimits, workerData } from 'node:worker_threads';
import type { Environment } from '../../config/env';
import { safeErrorMessage } from '../../core/errors';
import type { PipelineSettings } from '../deps';
import { pipelineDepsFromEnvironment } from '../deps-from-environment';
import { STAGE_JOBS, type StageJobKind } from './jobs';

export interface WorkerSetup {
  env: Environment;
  settings: Partial<PipelineSettings>;
}

export interface JobMessage {
  id: number;
  kind: StageJobKind;
  event: unknown;
}

export type JobReply =
  | { id: number; ok: true; result: unknown; peakMb: number; cpuMs: number; youngGenerationMb: number }
  | { id: number; ok: false; name: string; message: string };

const setup = workerData as WorkerSetup;
/** The young generation this thread was started with (see heap-sizing.ts), reported with every job. */
const youngGenerationMb = resourceLimits.maxYoungGenerationSizeMb ?? 0;
const deps = pipelineDepsFromEnvironment(setup.env, setup.settings);

function memoryMb(): number {
  const usage = process.memoryUsage();
  return (usage.heapUsed + usage.external) / 1048576;
}

parentPort?.on('message', (message: JobMessage) => {
  if (!(message.kind in STAGE_JOBS)) {
    // The pool's readiness ping: this code has loaded.
    parentPort?.postMessage({ id: message.id, ok: true, result: null, peakMb: memoryMb(), cpuMs: 0, youngGenerationMb } satisfies JobReply);
    return;
  }
  let peak = memoryMb();
  const sampler = setInterval(() => (peak = Math.max(peak, memoryMb())), 20);
  const cpuAt = process.cpuUsage();
  const run = STAGE_JOBS[message.kind] as (d: typeof deps, event: unknown) => Promise<unknown>;
  run(deps, message.event).then(
    (result) => {
      clearInterval(sampler);
      const cpu = process.cpuUsage(cpuAt);
      const reply: JobReply = {
        id: message.id,
        ok: true,
        result,
        peakMb: Math.max(peak, memoryMb()),
        cpuMs: (cpu.user + cpu.system) / 1000,
        youngGenerationMb,
      };
      parentPort?.postMessage(reply);
    },
    (error: unknown) => {
      clearInterval(sampler);
      const reply: JobReply = {
        id: message.id,
        ok: false,
        name: error instanceof Error ? error.name : 'Error',
        message: safeErrorMessage(error),
      };
      parentPort?.postMessage(reply);
    },
  );
});
