import { mapRow } from './map-row';
import { readCsv } from './csv-reader';
import { assertColumnsExist, type SourceMapping } from '../model/mapping';
import type { CustomerRecord, RejectedRow } from '../model/record';

/**
 * Reads a whole CSV into records and rejects, in memory: for tests, evaluations and small lists. The pipeline's
 * ingest stage does the same row by row while streaming.
 */
export async function loadRecords(
  input: AsyncIterable<Uint8Array>,
  mapping: SourceMapping,
  source: string,
): Promise<{ records: CustomerRecord[]; rejects: RejectedRow[] }> {
  const records: CustomerRecord[] = [];
  const rejects: RejectedRow[] = [];
  for await (const event of readCsv(input, mapping)) {
    if (event.kind === 'header') assertColumnsExist(mapping, event.columns, `mapping of source "${source}"`);
    else if (event.kind === 'reject') rejects.push({ source, line: event.line, reason: event.reason, raw: event.raw });
    else {
      const mapped = mapRow(event.values, { mapping, source, line: event.line });
      if (mapped.ok) records.push({ ...mapped.record, company: mapping.company });
      else rejects.push({ source, line: event.line, reason: mapped.reason, raw: event.raw });
    }
  }
  return { records, rejects };
}
