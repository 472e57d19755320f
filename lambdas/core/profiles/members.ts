import type { CustomerRecord } from '../model/record';
import { recordOrigin, type RecordOrigin } from './survivorship';
import { compareText } from './text';

/** A member record with its precomputed origin (recency, company, ended flag). */
export interface ProfileMember {
  record: CustomerRecord;
  origin: RecordOrigin;
}

/**
 * Members in a fixed order (record key; whole-record text only to order exact duplicates) with duplicate keys
 * dropped, so the profile never depends on the order the cluster arrived in.
 */
export function orderMembers(records: readonly CustomerRecord[]): { members: ProfileMember[]; duplicateKeys: number } {
  const serialised = new Map<CustomerRecord, string>(records.map((record) => [record, JSON.stringify(record)]));
  const sorted = [...records].sort(
    (a, b) => compareText(a.key, b.key) || compareText(serialised.get(a)!, serialised.get(b)!),
  );
  const members: ProfileMember[] = [];
  let duplicateKeys = 0;
  for (const record of sorted) {
    if (members.length > 0 && members[members.length - 1].record.key === record.key) {
      duplicateKeys += 1;
      continue;
    }
    members.push({ record, origin: recordOrigin(record) });
  }
  return { members, duplicateKeys };
}
