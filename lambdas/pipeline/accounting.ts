import type { IngestResult } from './contracts';

/** Per source: rows read must equal rows in profiles plus rows rejected. */
export interface SourceAccount {
  source: string;
  company: string;
  rowsRead: number;
  rowsRejected: number;
  rowsInProfiles: number;
  balanced: boolean;
}

export function accountRows(ingested: readonly IngestResult[], profiles: Iterable<{ members: readonly { source: string }[] }>): SourceAccount[] {
  const inProfiles = new Map<string, number>();
  for (const profile of profiles)
    for (const member of profile.members) inProfiles.set(member.source, (inProfiles.get(member.source) ?? 0) + 1);
  return ingested.map((result) => {
    const rowsInProfiles = inProfiles.get(result.source) ?? 0;
    return {
      source: result.source,
      company: result.company,
      rowsRead: result.rowsRead,
      rowsRejected: result.rowsRejected,
      rowsInProfiles,
      balanced: result.rowsRead === rowsInProfiles + result.rowsRejected,
    };
  });
}
