import { createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { generateSampleToDir, resolveOptions, type SampleStats } from '../sample';

/**
 * Rows per person per company file with the generator's defaults: 75% of persons are customers of each company
 * (shareBoth 0.5 + shareAOnly 0.25, and the 0.25 B-only), plus duplicate accounts (4% in A, 2% in B):
 * 0.75 x 1.04 = 0.78 telco rows and 0.75 x 1.02 = 0.765 satellite rows per person, 0.7725 on average.
 * `people = round(N / 0.7725)` gives two files of about N rows each (telco ~1% above, satellite ~1% below).
 */
export const ROWS_PER_PERSON_PER_FILE = (0.78 + 0.765) / 2;

export function peopleFor(recordsPerCompany: number): number {
  return Math.max(1, Math.round(recordsPerCompany / ROWS_PER_PERSON_PER_FILE));
}

export interface BenchSample {
  dir: string;
  people: number;
  seed: number;
  asOf: string;
  stats: SampleStats;
  /** Seconds spent generating, 0 when an earlier identical sample was reused. */
  generatedSeconds: number;
}

/** Generates the sample into `root/sample-<people>-<seed>/`, or reuses it (the generator is deterministic). */
export function benchSample(root: string, people: number, seed: number): BenchSample {
  const dir = join(root, `sample-${people}-${seed}`);
  const statsFile = join(dir, 'stats.json');
  const asOf = resolveOptions({ seed, people }).asOf;
  if (existsSync(statsFile)) {
    const stats = JSON.parse(readFileSync(statsFile, 'utf8')) as SampleStats;
    return { dir, people, seed, asOf, stats, generatedSeconds: 0 };
  }
  const started = performance.now();
  const { stats } = generateSampleToDir({ seed, people }, dir);
  writeFileSync(statsFile, JSON.stringify(stats));
  return { dir, people, seed, asOf, stats, generatedSeconds: (performance.now() - started) / 1000 };
}

/** truth.csv as "source:recordId" -> personId (plain values, no quoting in the generator's truth file). */
export async function loadTruth(dir: string): Promise<Map<string, string>> {
  const truth = new Map<string, string>();
  const lines = createInterface({ input: createReadStream(join(dir, 'truth.csv')), crlfDelay: Infinity });
  let header = true;
  for await (const line of lines) {
    if (header) {
      header = false;
      continue;
    }
    if (line === '') continue;
    const [source, recordId, personId] = line.split(',');
    truth.set(`${source}:${recordId}`, personId);
  }
  return truth;
}
