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

/** Rows in profiles per source, counted as the profiles stream past: no profile is kept. */
export class RowsInProfiles {
  private readonly perSource = new Map<string, number>();
  profiles = 0;

  add(profile: { members: readonly { source: string }[] }): void {
    this.profiles++;
    for (const member of profile.members) this.perSource.set(member.source, (this.perSource.get(member.source) ?? 0) + 1);
  }

  of(source: string): number {
    return this.perSource.get(source) ?? 0;
  }
}

export function accountRows(ingested: readonly IngestResult[], inProfiles: RowsInProfiles, erased: ErasedCounts = {}): SourceAccount[] {
  return ingested.map((result) => {
    const rowsInProfiles = inProfiles.of(result.source);
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
