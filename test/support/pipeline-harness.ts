import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SourceInput } from '../../lambdas/pipeline/contracts';
import type { PipelineDeps, PipelineSettings } from '../../lambdas/pipeline/deps';
import { pipelineDepsFromEnvironment } from '../../lambdas/pipeline/deps-from-environment';
import { generateSample, type SampleData } from '../../scripts/sample';
import { startHarness, type Harness } from '../storage/local-harness';

const EXAMPLES = resolve(__dirname, '..', '..', 'examples', 'sample');

/** Real local servers plus a generated sample uploaded to the input bucket, ready for a run. */
export interface PipelineHarness {
  harness: Harness;
  deps: PipelineDeps;
  sample: SampleData;
  sources: SourceInput[];
  dispose(): Promise<void>;
}

export async function startPipelineHarness(
  people: number,
  seed: number,
  settings: Partial<PipelineSettings> = {},
): Promise<PipelineHarness> {
  const harness = await startHarness();
  const sample = generateSample({ seed, people });
  const deps = pipelineDepsFromEnvironment(harness.env, { asOf: sample.options.asOf, ...settings });
  const bucket = deps.buckets.input;
  const sources: SourceInput[] = [];
  for (const [name, csv] of [
    ['telco', sample.telcoCsv],
    ['satellite', sample.satelliteCsv],
  ] as const) {
    await deps.objects.putText({ bucket, key: `sample/${name}.csv` }, csv, 'text/csv');
    await deps.objects.putText(
      { bucket, key: `sample/${name}.mapping.json` },
      readFileSync(resolve(EXAMPLES, `${name}.mapping.json`), 'utf8'),
      'application/json',
    );
    sources.push({ name, uri: `s3://${bucket}/sample/${name}.csv`, mappingUri: `s3://${bucket}/sample/${name}.mapping.json` });
  }
  return { harness, deps, sample, sources, dispose: () => harness.dispose() };
}
