import { clusterRecords, type RefusedLink, type WeightedLink } from '../../core/matching/cluster';
import type { CustomerRecord } from '../../core/model/record';
import { profileIdFor } from '../../core/profiles/profile-id';
import { hashString } from '../../core/random';
import type { ChunkRef, ClusterEvent, ClusterResult } from '../contracts';
import type { PipelineDeps } from '../deps';
import { NdjsonWriter, readNdjson } from '../ndjson';
import { workKeys } from '../work-keys';
import { loadPlan } from './compare';
import type { LinkLine } from './score';

/** A record routed to its publish chunk with the profile it belongs to. */
export interface ChunkLine {
  profileId: string;
  record: CustomerRecord;
}

export interface ClusterSummary {
  records: number;
  clusters: number;
  links: number;
  reviewPairs: number;
  clearlyDifferentPairs: number;
  /** Cluster size -> number of clusters of that size. */
  sizes: Record<string, number>;
  refused: { a: string; b: string; weight: number; reason: RefusedLink['reason'] }[];
}

/**
 * Cluster: the one stage that sees all links at once (memory ~ records + links, stated in the README).
 * Joins links into people, assigns stable profile ids and routes every record to its publish chunk.
 */
export async function clusterRun(deps: PipelineDeps, event: ClusterEvent): Promise<ClusterResult> {
  const { runId } = event;
  const bucket = deps.buckets.work;
  const plan = await loadPlan(deps, runId);
  const recordKeys = plan.sources.map((source) => workKeys.records(runId, source));
  const keys: string[] = [];
  const indexOf = new Map<string, number>();
  for (const key of recordKeys)
    for await (const record of readNdjson<CustomerRecord>(deps.objects, { bucket, key })) {
      indexOf.set(record.key, keys.length);
      keys.push(record.key);
    }
  const links: WeightedLink[] = [];
  const apart: [number, number][] = [];
  let reviewPairs = 0;
  for (const key of await deps.objects.list(bucket, workKeys.linksPrefix(runId)))
    for await (const line of readNdjson<LinkLine>(deps.objects, { bucket, key })) {
      const left = indexOf.get(line.a) as number;
      const right = indexOf.get(line.b) as number;
      if (line.kind === 'link') links.push({ left, right, weight: line.weight });
      else if (line.kind === 'apart') apart.push([left, right]);
      else reviewPairs++;
    }
  const { clusters, refused } = clusterRecords(keys.length, links, apart, deps.settings.link.cluster);
  const profileOf = new Array<string>(keys.length);
  const sizes: Record<string, number> = {};
  for (const cluster of clusters) {
    const id = profileIdFor(cluster.map((i) => keys[i]));
    for (const i of cluster) profileOf[i] = id;
    sizes[cluster.length] = (sizes[cluster.length] ?? 0) + 1;
  }
  const chunkCount = Math.max(1, Math.ceil(clusters.length / deps.settings.profilesPerChunk));
  const writers = Array.from(
    { length: chunkCount },
    (_, k) => new NdjsonWriter(deps.objects, { bucket, key: workKeys.chunk(runId, k) }),
  );
  try {
    for (const key of recordKeys)
      for await (const record of readNdjson<CustomerRecord>(deps.objects, { bucket, key })) {
        const profileId = profileOf[indexOf.get(record.key) as number];
        await writers[hashString(profileId) % chunkCount].write({ profileId, record } satisfies ChunkLine);
      }
  } finally {
    await Promise.all(writers.map((writer) => writer.close()));
  }
  const summary: ClusterSummary = {
    records: keys.length,
    clusters: clusters.length,
    links: links.length,
    reviewPairs,
    clearlyDifferentPairs: apart.length,
    sizes,
    refused: refused.map((r) => ({ a: keys[r.left], b: keys[r.right], weight: r.weight, reason: r.reason })),
  };
  await deps.objects.putText({ bucket, key: workKeys.clusterSummary(runId) }, JSON.stringify(summary), 'application/json');
  const chunks: ChunkRef[] = writers.map((_, chunk) => ({ runId, chunk, key: workKeys.chunk(runId, chunk) }));
  return { runId, clusters: clusters.length, chunks };
}
