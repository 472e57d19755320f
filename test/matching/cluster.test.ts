import { clusterRecords, type WeightedLink } from '../../lambdas/core/matching/cluster';
import { seededRandom } from '../../lambdas/core/random';

/** Connected components by search: what clusterRecords gives when no cap or clearly different pair refuses a link. */
function components(count: number, links: readonly WeightedLink[]): number[][] {
  const neighbours = Array.from({ length: count }, () => [] as number[]);
  for (const { left, right } of links) {
    neighbours[left].push(right);
    neighbours[right].push(left);
  }
  const seen = new Uint8Array(count);
  const result: number[][] = [];
  for (let start = 0; start < count; start++) {
    if (seen[start]) continue;
    const members: number[] = [];
    const stack = [start];
    seen[start] = 1;
    while (stack.length > 0) {
      const record = stack.pop() as number;
      members.push(record);
      for (const next of neighbours[record])
        if (!seen[next]) {
          seen[next] = 1;
          stack.push(next);
        }
    }
    result.push(members.sort((a, b) => a - b));
  }
  return result;
}

describe('clusterRecords', () => {
  it('lists every record once, clusters ordered by their smallest member and members in order, singletons included', () => {
    const links: WeightedLink[] = [
      { left: 5, right: 1, weight: 9 },
      { left: 4, right: 6, weight: 8 },
      { left: 6, right: 0, weight: 7 },
    ];
    expect(clusterRecords(7, links, []).clusters).toEqual([[0, 4, 6], [1, 5], [2], [3]]);
  });

  it('gives the connected components of the links when nothing refuses one', () => {
    const random = seededRandom(3);
    const count = 3_000;
    const links = Array.from({ length: 1_800 }, () => ({ left: random.int(count), right: random.int(count), weight: random.int(20) }));
    const { clusters, refused } = clusterRecords(count, links, [], { maxClusterSize: count });
    expect(refused).toEqual([]);
    expect(clusters).toEqual(components(count, links));
  });

  it('refuses a join that would pass the size cap or bring clearly different records together, strongest links first', () => {
    const links: WeightedLink[] = [
      { left: 0, right: 1, weight: 10 },
      { left: 1, right: 2, weight: 9 },
      { left: 2, right: 3, weight: 8 },
      { left: 4, right: 5, weight: 7 },
      { left: 5, right: 6, weight: 6 },
    ];
    const { clusters, refused } = clusterRecords(7, links, [[4, 6]], { maxClusterSize: 3 });
    expect(clusters).toEqual([[0, 1, 2], [3], [4, 5], [6]]);
    expect(refused).toEqual([
      { left: 2, right: 3, weight: 8, reason: 'cluster size cap' },
      { left: 5, right: 6, weight: 6, reason: 'clearly different members' },
    ]);
  });
});
