import type { ClusterSummary } from '../../lambdas/pipeline/stages/cluster';
import { chunkOf, distributeSource, type ChunkLine } from '../../lambdas/pipeline/stages/distribute';
import { loadPlan } from '../../lambdas/pipeline/stages/compare';
import { readNdjson, readNdjsonLines } from '../../lambdas/pipeline/ndjson';
import { runPipeline } from '../../lambdas/pipeline/run-pipeline';
import { workKeys } from '../../lambdas/pipeline/work-keys';
import type { CustomerRecord } from '../../lambdas/core/model/record';
import { startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';

/**
 * The distribute stage on the real local servers: cluster's assignments (a profile id per record, line for line)
 * turned into publish chunks, one part per source, every assigned record exactly once and in its profile's chunk;
 * a records file and assignments that disagree are refused without a marker, so a resumed run does the source again.
 */

let h: PipelineHarness;
const runId = 'distributed';
const bucket = (): string => h.deps.buckets.work;

beforeAll(async () => {
  h = await startPipelineHarness(150, 11, { profilesPerChunk: 40 });
  await runPipeline(h.deps, { runId, sources: h.sources }, { concurrency: 2, stopAfter: 'distribute' });
});
afterAll(async () => h.dispose());

async function lines(key: string): Promise<string[]> {
  const found: string[] = [];
  for await (const line of readNdjsonLines(h.deps.objects, { bucket: bucket(), key })) found.push(line);
  return found;
}

async function chunkLines(key: string): Promise<ChunkLine[]> {
  const found: ChunkLine[] = [];
  for await (const line of readNdjson<ChunkLine>(h.deps.objects, { bucket: bucket(), key })) found.push(line);
  return found;
}

it('copies every record of a source, in order, into the chunk of the profile its assignment names', async () => {
  const { sources } = await loadPlan(h.deps, runId);
  const summary = JSON.parse(await h.deps.objects.getText({ bucket: bucket(), key: workKeys.clusterSummary(runId) })) as ClusterSummary;
  expect(summary.chunks).toBeGreaterThanOrEqual(3);
  for (const source of sources) {
    const records = (await lines(workKeys.records(runId, source))).map((line) => JSON.parse(line) as CustomerRecord);
    const assigned = (await lines(workKeys.assignments(runId, source))).map((line) => JSON.parse(line) as string | null);
    expect(assigned).toHaveLength(records.length);
    // Cluster read the keys file, line for line beside the records (ingest wrote both).
    const keys = (await lines(workKeys.keys(runId, source))).map((line) => JSON.parse(line) as string);
    expect(keys).toEqual(records.map((record) => `${record.source}:${record.recordId}`));
    // Each chunk's part holds exactly the records assigned to its profiles, in the records file's order.
    for (let chunk = 0; chunk < summary.chunks; chunk++) {
      const expected = records
        .map((record, i) => ({ profileId: assigned[i], record }))
        .filter((line): line is ChunkLine => line.profileId !== null && chunkOf(line.profileId, summary.chunks) === chunk);
      expect(await chunkLines(workKeys.chunkPart(runId, chunk, source))).toEqual(expected);
    }
    const marker = JSON.parse(await h.deps.objects.getText({ bucket: bucket(), key: workKeys.distributed(runId, source) })) as unknown;
    expect(marker).toEqual({ source, records: assigned.filter((id) => id !== null).length });
  }
  // Every chunk folder holds one part per source and nothing else.
  const keys = await h.deps.objects.list(bucket(), `${workKeys.prefix(runId)}chunks/`);
  expect(keys.sort()).toEqual(
    Array.from({ length: summary.chunks }, (_, chunk) => workKeys.chunkParts(runId, chunk, sources)).flat().sort(),
  );
});

it('leaves out records assigned no profile (erased people) and refuses assignments that do not match the records', async () => {
  const [source] = (await loadPlan(h.deps, runId)).sources;
  const records = await lines(workKeys.records(runId, source));
  const assigned = await lines(workKeys.assignments(runId, source));
  const copy = async (target: string, assignments: string[]): Promise<void> => {
    await h.deps.objects.putText({ bucket: bucket(), key: workKeys.records(target, source) }, `${records.join('\n')}\n`, 'application/x-ndjson');
    await h.deps.objects.putText({ bucket: bucket(), key: workKeys.assignments(target, source) }, `${assignments.join('\n')}\n`, 'application/x-ndjson');
  };
  const erased = 'distributed-erased';
  await copy(erased, ['null', ...assigned.slice(1)]);
  await expect(distributeSource(h.deps, { runId: erased, source, chunks: 2 })).resolves.toEqual({ source, records: records.length - 1 });
  const kept = [...(await chunkLines(workKeys.chunkPart(erased, 0, source))), ...(await chunkLines(workKeys.chunkPart(erased, 1, source)))];
  expect(kept).toHaveLength(records.length - 1);
  expect(kept.map((line) => line.record)).not.toContainEqual(JSON.parse(records[0]));

  const short = 'distributed-short';
  await copy(short, assigned.slice(1));
  await expect(distributeSource(h.deps, { runId: short, source, chunks: 2 })).rejects.toThrow(`assignments of source "${source}" end before its records`);
  const long = 'distributed-long';
  await copy(long, [...assigned, 'null']);
  await expect(distributeSource(h.deps, { runId: long, source, chunks: 2 })).rejects.toThrow(`assignments of source "${source}" outnumber its records`);
  // No marker for a refused source: a resumed run distributes it again.
  for (const target of [short, long]) expect(await h.deps.objects.exists({ bucket: bucket(), key: workKeys.distributed(target, source) })).toBe(false);
});
