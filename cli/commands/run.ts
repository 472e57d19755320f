import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import { MappingError } from '../../lambdas/core/errors';
import { parseMapping } from '../../lambdas/core/model/mapping';
import type { SourceInput } from '../../lambdas/pipeline/contracts';
import type { PipelineDeps } from '../../lambdas/pipeline/deps';
import { runPipeline, type RunOutcome } from '../../lambdas/pipeline/run-pipeline';
import { summariseRun, type RunSummary } from '../../lambdas/pipeline/run-summary';
import { parseS3Uri, s3Uri } from '../../lambdas/storage/object-store';
import { Progress, UsageError } from '../output';

/** `NAME=VALUE` pairs from repeated options. */
export function parseNamed(values: readonly string[], option: string): Map<string, string> {
  const named = new Map<string, string>();
  for (const value of values) {
    const at = value.indexOf('=');
    if (at <= 0 || at === value.length - 1) throw new UsageError(`${option} expects NAME=VALUE, got "${value}"`);
    const name = value.slice(0, at);
    if (named.has(name)) throw new UsageError(`${option} names "${name}" twice`);
    named.set(name, value.slice(at + 1));
  }
  return named;
}

/** Every --source has exactly one --mapping and the other way round (checked before any server starts). */
export function checkSourcesHaveMappings(sources: ReadonlyMap<string, string>, mappings: ReadonlyMap<string, string>): void {
  for (const name of mappings.keys())
    if (!sources.has(name)) throw new UsageError(`--mapping names source "${name}", which no --source gives`);
  for (const name of sources.keys())
    if (!mappings.has(name)) throw new UsageError(`source "${name}" has no --mapping ${name}=MAPPING.json`);
  if (sources.size < 2) throw new UsageError('a merge needs at least two sources (--source NAME=FILE, repeated)');
}

export function newRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `run-${stamp}-${randomBytes(3).toString('hex')}`;
}

/**
 * Puts local inputs in the input bucket (S3 URIs are used where they are). A local mapping is validated before
 * anything is uploaded, so a broken mapping fails in a second.
 */
export async function stageSources(
  deps: PipelineDeps,
  runId: string,
  sources: Map<string, string>,
  mappings: Map<string, string>,
): Promise<SourceInput[]> {
  checkSourcesHaveMappings(sources, mappings);
  const staged: SourceInput[] = [];
  for (const [name, location] of sources) {
    const mappingLocation = mappings.get(name);
    if (mappingLocation === undefined) throw new MappingError(`source "${name}" has no --mapping ${name}=MAPPING.json`);
    let mappingUri = mappingLocation;
    if (!parseS3Uri(mappingLocation)) {
      const text = await readFile(mappingLocation, 'utf8').catch((error: unknown) => {
        throw new MappingError(`cannot read mapping file ${mappingLocation}`, { cause: error });
      });
      let document: unknown;
      try {
        document = JSON.parse(text);
      } catch (error) {
        throw new MappingError(`mapping file ${mappingLocation} is not valid JSON`, { cause: error });
      }
      parseMapping(document, `mapping file ${mappingLocation}`);
      const ref = { bucket: deps.buckets.input, key: `inputs/${runId}/${name}.mapping.json` };
      await deps.objects.putText(ref, text, 'application/json');
      mappingUri = s3Uri(ref);
    }
    let uri = location;
    if (!parseS3Uri(location)) {
      await stat(location).catch((error: unknown) => {
        throw new MappingError(`cannot read input file ${location}`, { cause: error });
      });
      const ref = { bucket: deps.buckets.input, key: `inputs/${runId}/${name}/${basename(location)}` };
      await deps.objects.putStream(ref, createReadStream(location), 'text/csv');
      uri = s3Uri(ref);
    }
    staged.push({ name, uri, mappingUri });
  }
  return staged;
}

export interface RunCommandResult {
  outcome: RunOutcome;
  summary: RunSummary;
}

export async function runMerge(
  deps: PipelineDeps,
  sources: Map<string, string>,
  mappings: Map<string, string>,
  options: { concurrency: number; progress: boolean },
): Promise<RunCommandResult> {
  const runId = newRunId(deps.now());
  const staged = await stageSources(deps, runId, sources, mappings);
  const progress = new Progress(options.progress && process.stderr.isTTY === true);
  const outcome = await runPipeline(deps, { runId, sources: staged }, {
    concurrency: options.concurrency,
    onProgress: ({ stage, done, total }) => progress.update(stage, done, total),
  });
  return { outcome, summary: await summariseRun(deps, runId) };
}
