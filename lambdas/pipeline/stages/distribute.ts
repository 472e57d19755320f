import type { CustomerRecord } from '../../core/model/record';
import { hashString } from '../../core/random';
import type { DistributeEvent, DistributeResult } from '../contracts';
import type { PipelineDeps } from '../deps';
import { lineForLine, MANY_UPLOADS_BUFFERING, NdjsonWriter, readNdjsonLineBytes, readNdjsonLines } from '../ndjson';
import { workKeys } from '../work-keys';

/** A record in its publish chunk, with the profile it belongs to. */
export interface ChunkLine {
  profileId: string;
  record: CustomerRecord;
}

/** The publish chunk of a profile; forget uses it to find the profile file holding a profile. */
export function chunkOf(profileId: string, chunkCount: number): number {
  return hashString(profileId) % chunkCount;
}

/**
 * Distribute one source: a streaming pass over its records file and its assignments (cluster's profile id per
 * record, line for line) copies each assigned record's bytes, neither parsed nor decoded, into its profile's publish
 * chunk. Writes one part per chunk, empty or not, then the source's `distributed` marker (what a resumed run
 * checks). Holds no records: memory is the chunks' upload buffers.
 */
export async function distributeSource(deps: PipelineDeps, event: DistributeEvent): Promise<DistributeResult> {
  const { runId, source, chunks } = event;
  const bucket = deps.buckets.work;
  const writers = Array.from(
    { length: chunks },
    (_, chunk) => new NdjsonWriter(deps.objects, { bucket, key: workKeys.chunkPart(runId, chunk, source) }, MANY_UPLOADS_BUFFERING),
  );
  let copied = 0;
  try {
    const pairs = lineForLine(
      readNdjsonLineBytes(deps.objects, { bucket, key: workKeys.records(runId, source) }),
      readNdjsonLines(deps.objects, { bucket, key: workKeys.assignments(runId, source) }),
      { lines: 'its records', beside: `assignments of source "${source}"` },
    );
    for await (const [bytes, assignment] of pairs) {
      const profileId = JSON.parse(assignment) as string | null;
      // Records of erased people have no profile.
      if (profileId === null) continue;
      copied++;
      // The same text as JSON.stringify({ profileId, record } satisfies ChunkLine): the line is the id's JSON.
      await writers[chunkOf(profileId, chunks)].writeLineParts(`{"profileId":${assignment},"record":`, bytes, '}');
    }
  } finally {
    await Promise.all(writers.map((writer) => writer.close()));
  }
  const result: DistributeResult = { source, records: copied };
  await deps.objects.putText({ bucket, key: workKeys.distributed(runId, source) }, JSON.stringify(result), 'application/json');
  return result;
}
