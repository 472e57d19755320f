import { buildProfile } from '../../core/profiles/build-profile';
import type { CustomerRecord } from '../../core/model/record';
import type { UnifiedProfile } from '../../core/model/profile';
import type { ChunkRef, PublishResult } from '../contracts';
import type { PipelineDeps } from '../deps';
import { readNdjson } from '../ndjson';
import { writeProfileFiles } from '../profile-files';
import { workKeys } from '../work-keys';
import type { ChunkLine } from './distribute';
import { loadPlan } from './compare';

/**
 * Publish one chunk: build each profile from its member records by the survivorship rules and write it to the
 * profile store under this run (invisible until finalize flips the active-run pointer) and to the work bucket
 * (for exports and the report; see profile-files.ts).
 */
export async function publishChunk(deps: PipelineDeps, ref: ChunkRef): Promise<PublishResult> {
  const bucket = deps.buckets.work;
  const plan = await loadPlan(deps, ref.runId);
  const members = new Map<string, CustomerRecord[]>();
  for (const key of workKeys.chunkParts(ref.runId, ref.chunk, plan.sources))
    for await (const line of readNdjson<ChunkLine>(deps.objects, { bucket, key })) {
      const list = members.get(line.profileId);
      if (list) list.push(line.record);
      else members.set(line.profileId, [line.record]);
    }
  const profiles: UnifiedProfile[] = [...members.keys()].sort().map((profileId) =>
    buildProfile({
      profileId,
      runId: ref.runId,
      members: members.get(profileId) as CustomerRecord[],
      options: { asOf: plan.asOf, staleAfterDays: deps.settings.staleAfterDays, sourcePriority: plan.sources },
    }),
  );
  await deps.profiles.putProfiles(ref.runId, profiles);
  await writeProfileFiles(deps, workKeys.profiles(ref.runId, ref.chunk), profiles);
  return { chunk: ref.chunk, profiles: profiles.length };
}
