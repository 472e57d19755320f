/**
 * npm run demo: generate two companies' sample exports with ground truth, run a whole merge on the embedded default
 * (real s3rver and dynalite on 127.0.0.1), screen the sample campaign list, and print what happened, with
 * precision and recall computed from the truth file.
 *
 *   npm run demo -- [--people 5000] [--seed 7]
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readCsvText } from '../lambdas/core/ingest/csv-reader';
import { withContext, PROJECT_ROOT } from '../cli/context';
import { runMerge } from '../cli/commands/run';
import { screenFile } from '../cli/commands/screen';
import { downloadReport } from '../cli/commands/download-report';
import { formatPercent } from '../cli/output';
import { generateSample, writeSample } from './sample';
import { evaluateRun, evaluateScreening } from './sample-evaluation';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { people: { type: 'string', default: '5000' }, seed: { type: 'string', default: '7' } },
  });
  const people = Number(values.people);
  const seed = Number(values.seed);
  const sampleDir = resolve(PROJECT_ROOT, '.crm-merge', 'sample');
  const examples = resolve(PROJECT_ROOT, 'examples', 'sample');

  console.log(`1/4 generating sample data for ${people} people (seed ${seed}) in ${sampleDir}`);
  const sample = generateSample({ seed, people });
  writeSample(sampleDir, sample);
  console.log(`    telco.csv ${sample.stats.telcoRows} rows, satellite.csv ${sample.stats.satelliteRows} rows, campaign.csv ${sample.stats.campaignRows} rows`);

  await withContext(
    async ({ deps, dataDir }) => {
      console.log(`2/4 merging on the embedded default (local S3 and DynamoDB, data in ${dataDir})`);
      const { summary, outcome } = await runMerge(
        deps,
        new Map([
          ['telco', resolve(sampleDir, 'telco.csv')],
          ['satellite', resolve(sampleDir, 'satellite.csv')],
        ]),
        new Map([
          ['telco', resolve(examples, 'telco.mapping.json')],
          ['satellite', resolve(examples, 'satellite.mapping.json')],
        ]),
        { concurrency: 2, progress: true },
      );
      const scores = await evaluateRun(deps, summary.runId, sample.truth);
      console.log(`\nrun ${summary.runId} succeeded in ${(Object.values(outcome.timings).reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s`);
      console.log(`  rows in                           ${summary.rowsRead}`);
      console.log(`  rows rejected                     ${summary.rowsRejected}`);
      console.log(`  rows in profiles                  ${summary.rowsInProfiles}`);
      console.log(`  profiles                          ${summary.profiles}`);
      console.log(`  people found in both companies    ${summary.peopleInSeveralCompanies}`);
      console.log(`  within-company duplicates merged  ${summary.withinCompanyDuplicatesMerged}`);
      console.log(`  opted out anywhere                ${summary.optedOut}`);
      console.log(`  stale profiles                    ${summary.stale}`);
      console.log(`  precision (pairwise, vs truth)    ${scores.precision.toFixed(4)}`);
      console.log(`  recall    (pairwise, vs truth)    ${scores.recall.toFixed(4)}`);
      console.log(`  F1                                ${scores.f1.toFixed(4)}`);

      console.log(`3/4 screening campaign.csv for a "switch to us" mailing`);
      const screenedPath = resolve(PROJECT_ROOT, '.crm-merge', 'campaign-screened.csv');
      const screened = await screenFile(deps, resolve(sampleDir, 'campaign.csv'), resolve(examples, 'campaign.mapping.json'), screenedPath, 'switch');
      const suppressedByLead = new Map<string, boolean>();
      for (const event of readCsvText(readFileSync(screenedPath), { delimiter: ',', encoding: 'utf-8', trim: false }))
        if (event.kind === 'row') suppressedByLead.set(event.values.lead_id, event.values.suppress === 'true');
      const screening = evaluateScreening(suppressedByLead, sample.campaignTruth);
      console.log(`  ${screened.rows} targets, ${screened.suppressed} suppressed`);
      for (const [reason, count] of Object.entries(screened.reasons)) console.log(`    ${reason.padEnd(28)} ${count}`);
      console.log(`  existing customers that would still be mailed: ${screening.customersMailed} of ${screening.customers} (${formatPercent(screening.leakRate)})`);
      console.log(`  prospects wrongly suppressed: ${screening.mailableSuppressed} of ${screening.mailable} (${formatPercent(screening.wrongSuppressionRate)})`);
      console.log(`  opted-out people that would be mailed: ${screening.optedOutMailed} of ${screening.optedOut}`);
      console.log(`  screened list: ${screenedPath}`);

      console.log(`4/4 match report`);
      const files = await downloadReport(deps, summary.runId, resolve(PROJECT_ROOT, '.crm-merge', 'reports', summary.runId));
      for (const file of files) console.log(`  ${file}`);
    },
    { asOf: sample.options.asOf },
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exitCode = 1;
});
