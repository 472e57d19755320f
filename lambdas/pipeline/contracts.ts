/**
 * Payloads passed between pipeline stages (Step Functions states in AWS, function calls in the CLI).
 * They carry only run ids, S3 keys and counts, never customer values, so execution history holds no PII.
 */

export interface SourceInput {
  /** Source name, [a-z0-9_-]{1,40}; also the prefix of record keys. */
  name: string;
  /** s3://bucket/key of the CSV export. */
  uri: string;
  /** s3://bucket/key of the mapping JSON. */
  mappingUri: string;
}

export interface RunInput {
  runId: string;
  sources: SourceInput[];
}

export interface IngestEvent {
  runId: string;
  source: SourceInput;
}

export interface IngestResult {
  source: string;
  company: string;
  /** Identifier names the source's mapping declares (comparisons and blocking rules depend on them). */
  identifiers: string[];
  rowsRead: number;
  rowsRejected: number;
  recordsKey: string;
  rejectsKey: string;
}

export interface PlanEvent {
  runId: string;
  ingested: IngestResult[];
}

/** One bounded slice of records sharing blocking keys; a Distributed Map item. */
export interface PartitionRef {
  runId: string;
  partition: number;
  /** Prefix of the partition's files: one part per source, written by that source's route job. */
  key: string;
}

/** One source to route into the partitions; a Map item after Plan. */
export interface RouteEvent {
  runId: string;
  source: string;
}

export interface RouteResult {
  source: string;
  records: number;
  /** Partition lines written: each record once per partition owning one of its blocks (copies, see route.ts). */
  lines: number;
  /**
   * Per rule (by name) and block size, the source's records in blocks not routed because an earlier block holds the
   * same records (see route.ts): a block is counted by each of its records, so the run's sum over sources for a size
   * is that many times its count.
   */
  duplicateBlocks: Record<string, Record<string, number>>;
}

export interface PlanResult {
  runId: string;
  records: number;
  routes: RouteEvent[];
  partitions: PartitionRef[];
}

export interface CompareResult {
  partition: number;
  pairs: number;
  /** The partition's lines (record copies) read. */
  records: number;
}

export interface TrainEvent {
  runId: string;
}

export interface TrainResult {
  runId: string;
  modelKey: string;
  matchWeightThreshold: number;
}

export interface ScoreResult {
  partition: number;
  links: number;
  reviewPairs: number;
}

export interface ClusterEvent {
  runId: string;
}

/** A chunk of clusters to turn into profiles and publish; a Distributed Map item. */
export interface ChunkRef {
  runId: string;
  chunk: number;
  /** Prefix of the chunk's files: one part per source, written by that source's distribute job. */
  key: string;
}

/** One source whose records go to their profiles' publish chunks; a Map item after Cluster. */
export interface DistributeEvent {
  runId: string;
  source: string;
  /** How many publish chunks the run has (a profile's chunk is chunkOf(profileId, chunks)). */
  chunks: number;
}

export interface DistributeResult {
  source: string;
  /** Records copied into a chunk (the source's records less those of erased people). */
  records: number;
}

export interface ClusterResult {
  runId: string;
  clusters: number;
  /** One item per source, in the plan's order. */
  distributions: DistributeEvent[];
  chunks: ChunkRef[];
}

export interface PublishResult {
  chunk: number;
  profiles: number;
}

export interface ReportEvent {
  runId: string;
}

export interface ReportResult {
  runId: string;
  reportPrefix: string;
}

export interface FinalizeEvent {
  runId: string;
  /**
   * Milliseconds per stage so far (the local runner knows them): written with the succeeded status, finalize's own
   * time added, so a reader never sees a succeeded run with a stage's timing missing.
   */
  timings?: Record<string, number>;
}

export interface FinalizeResult {
  runId: string;
  status: 'succeeded';
}

export interface MarkFailedEvent {
  runId: string;
  /** The Catch's error object ({ Error, Cause }) from Step Functions. */
  error: { Error?: string; Cause?: string };
}

/** The names of the pipeline stages, in order; also the Lambda handler file names under lambdas/handlers/. */
export const STAGES = [
  'ingest',
  'plan',
  'route',
  'compare',
  'train',
  'score',
  'cluster',
  'distribute',
  'publish',
  'report',
  'finalize',
  'mark-failed',
] as const;
export type StageName = (typeof STAGES)[number];
