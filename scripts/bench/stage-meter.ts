import { loadavg } from 'node:os';
import { NO_REQUESTS, type RequestCounts, type ServerStats } from './servers';

/** Per-stage figures the benchmark reports besides wall time. */
export interface StageFigures {
  cpuSeconds: number;
  serverCpuSeconds: number;
  peakRssMb: number;
  peakHeapMb: number;
  /** Worker threads' peak heap (MB) by job kind, when the stage ran jobs in workers. */
  workers?: Record<string, number>;
  /** Requests the S3 and DynamoDB servers received during the stage. */
  requests: RequestCounts;
  /** The machine's 1-minute load average when the stage started and ended (others' work shows here). */
  loadAverage: [number, number];
  /** The process's maximum RSS so far when the stage ended (getrusage: catches peaks between samples). */
  maxRssSoFarMb: number;
}

function subtract(now: RequestCounts, before: RequestCounts): RequestCounts {
  const dynamo: Record<string, number> = {};
  for (const [operation, count] of Object.entries(now.dynamo)) {
    const delta = count - (before.dynamo[operation] ?? 0);
    if (delta > 0) dynamo[operation] = delta;
  }
  return { s3Put: now.s3Put - before.s3Put, s3Get: now.s3Get - before.s3Get, s3Other: now.s3Other - before.s3Other, dynamo };
}

function add(a: RequestCounts, b: RequestCounts): RequestCounts {
  const dynamo: Record<string, number> = { ...a.dynamo };
  for (const [operation, count] of Object.entries(b.dynamo)) dynamo[operation] = (dynamo[operation] ?? 0) + count;
  return { s3Put: a.s3Put + b.s3Put, s3Get: a.s3Get + b.s3Get, s3Other: a.s3Other + b.s3Other, dynamo };
}

/**
 * Follows the pipeline's stage changes: this process's CPU time and the servers' per stage, and peak RSS and heap
 * sampled every 25 ms.
 */
export class StageMeter {
  private current: string | undefined;
  private cpuAt = process.cpuUsage();
  private serverCpuAt = 0;
  private requestsAt: RequestCounts = NO_REQUESTS;
  private enteredAt = 0;
  private readonly figures: Record<string, StageFigures> = {};
  private readonly timer: NodeJS.Timeout;
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly serverStats: () => Promise<ServerStats>) {
    this.timer = setInterval(() => this.sample(), 25);
    this.timer.unref();
    this.pending = this.serverStats().then((s) => {
      this.serverCpuAt = s.cpuSeconds;
      this.requestsAt = s.requests;
    });
  }

  private sample(): void {
    if (this.current === undefined) return;
    const memory = process.memoryUsage();
    const f = this.figures[this.current];
    f.peakRssMb = Math.max(f.peakRssMb, memory.rss / 1048576);
    f.peakHeapMb = Math.max(f.peakHeapMb, memory.heapUsed / 1048576);
  }

  /** Worker-reported peak memory of one job (MB), kept as the current stage's maximum per job kind. */
  workerPeak(kind: string, mb: number): void {
    const f = this.current === undefined ? undefined : this.figures[this.current];
    if (!f) return;
    f.workers ??= {};
    f.workers[kind] = Math.max(f.workers[kind] ?? 0, Math.round(mb));
  }

  private close(): void {
    if (this.current === undefined) return;
    this.sample();
    const stage = this.current;
    const cpu = process.cpuUsage(this.cpuAt);
    this.figures[stage].loadAverage[1] = Math.round(loadavg()[0] * 100) / 100;
    this.figures[stage].cpuSeconds += (cpu.user + cpu.system) / 1e6;
    this.figures[stage].maxRssSoFarMb = Math.round(process.resourceUsage().maxRSS / 1024);
    const wall = (performance.now() - this.enteredAt) / 1000;
    this.pending = this.pending
      .then(() => this.serverStats())
      .then((s) => {
        this.figures[stage].serverCpuSeconds += s.cpuSeconds - this.serverCpuAt;
        this.figures[stage].requests = add(this.figures[stage].requests, subtract(s.requests, this.requestsAt));
        this.serverCpuAt = s.cpuSeconds;
        this.requestsAt = s.requests;
        // Progress as the run goes, so a run that dies late still leaves its earlier stages' figures in the log.
        const f = this.figures[stage];
        process.stderr.write(
          `[bench ${new Date().toISOString().slice(11, 19)}] ${stage} done: ${wall.toFixed(1)} s wall, ` +
            `${f.cpuSeconds.toFixed(1)} s CPU, server ${f.serverCpuSeconds.toFixed(1)} s CPU, peak RSS ${Math.round(f.peakRssMb)} MB ` +
            `(max so far ${f.maxRssSoFarMb}), heap ${Math.round(f.peakHeapMb)} MB, workers ${JSON.stringify(f.workers ?? {})}, ` +
            `load ${f.loadAverage.join(' -> ')}\n`,
        );
      });
  }

  enter(stage: string): void {
    this.close();
    if (process.env.BENCH_STAGE_LOG)
      process.stderr.write(`[bench] stage ${stage} at ${Number(process.hrtime.bigint() / 1000n)} us\n`);
    this.current = stage;
    this.cpuAt = process.cpuUsage();
    this.enteredAt = performance.now();
    this.figures[stage] ??= { cpuSeconds: 0, serverCpuSeconds: 0, peakRssMb: 0, peakHeapMb: 0, requests: NO_REQUESTS, loadAverage: [Math.round(loadavg()[0] * 100) / 100, 0], maxRssSoFarMb: 0 };
  }

  async finish(): Promise<void> {
    this.close();
    this.current = undefined;
    clearInterval(this.timer);
    await this.pending;
  }

  report(): Record<string, StageFigures> {
    return this.figures;
  }
}
