import type { ServerStats } from './servers';

/** Per-stage figures the benchmark reports besides wall time. */
export interface StageFigures {
  cpuSeconds: number;
  serverCpuSeconds: number;
  peakRssMb: number;
  peakHeapMb: number;
  /** Worker threads' peak heap (MB) by job kind, when the stage ran jobs in workers. */
  workers?: Record<string, number>;
}

/**
 * Follows the pipeline's stage changes: this process's CPU time and the servers' per stage, and peak RSS and heap
 * sampled every 25 ms.
 */
export class StageMeter {
  private current: string | undefined;
  private cpuAt = process.cpuUsage();
  private serverCpuAt = 0;
  private readonly figures: Record<string, StageFigures> = {};
  private readonly timer: NodeJS.Timeout;
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly serverStats: () => Promise<ServerStats>) {
    this.timer = setInterval(() => this.sample(), 25);
    this.timer.unref();
    this.pending = this.serverStats().then((s) => void (this.serverCpuAt = s.cpuSeconds));
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
    this.figures[stage].cpuSeconds += (cpu.user + cpu.system) / 1e6;
    this.pending = this.pending
      .then(() => this.serverStats())
      .then((s) => {
        this.figures[stage].serverCpuSeconds += s.cpuSeconds - this.serverCpuAt;
        this.serverCpuAt = s.cpuSeconds;
      });
  }

  enter(stage: string): void {
    this.close();
    if (process.env.BENCH_STAGE_LOG)
      process.stderr.write(`[bench] stage ${stage} at ${Number(process.hrtime.bigint() / 1000n)} us\n`);
    this.current = stage;
    this.cpuAt = process.cpuUsage();
    this.figures[stage] ??= { cpuSeconds: 0, serverCpuSeconds: 0, peakRssMb: 0, peakHeapMb: 0 };
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
