/** Output helpers: human text on stdout, progress on stderr (only on a terminal), JSON when --json is given. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function formatPercent(value: number): string {
  return `${(value * 100).toFixed(2)}%`;
}

/** A one-line progress display that rewrites itself on a TTY and prints one line per stage otherwise. */
export class Progress {
  private lastStage = '';

  constructor(private readonly enabled: boolean = process.stderr.isTTY === true) {}

  update(stage: string, done: number, total: number): void {
    if (this.enabled) {
      const width = 24;
      const filled = total > 0 ? Math.round((done / total) * width) : 0;
      process.stderr.write(`\r${stage.padEnd(9)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}   `);
      if (done === total && total > 0) process.stderr.write('\n');
    } else if (stage !== this.lastStage) {
      process.stderr.write(`${stage}...\n`);
    }
    this.lastStage = stage;
  }
}

/** The command line itself is wrong (a flag's form, a source without its mapping): exit code 2, before any work. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Exit codes with a meaning, for scripts. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  badInput: 3,
  notFound: 4,
} as const;
