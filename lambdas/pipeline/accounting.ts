import type { IngestResult } from './contracts';
import type { ErasedCounts } from './erased-counts';

/** Per source: rows read must equal rows in profiles plus rows rejected plus rows erased on request. */
export interface SourceAccount {
  source: string;
  company: string;
  rowsRead: number;
  rowsRejected: number;
  rowsInProfiles: number;
  /**
   * Rows of people who asked to be erased (matched a tombstone), left out of the profiles on purpose. Optional only
   * so accounts built before erasure existed still type-check; `accountRows` always sets it.
   */
  rowsErased?: number;
  balanced: boolean;
}

export function accountRows(
  ingested: readonly IngestResult[],
  profiles: Iterable<{ members: readonly { source: string }[] }>,
  erased: ErasedCounts = {},
): SourceAccount[] {
  const inProfiles = new Map<string, number>();
  for (const profile of profiles)
    for (const member of profile.members) inProfiles.set(member.source, (inProfiles.get(member.source) ?? 0) + 1);
  return ingested.map((result) => {
    const rowsInProfiles = inProfiles.get(result.source) ?? 0;
    const rowsErased = erased[result.source] ?? 0;
    return {
      source: result.source,
      company: result.company,
      rowsRead: result.rowsRead,
      rowsRejected: result.rowsRejected,
      rowsInProfiles,
      rowsErased,
      balanced: result.rowsRead === rowsInProfiles + result.rowsRejected + rowsErased,
    };
  });
}
