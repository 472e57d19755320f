import { createReadStream, existsSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadRecords } from '../../lambdas/core/ingest/load-records';
import { parseMapping } from '../../lambdas/core/model/mapping';
import type { CustomerRecord } from '../../lambdas/core/model/record';

/** FEBRL4 lives beside the project (../shared/datasets/febrl4); it is read by path, never copied in. */
export const FEBRL4_DIR = resolve(__dirname, '..', '..', '..', 'shared', 'datasets', 'febrl4');
export const febrl4Available = (): boolean => existsSync(resolve(FEBRL4_DIR, 'dataset4a.csv'));

const EXAMPLES = resolve(__dirname, '..', '..', 'examples', 'febrl4');

export async function loadFebrl4(): Promise<{ records: CustomerRecord[]; truth: Map<string, string>; rejected: number }> {
  const records: CustomerRecord[] = [];
  let rejected = 0;
  for (const [source, file] of [
    ['febrl4a', 'dataset4a.csv'],
    ['febrl4b', 'dataset4b.csv'],
  ] as const) {
    const mapping = parseMapping(JSON.parse(readFileSync(resolve(EXAMPLES, `${source}.mapping.json`), 'utf8')));
    const loaded = await loadRecords(createReadStream(resolve(FEBRL4_DIR, file)), mapping, source);
    records.push(...loaded.records);
    rejected += loaded.rejects.length;
  }
  // rec-N-org and rec-N-dup-0 are the same person N.
  const truth = new Map(records.map((r) => [r.key, r.recordId.replace(/-(org|dup-\d+)$/, '')]));
  return { records, truth, rejected };
}
