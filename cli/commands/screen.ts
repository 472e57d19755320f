import { createReadStream, createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { MappingError } from '../../lambdas/core/errors';
import { parseMapping } from '../../lambdas/core/model/mapping';
import type { PipelineDeps } from '../../lambdas/pipeline/deps';
import { parseCampaign, screenCsv, type ScreenSummary } from '../../lambdas/pipeline/screen-list';

export async function screenFile(
  deps: PipelineDeps,
  listPath: string,
  mappingPath: string,
  outPath: string,
  campaign: string,
  reviewBand: 'report' | 'suppress' = 'report',
): Promise<ScreenSummary> {
  const parsedCampaign = parseCampaign(campaign);
  let document: unknown;
  try {
    document = JSON.parse(await readFile(mappingPath, 'utf8'));
  } catch (error) {
    throw new MappingError(`cannot read mapping file ${mappingPath} as JSON`, { cause: error });
  }
  const mapping = parseMapping(document, `mapping file ${mappingPath}`);
  const out = createWriteStream(outPath);
  const summary = await screenCsv(deps, createReadStream(listPath), mapping, parsedCampaign, async (text) => {
    if (!out.write(text)) await once(out, 'drain');
  }, { reviewBand, candidates: 'index' });
  out.end();
  await once(out, 'finish');
  return summary;
}
