/** Layout of a run's work files in the work bucket. Only these keys travel between stages. */
export const workKeys = {
  prefix: (runId: string) => `runs/${runId}/`,
  records: (runId: string, source: string) => `runs/${runId}/records/${source}.ndjson`,
  /** The comparison view of each record (toFeatures), line for line beside the records file. */
  features: (runId: string, source: string) => `runs/${runId}/features/${source}.ndjson`,
  /** Each record's key (a JSON string), line for line: what cluster reads of every record when no one is erased. */
  keys: (runId: string, source: string) => `runs/${runId}/keys/${source}.ndjson`,
  /** What the report reads of each record (report-values.ts), line for line beside the records file. */
  reportValues: (runId: string, source: string) => `runs/${runId}/report-values/${source}.ndjson`,
  /** Each record's raw block keys and refine values (blocking-inputs.ts), line for line. */
  blockingInputs: (runId: string, source: string) => `runs/${runId}/blocking/${source}.ndjson`,
  /** The source's block-key counts (KeyCounts bytes) and term counts, added up by plan instead of re-reading. */
  blockCounts: (runId: string, source: string) => `runs/${runId}/blocking/${source}.counts.bin`,
  sourceTermFrequencies: (runId: string, source: string) => `runs/${runId}/blocking/${source}.terms.json`,
  rejects: (runId: string, source: string) => `runs/${runId}/rejects/${source}.ndjson`,
  plan: (runId: string) => `runs/${runId}/model/plan.json`,
  /** The run's counts of keys shared by two or more records (with member sums) and of partition tokens, for route. */
  sharedBlockCounts: (runId: string) => `runs/${runId}/model/shared-block-counts.bin`,
  termFrequencies: (runId: string) => `runs/${runId}/model/term-frequencies.json`,
  model: (runId: string) => `runs/${runId}/model/model.json`,
  /** Prefix of a partition's parts (PartitionRef.key). */
  partition: (runId: string, partition: number) => `runs/${runId}/partitions/${pad(partition)}/`,
  /** The lines one source's route job wrote to a partition; compare reads the parts in the plan's source order. */
  partitionPart: (runId: string, partition: number, source: string) => `runs/${runId}/partitions/${pad(partition)}/${source}.ndjson`,
  /** A partition's parts in the order its lines are read: the plan's source order (one pass over the sources). */
  partitionParts: (runId: string, partition: number, sources: readonly string[]) =>
    sources.map((source) => workKeys.partitionPart(runId, partition, source)),
  /**
   * Written last by a source's route job: its parts all exist and hold every record of the source. The parts alone
   * cannot say so, since a failed job still closes (completes) the uploads it had open.
   */
  routed: (runId: string, source: string) => `runs/${runId}/routed/${source}.json`,
  pairs: (runId: string, partition: number) => `runs/${runId}/pairs/${pad(partition)}.bin`,
  /** What score needs of a partition's records (keys, term-frequency values), so it never re-reads the partition. */
  pairRecords: (runId: string, partition: number) => `runs/${runId}/pairs/${pad(partition)}.records.json`,
  histogram: (runId: string, partition: number) => `runs/${runId}/histograms/${pad(partition)}.json`,
  links: (runId: string, partition: number) => `runs/${runId}/links/${pad(partition)}.ndjson`,
  /** The kept pairs of a partition as cluster reads them ([kind, a, b, weight]): the links without what the report needs. */
  edges: (runId: string, partition: number) => `runs/${runId}/edges/${pad(partition)}.ndjson`,
  edgesPrefix: (runId: string) => `runs/${runId}/edges/`,
  clusterSummary: (runId: string) => `runs/${runId}/clusters/summary.json`,
  /** Per record of a source, line for line beside its records file: its profile id, or null (an erased person). */
  assignments: (runId: string, source: string) => `runs/${runId}/clusters/assignments/${source}.ndjson`,
  /** Prefix of a publish chunk's parts (ChunkRef.key). */
  chunk: (runId: string, chunk: number) => `runs/${runId}/chunks/${pad(chunk)}/`,
  /** The records one source's distribute job wrote to a chunk; publish reads the parts in the plan's source order. */
  chunkPart: (runId: string, chunk: number, source: string) => `runs/${runId}/chunks/${pad(chunk)}/${source}.ndjson`,
  chunkParts: (runId: string, chunk: number, sources: readonly string[]) =>
    sources.map((source) => workKeys.chunkPart(runId, chunk, source)),
  /** Written last by a source's distribute job (see `routed`). */
  distributed: (runId: string, source: string) => `runs/${runId}/distributed/${source}.json`,
  profiles: (runId: string, chunk: number) => `runs/${runId}/profiles/${pad(chunk)}.ndjson`,
  profilesPrefix: (runId: string) => `runs/${runId}/profiles/`,
  /** Beside a profiles file (`profiles`), its profiles' members alone: what the report, finalize and carry-over read. */
  profileMembersOf: (profilesKey: string) => profilesKey.replace(/\/profiles\/([^/]+)$/, '/profile-members/$1'),
  profileMembersPrefix: (runId: string) => `runs/${runId}/profile-members/`,
  linksPrefix: (runId: string) => `runs/${runId}/links/`,
  histogramsPrefix: (runId: string) => `runs/${runId}/histograms/`,
};

export const reportKeys = {
  prefix: (runId: string) => `reports/${runId}/`,
  file: (runId: string, name: string) => `reports/${runId}/${name}`,
};

function pad(n: number): string {
  return String(n).padStart(5, '0');
}
