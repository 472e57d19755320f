/**
 * Seeded sample data for crm-merge: two company exports in different schemas, a campaign list, and the ground
 * truth to score a merge against. Same options -> same bytes, on any machine.
 *
 *   const data = generateSample({ seed: 42, people: 5000 });
 *   writeSample('out/sample', data);
 *
 * For very large samples use `generateSampleToDir`, which streams to files in bounded memory and writes exactly
 * the bytes `writeSample(dir, generateSample(options))` would.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CAMPAIGN_FILE } from './campaign';
import { TELCO_FILE } from './company-a';
import { SATELLITE_FILE } from './company-b';
import { FileSink, MemorySink, type Sink } from './csv';
import { runGenerator, type GeneratorSinks, type SampleStats } from './generator';
import { resolveOptions, type ResolvedOptions, type SampleOptions } from './options';
import type { CampaignTruthRow, PersonTruth, TruthRow } from './truth';

export type { SampleOptions, ResolvedOptions, NoiseRates, HardCaseKind, CampaignCategory } from './options';
export { DEFAULT_NOISE, DEFAULT_AS_OF, resolveOptions } from './options';
export type { SampleStats } from './generator';
export type { CampaignTruthRow, CompanyStatus, PersonTruth, SourceName, TruthRow } from './truth';
export { TELCO_HEADER, TELCO_SOURCE, TELCO_COMPANY, TELCO_FILE } from './company-a';
export { SATELLITE_HEADER, SATELLITE_SOURCE, SATELLITE_COMPANY, SATELLITE_FILE } from './company-b';
export { CAMPAIGN_HEADER, CAMPAIGN_FILE } from './campaign';
export { TRUTH_HEADER, PERSONS_HEADER, CAMPAIGN_TRUTH_HEADER } from './truth';

export interface SampleData {
  options: ResolvedOptions;
  telcoCsv: string;
  satelliteCsv: string;
  truthCsv: string;
  personsCsv: string;
  campaignCsv: string;
  campaignTruthCsv: string;
  /** truth.csv parsed: one entry per export row. */
  truth: TruthRow[];
  /** persons.csv parsed. */
  persons: PersonTruth[];
  /** campaign-truth.csv parsed. */
  campaignTruth: CampaignTruthRow[];
  stats: SampleStats;
}

type CsvKey = 'telcoCsv' | 'satelliteCsv' | 'truthCsv' | 'personsCsv' | 'campaignCsv' | 'campaignTruthCsv';

/** File name of each output, in the order they are written and reported. */
export const SAMPLE_FILES: readonly (readonly [CsvKey, keyof GeneratorSinks, string])[] = [
  ['telcoCsv', 'telco', TELCO_FILE],
  ['satelliteCsv', 'satellite', SATELLITE_FILE],
  ['truthCsv', 'truth', 'truth.csv'],
  ['personsCsv', 'persons', 'persons.csv'],
  ['campaignCsv', 'campaign', CAMPAIGN_FILE],
  ['campaignTruthCsv', 'campaignTruth', 'campaign-truth.csv'],
];

export interface WrittenFile {
  file: string;
  path: string;
  bytes: number;
  /** Data rows (header excluded). */
  rows: number;
}

function rowCounts(stats: SampleStats): Record<keyof GeneratorSinks, number> {
  return {
    telco: stats.telcoRows,
    satellite: stats.satelliteRows,
    truth: stats.telcoRows + stats.satelliteRows,
    persons: stats.people,
    campaign: stats.campaignRows,
    campaignTruth: stats.campaignRows,
  };
}

/** Generates everything in memory (keep it to a few hundred thousand people; the CLI streams larger ones). */
export function generateSample(options: SampleOptions): SampleData {
  const resolved = resolveOptions(options);
  const sinks = {
    telco: new MemorySink(),
    satellite: new MemorySink(),
    truth: new MemorySink(),
    persons: new MemorySink(),
    campaign: new MemorySink(),
    campaignTruth: new MemorySink(),
  };
  const truth: TruthRow[] = [];
  const persons: PersonTruth[] = [];
  const campaignTruth: CampaignTruthRow[] = [];
  const stats = runGenerator(resolved, sinks, {
    truthRow: (row) => truth.push(row),
    person: (person) => persons.push(person),
    campaignRow: (row) => campaignTruth.push(row),
  });
  return {
    options: resolved,
    telcoCsv: sinks.telco.text(),
    satelliteCsv: sinks.satellite.text(),
    truthCsv: sinks.truth.text(),
    personsCsv: sinks.persons.text(),
    campaignCsv: sinks.campaign.text(),
    campaignTruthCsv: sinks.campaignTruth.text(),
    truth,
    persons,
    campaignTruth,
    stats,
  };
}

/** Writes the six CSV files of a generated sample into `dir` (created if missing). */
export function writeSample(dir: string, data: SampleData): WrittenFile[] {
  mkdirSync(dir, { recursive: true });
  const rows = rowCounts(data.stats);
  return SAMPLE_FILES.map(([key, sink, file]) => {
    const path = join(dir, file);
    const buffer = Buffer.from(data[key], 'utf8');
    writeFileSync(path, buffer);
    return { file, path, bytes: buffer.length, rows: rows[sink] };
  });
}

/** Generates straight into files in `dir`: same bytes as writeSample(dir, generateSample(options)), bounded memory. */
export function generateSampleToDir(options: SampleOptions, dir: string): { stats: SampleStats; files: WrittenFile[] } {
  const resolved = resolveOptions(options);
  mkdirSync(dir, { recursive: true });
  const fileSinks = Object.fromEntries(
    SAMPLE_FILES.map(([, sink, file]) => [sink, new FileSink(join(dir, file))]),
  ) as Record<keyof GeneratorSinks, FileSink>;
  let stats: SampleStats;
  try {
    stats = runGenerator(resolved, fileSinks as Record<keyof GeneratorSinks, Sink>);
  } finally {
    for (const [, sink] of SAMPLE_FILES) fileSinks[sink].close();
  }
  const rows = rowCounts(stats);
  const files = SAMPLE_FILES.map(([, sink, file]) => ({
    file,
    path: fileSinks[sink].path,
    bytes: fileSinks[sink].bytes,
    rows: rows[sink],
  }));
  return { stats, files };
}
