import type { UnifiedProfile } from '../core/model/profile';
import type { RejectedRow } from '../core/model/record';
import type { PipelineDeps } from './deps';
import { readNdjson } from './ndjson';
import { workKeys } from './work-keys';
import type { RunPlan } from './stages/plan';

/** Streams every published profile of a run from its work files, in chunk order. */
export async function* runProfiles(deps: PipelineDeps, runId: string): AsyncGenerator<UnifiedProfile> {
  const bucket = deps.buckets.work;
  for (const key of await deps.objects.list(bucket, workKeys.profilesPrefix(runId)))
    yield* readNdjson<UnifiedProfile>(deps.objects, { bucket, key });
}

/** Streams every rejected row of a run, source by source. */
export async function* runRejects(deps: PipelineDeps, plan: RunPlan): AsyncGenerator<RejectedRow> {
  for (const result of plan.ingested)
    yield* readNdjson<RejectedRow>(deps.objects, { bucket: deps.buckets.work, key: result.rejectsKey });
}
