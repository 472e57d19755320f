/**
 * Writes a seeded sample: two company exports, the campaign list and their ground truth.
 *
 *   npx tsx scripts/generate-sample.ts --out DIR [--people 5000] [--seed 42] [--as-of 2026-11-01] [--campaign-size N]
 *
 * Streams to disk, so --people 1000000 runs in bounded memory. The same arguments always write the same bytes.
 */
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_AS_OF, generateSampleToDir } from './sample';

function integer(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`--${name} must be an integer, got ${JSON.stringify(text)}`);
  return value;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      people: { type: 'string' },
      seed: { type: 'string' },
      'as-of': { type: 'string' },
      'campaign-size': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help || values.out === undefined) {
    console.log('usage: npx tsx scripts/generate-sample.ts --out DIR [--people 5000] [--seed 42] [--as-of YYYY-MM-DD] [--campaign-size N]');
    if (values.out === undefined && !values.help) process.exitCode = 2;
    return;
  }
  const people = integer('people', values.people, 5000);
  const seed = integer('seed', values.seed, 42);
  const campaignSize = values['campaign-size'] === undefined ? undefined : integer('campaign-size', values['campaign-size'], 0);
  const started = process.hrtime.bigint();
  const { stats, files } = generateSampleToDir(
    { seed, people, asOf: values['as-of'] ?? DEFAULT_AS_OF, ...(campaignSize === undefined ? {} : { campaignSize }) },
    values.out,
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;

  console.log(`sample: ${people} people, seed ${seed}, as of ${values['as-of'] ?? DEFAULT_AS_OF} (${seconds.toFixed(1)} s)`);
  for (const file of files) {
    const shown = relative(process.cwd(), file.path);
    const megabytes = (file.bytes / 1_048_576).toFixed(1).padStart(8);
    console.log(`  wrote ${(shown.startsWith('..') ? file.path : shown).padEnd(40)} ${String(file.rows).padStart(9)} rows ${megabytes} MB`);
  }
  const { membership, customerA, customerB, hardCaseGroups, campaignByCategory } = stats;
  console.log(`  persons: ${membership.both} in both companies, ${membership.aOnly} in A only, ${membership.bOnly} in B only`);
  console.log(`  A: ${customerA.active} active, ${customerA.ended} ended; B: ${customerB.active} active, ${customerB.ended} ended`);
  console.log(`  duplicate accounts: ${stats.duplicateAccounts.A} in telco, ${stats.duplicateAccounts.B} in satellite`);
  console.log(`  opted out anywhere: ${stats.optedOutAnywhere}; stale (>3 y): ${stats.stale}; nickname users: ${stats.nicknameUsers}`);
  console.log(`  hard-case pairs: ${Object.entries(hardCaseGroups).map(([kind, n]) => `${kind} ${n}`).join(', ')}`);
  console.log(`  campaign: ${Object.entries(campaignByCategory).map(([category, n]) => `${category} ${n}`).join(', ')}`);
}

try {
  main();
} catch (error: unknown) {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exitCode = 1;
}
