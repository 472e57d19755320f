import type {
  ChunkRef,
  CompareResult,
  DistributeEvent,
  DistributeResult,
  IngestEvent,
  IngestResult,
  PartitionRef,
  PublishResult,
  RouteEvent,
  RouteResult,
  ScoreResult,
} from '../contracts';
import type { PipelineDeps } from '../deps';
import { comparePartition } from '../stages/compare';
import { distributeSource } from '../stages/distribute';
import { ingestSource } from '../stages/ingest';
import { publishChunk } from '../stages/publish';
import { routeSource } from '../stages/route';
import { scorePartition } from '../stages/score';

/**
 * The map-stage jobs a worker thread can run: exactly the stage functions the Lambda handlers run, on the same
 * small payloads (run id, keys, counts), so a job gives the same output in a worker, in the main thread or in Lambda.
 */
export interface StageJobs {
  ingest: { event: IngestEvent; result: IngestResult };
  route: { event: RouteEvent; result: RouteResult };
  compare: { event: PartitionRef; result: CompareResult };
  score: { event: PartitionRef; result: ScoreResult };
  distribute: { event: DistributeEvent; result: DistributeResult };
  publish: { event: ChunkRef; result: PublishResult };
}

export type StageJobKind = keyof StageJobs;

export const STAGE_JOBS: { [K in StageJobKind]: (deps: PipelineDeps, event: StageJobs[K]['event']) => Promise<StageJobs[K]['result']> } = {
  ingest: ingestSource,
  route: routeSource,
  compare: comparePartition,
  score: scorePartition,
  distribute: distributeSource,
  publish: publishChunk,
};
