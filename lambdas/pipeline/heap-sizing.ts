import type { StageName } from './contracts';

/**
 * V8's semi-space (half of the young generation's room for new objects) per stage where a larger one than V8's
 * default (16 MB on 64-bit) pays. Ingest allocates the strings and arrays of every cell of every row and nearly all
 * of them die young: with 128 MB one 1,000,000-row source took 98 instead of 106 CPU seconds and about 200 MB more
 * (docs/benchmarks.md, round 10). Compare, route and score measured no faster and 100-200 MB larger: they keep V8's.
 */
export const SEMI_SPACE_MB: Readonly<Partial<Record<StageName, number>>> = { ingest: 128 };

/** V8 flags of a stage's process (Lambda's NODE_OPTIONS): its semi-space where SEMI_SPACE_MB sizes it. */
export function heapFlags(stage: StageName): string[] {
  const semiSpace = SEMI_SPACE_MB[stage];
  return semiSpace === undefined ? [] : [`--max-semi-space-size=${semiSpace}`];
}

/**
 * The young generation of a worker thread running a stage's jobs, MB (worker_threads' `maxYoungGenerationSizeMb`),
 * or undefined for V8's default: two semi-spaces and the new large-object space, each a semi-space in size.
 */
export function youngGenerationMb(stage: StageName): number | undefined {
  const semiSpace = SEMI_SPACE_MB[stage];
  return semiSpace === undefined ? undefined : 3 * semiSpace;
}
