import { CrmMergeError } from '../../core/errors';
import { clusterRecords, type RefusedLink, type WeightedLink } from '../../core/matching/cluster';
import { decodeFeatures } from '../../core/matching/features-codec';
import { StringIndex } from '../../core/string-index';
import { assignProfileIds, previousMembership } from '../carry-over';
import type { ClusterEvent, ClusterResult } from '../contracts';
import type { PipelineDeps } from '../deps';
import { countBySource, recordErased, type ErasedCounts } from '../erased-counts';
import { NdjsonWriter, readNdjson, readNdjsonLines } from '../ndjson';
import { loadTombstones } from '../tombstones';
import { workKeys } from '../work-keys';
import { loadPlan } from './compare';
import type { EdgeLine } from './score';

export interface ClusterSummary {
  records: number;
  clusters: number;
  links: number;
  reviewPairs: number;
  clearlyDifferentPairs: number;
  /** Cluster size -> number of clusters of that size. */
  sizes: Record<string, number>;
  refused: { a: string; b: string; weight: number; reason: RefusedLink['reason'] }[];
  /** Publish chunks written (a resumed run rebuilds the chunk list from this). */
  chunks: number;
  /** The run whose profile ids were carried over, and how many clusters kept one. */
  previousRun: string | null;
  carriedOver: number;
  /** People left out because they asked to be erased, and their rows per source. */
  erasedProfiles: number;
  erasedRows: ErasedCounts;
}

/** The distribute items and publish chunks of a run (also rebuilt from the summary when a run resumes). */
export function distributionOf(runId: string, sources: readonly string[], chunks: number): Pick<ClusterResult, 'distributions' | 'chunks'> {
  return {
    distributions: sources.map((source) => ({ runId, source, chunks })),
    chunks: Array.from({ length: chunks }, (_, chunk) => ({ runId, chunk, key: workKeys.chunk(runId, chunk) })),
  };
}

/**
 * Cluster: the one stage that sees all links at once (memory ~ records + links, stated in the README).
 * Joins links into people, leaves out people who asked to be erased (any member matching a tombstone drops the whole
 * person, so a record of theirs without the erased email cannot bring them back), assigns profile ids (carried over
 * from the previous active run, see carry-over.ts) and writes each source's assignments: per record, its profile id,
 * or null for erased people. The distribute jobs then copy every assigned record into its profile's publish chunk.
 */
export async function clusterRun(deps: PipelineDeps, event: ClusterEvent): Promise<ClusterResult> {
  const { runId } = event;
  const bucket = deps.buckets.work;
  const plan = await loadPlan(deps, runId);
  // Every record of the run, numbered in the order read: a StringIndex, since a Map stops at 2^24 keys.
  const keys = new StringIndex(plan.records);
  const tombstones = await loadTombstones(deps);
  const erasedRecords = new Set<number>();
  // Without tombstones only the keys files are read; with them the features files (each record's key, emails and
  // phones in far fewer bytes than the records), to find the erased people's records.
  const recordsPerSource = new Map<string, number>();
  for (const source of plan.sources) {
    const first = keys.size;
    const file = { bucket, key: tombstones.size === 0 ? workKeys.keys(runId, source) : workKeys.features(runId, source) };
    for await (const line of readNdjsonLines(deps.objects, file)) {
      let key: string;
      if (tombstones.size === 0) key = JSON.parse(line) as string;
      else {
        const record = decodeFeatures(line, keys.size);
        key = record.key;
        if (tombstones.matches({ emails: record.emails, phones: record.phones, recordKeys: [key] })) erasedRecords.add(keys.size);
      }
      if (keys.add(key) !== keys.size - 1)
        throw new CrmMergeError(`source "${source}" repeats a record key on line ${keys.size - first + 1} of its work files`);
    }
    recordsPerSource.set(source, keys.size - first);
  }
  const links: WeightedLink[] = [];
  const apart: [number, number][] = [];
  let reviewPairs = 0;
  for (const key of await deps.objects.list(bucket, workKeys.edgesPrefix(runId)))
    for await (const [kind, a, b, weight] of readNdjson<EdgeLine>(deps.objects, { bucket, key })) {
      const left = keys.indexOf(a);
      const right = keys.indexOf(b);
      if (left === -1 || right === -1) throw new CrmMergeError(`edges file ${key} names a record no source of the run has`);
      if (kind === 'link') links.push({ left, right, weight });
      else if (kind === 'apart') apart.push([left, right]);
      else reviewPairs++;
    }
  const { clusters: all, refused } = clusterRecords(keys.size, links, apart, deps.settings.link.cluster);
  const erasedRows: ErasedCounts = {};
  const clusters = all.filter((cluster) => {
    if (!cluster.some((i) => erasedRecords.has(i))) return true;
    countBySource(cluster.map((i) => ({ source: keys.at(i).slice(0, keys.at(i).indexOf(':')) })), erasedRows);
    return false;
  });
  const previous = await previousMembership(deps, runId);
  const { ids, carriedOver } = assignProfileIds(
    clusters.map((cluster) => cluster.map((i) => keys.at(i))),
    previous.profileOf,
  );
  // Records of erased people keep no profile id, so the routing below leaves them out.
  const profileOf = new Array<string | undefined>(keys.size);
  const sizes: Record<string, number> = {};
  clusters.forEach((cluster, c) => {
    for (const i of cluster) profileOf[i] = ids[c];
    sizes[cluster.length] = (sizes[cluster.length] ?? 0) + 1;
  });
  // Written even when empty, so a re-run of this stage replaces the counts of an earlier attempt.
  await recordErased(deps, runId, 'cluster', erasedRows);
  const chunkCount = Math.max(1, Math.ceil(clusters.length / deps.settings.profilesPerChunk));
  // Keys were read in the records files' order (the keys and features files are line for line beside them): line i
  // of a source's assignments is its record i. The distribute jobs copy the records into chunks, one job per source,
  // off this single job's clock.
  let index = 0;
  for (const [source, count] of recordsPerSource) {
    const writer = new NdjsonWriter(deps.objects, { bucket, key: workKeys.assignments(runId, source) });
    try {
      for (const end = index + count; index < end; index++) {
        const profileId = profileOf[index];
        await writer.writeLine(profileId === undefined ? 'null' : JSON.stringify(profileId));
      }
    } finally {
      await writer.close();
    }
  }
  const summary: ClusterSummary = {
    records: keys.size,
    clusters: clusters.length,
    links: links.length,
    reviewPairs,
    clearlyDifferentPairs: apart.length,
    sizes,
    refused: refused.map((r) => ({ a: keys.at(r.left), b: keys.at(r.right), weight: r.weight, reason: r.reason })),
    chunks: chunkCount,
    previousRun: previous.runId,
    carriedOver,
    erasedProfiles: all.length - clusters.length,
    erasedRows,
  };
  await deps.objects.putText({ bucket, key: workKeys.clusterSummary(runId) }, JSON.stringify(summary), 'application/json');
  return { runId, clusters: clusters.length, ...distributionOf(runId, plan.sources, chunkCount) };
}
