/** Shared sample for the generator tests: 2,000 people (a million is a CLI job, not a unit test). */
import { parse } from 'csv-parse/sync';
import { generateSample, type SampleData, type SampleOptions } from '../../scripts/sample';

export type Row = Record<string, string>;

export interface ParsedSample {
  data: SampleData;
  telco: Row[];
  satellite: Row[];
  persons: Row[];
  truth: Row[];
  campaign: Row[];
  campaignTruth: Row[];
}

export const FIXTURE_OPTIONS: SampleOptions = { seed: 2024, people: 2000 };

export function parseCsv(text: string): Row[] {
  return parse(text, { columns: true, skip_empty_lines: true }) as Row[];
}

/** First line of a CSV text as column names (headers here never need quoting). */
export function header(text: string): string[] {
  const end = text.indexOf('\n');
  return text.slice(0, end).replace(/\r$/, '').split(',');
}

export function parseSample(data: SampleData): ParsedSample {
  return {
    data,
    telco: parseCsv(data.telcoCsv),
    satellite: parseCsv(data.satelliteCsv),
    persons: parseCsv(data.personsCsv),
    truth: parseCsv(data.truthCsv),
    campaign: parseCsv(data.campaignCsv),
    campaignTruth: parseCsv(data.campaignTruthCsv),
  };
}

let cached: ParsedSample | undefined;

export function fixture(): ParsedSample {
  cached ??= parseSample(generateSample(FIXTURE_OPTIONS));
  return cached;
}

/** Case- and accent-insensitive form for comparing names as a greeting would. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
