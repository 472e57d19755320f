import type { TermFrequencyColumn } from './comparisons';
import type { MatchFeatures } from './features';

/**
 * Term frequencies: the share of records holding each value, so an exact match on a rare surname ("kowalczyk")
 * weighs more than one on a common one ("smith"). Stored as counts so partial tables from partitions can be added.
 */
export interface TermFrequencyTable {
  total: number;
  counts: Record<string, number>;
}

export type TermFrequencies = Record<TermFrequencyColumn, TermFrequencyTable>;

const COLUMNS: readonly TermFrequencyColumn[] = ['first', 'last', 'city'];

/** The values a term-frequency adjustment reads: all a scorer needs of a record besides its comparison levels. */
export type TermValues = Pick<MatchFeatures, 'first' | 'lastCompact' | 'city'>;

export function termValue(record: TermValues, column: TermFrequencyColumn): string | null {
  return column === 'first' ? record.first : column === 'last' ? record.lastCompact : record.city;
}

export function emptyTermFrequencies(): TermFrequencies {
  return { first: { total: 0, counts: {} }, last: { total: 0, counts: {} }, city: { total: 0, counts: {} } };
}

export function addTermFrequencies(into: TermFrequencies, record: TermValues): void {
  for (const column of COLUMNS) {
    const value = termValue(record, column);
    if (value === null) continue;
    const table = into[column];
    table.total++;
    table.counts[value] = (table.counts[value] ?? 0) + 1;
  }
}

/** Adds another table's counts (a source's, counted where it was ingested). */
export function mergeTermFrequencies(into: TermFrequencies, other: TermFrequencies): void {
  for (const column of COLUMNS) {
    const table = into[column];
    table.total += other[column].total;
    for (const [value, count] of Object.entries(other[column].counts)) table.counts[value] = (table.counts[value] ?? 0) + count;
  }
}

export function computeTermFrequencies(records: readonly MatchFeatures[]): TermFrequencies {
  const tables = emptyTermFrequencies();
  for (const record of records) addTermFrequencies(tables, record);
  return tables;
}

/** The share of records holding `value`, never below one record in the table (so unseen values stay finite). */
export function termFrequency(table: TermFrequencyTable, value: string): number {
  if (table.total === 0) return 1;
  return Math.max(table.counts[value] ?? 1, 1) / table.total;
}
