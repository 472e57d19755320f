import { assignProfileIds, PreviousMembership } from '../../lambdas/pipeline/carry-over';
import { profileIdFor } from '../../lambdas/core/profiles/profile-id';

/** The id rules of carry-over.ts on small hand-made memberships (the real-run test is in faults.test.ts). */
describe('assignProfileIds', () => {
  it('gives a first run the derived ids', () => {
    const { ids, carriedOver } = assignProfileIds([['a:1', 'b:2'], ['a:3']], new Map());
    expect(ids).toEqual([profileIdFor(['a:1', 'b:2']), profileIdFor(['a:3'])]);
    expect(carriedOver).toBe(0);
  });

  it('keeps the id of the previous profile sharing the most members, even when its id-giving record left', () => {
    const previous = new Map([
      ['a:1', 'P-old'],
      ['a:2', 'P-old'],
      ['a:3', 'P-old'],
    ]);
    expect(assignProfileIds([['a:2', 'a:3']], previous).ids).toEqual(['P-old']);
  });

  it('hands a previous id to one cluster only: the one sharing more members; the other gets its derived id', () => {
    const previous = new Map([
      ['a:1', 'P-old'],
      ['a:2', 'P-old'],
      ['a:3', 'P-old'],
    ]);
    const { ids } = assignProfileIds([['a:1'], ['a:2', 'a:3']], previous);
    expect(ids).toEqual([profileIdFor(['a:1']), 'P-old']);
  });

  it('breaks a tie for the cluster whose derived id is the previous id, so a re-run of the same input changes nothing', () => {
    const derived = profileIdFor(['a:1']);
    const previous = new Map([
      ['a:1', derived],
      ['a:2', derived],
    ]);
    // Split in two: both share one member; the cluster holding a:1 derives exactly the previous id.
    expect(assignProfileIds([['a:2'], ['a:1']], previous).ids).toEqual([profileIdFor(['a:2']), derived]);
    expect(assignProfileIds([['a:1'], ['a:2']], previous).ids).toEqual([derived, profileIdFor(['a:2'])]);
  });

  it('a merged person takes the id of the larger previous profile, then the smaller id on a tie', () => {
    const previous = new Map([
      ['a:1', 'P-b'],
      ['a:2', 'P-a'],
      ['a:3', 'P-a'],
    ]);
    expect(assignProfileIds([['a:1', 'a:2', 'a:3']], previous).ids).toEqual(['P-a']);
    const tie = new Map([
      ['a:1', 'P-b'],
      ['a:2', 'P-a'],
    ]);
    expect(assignProfileIds([['a:1', 'a:2']], tie).ids).toEqual(['P-a']);
  });

  it('never reuses a previous id for a cluster that shares no member with it', () => {
    const taken = profileIdFor(['z:9']);
    // The previous run used the id z:9 derives for a person z:9 is not part of any more.
    const previous = new Map([['y:1', taken]]);
    const { ids } = assignProfileIds([['z:9']], previous);
    expect(ids[0]).not.toBe(taken);
    expect(ids[0]).toMatch(/^P[0-9a-f]{16}$/);
    expect(assignProfileIds([['z:9']], previous).ids).toEqual(ids);
  });

  it('with one derived id taken among many clusters, only that cluster gets a variant; all others keep their own', () => {
    const clusters = Array.from({ length: 50 }, (_, i) => [`c:${i}`, `d:${i}`]);
    const derived = clusters.map((keys) => profileIdFor(keys));
    const clean = assignProfileIds(clusters, new Map());
    expect(clean.ids).toEqual(derived);
    // The previous run gave cluster 7's derived id to someone no longer in it.
    const { ids } = assignProfileIds(clusters, new Map([['y:1', derived[7]]]));
    expect(ids.filter((id, i) => id !== derived[i])).toEqual([ids[7]]);
    expect(ids[7]).toMatch(/^P[0-9a-f]{16}$/);
    expect(new Set(ids).size).toBe(clusters.length);
  });

  it('gives the same ids from the previous run read into a PreviousMembership as from a Map of it', () => {
    const previous = new Map<string, string>();
    const membership = new PreviousMembership();
    // 3,000 previous records in 1,000 profiles, one record listed twice (the last listing wins in both).
    for (let i = 0; i < 3_000; i++) previous.set(`a:${i}`, `P-${Math.floor(i / 3)}`);
    previous.set('a:5', 'P-999');
    for (const [key, id] of [...previous].sort()) membership.add(key, id);
    membership.add('a:5', 'P-999');
    expect(membership.size).toBe(previous.size);
    expect([...previous.keys()].map((key) => membership.get(key))).toEqual([...previous.values()]);
    expect(membership.get('b:1')).toBeUndefined();
    expect(new Set(membership.values())).toEqual(new Set(previous.values()));
    // New clusters cut across the old ones (pairs against the old threes), and 200 are new people.
    const clusters = Array.from({ length: 1_200 }, (_, c) => (c < 1_000 ? [`a:${c * 2}`, `a:${c * 2 + 1}`] : [`b:${c}`]));
    const withMap = assignProfileIds(clusters, previous);
    expect(withMap.carriedOver).toBeGreaterThan(500);
    expect(assignProfileIds(clusters, membership)).toEqual(withMap);
  });
});
