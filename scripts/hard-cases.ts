import type { CustomerRecord } from '../lambdas/core/model/record';
import type { SampleData } from './sample';

/**
 * For every hard non-match group of the sample (twins, Jr/Sr, namesakes, spouses sharing an email), counts the
 * pairs of different people in the group that ended up in one cluster. Kept apart = the other pairs.
 */
export function hardCaseSeparation(
  sample: SampleData,
  records: readonly CustomerRecord[],
  clusters: readonly (readonly number[])[],
): { pairs: number; keptApart: number; rate: number; mergedByKind: Record<string, number> } {
  const clusterOf = new Map<string, number>();
  clusters.forEach((cluster, k) => cluster.forEach((i) => clusterOf.set(records[i].key, k)));
  const personOf = new Map(sample.truth.map((t) => [`${t.source}:${t.recordId}`, t.personId]));
  const recordsOf = new Map<string, string[]>();
  for (const [key, person] of personOf) recordsOf.set(person, [...(recordsOf.get(person) ?? []), key]);
  const groups = new Map<string, { kind: string; people: string[] }>();
  for (const person of sample.persons) {
    if (person.hardCase === 'none') continue;
    const group = groups.get(person.hardGroup) ?? { kind: person.hardCase, people: [] };
    group.people.push(person.personId);
    groups.set(person.hardGroup, group);
  }
  let pairs = 0;
  let merged = 0;
  const mergedByKind: Record<string, number> = {};
  for (const group of groups.values())
    for (let i = 0; i < group.people.length; i++)
      for (let j = i + 1; j < group.people.length; j++) {
        const a = (recordsOf.get(group.people[i]) ?? []).map((key) => clusterOf.get(key));
        const b = new Set((recordsOf.get(group.people[j]) ?? []).map((key) => clusterOf.get(key)));
        if (a.length === 0 || b.size === 0) continue;
        pairs++;
        if (a.some((cluster) => b.has(cluster))) {
          merged++;
          mergedByKind[group.kind] = (mergedByKind[group.kind] ?? 0) + 1;
        }
      }
  return { pairs, keptApart: pairs - merged, rate: pairs === 0 ? 1 : (pairs - merged) / pairs, mergedByKind };
}
