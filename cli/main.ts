import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { CrmMergeError, MappingError, InputFileError, NotFoundError, ConfigurationError } from '../lambdas/core/errors';
import { withContext, PROJECT_ROOT, type CliContext } from './context';
import { EXIT, formatPercent, printJson, printLine, UsageError } from './output';
import { checkSourcesHaveMappings, parseNamed, runMerge } from './commands/run';
import { exportMembers, resolveRunId } from './commands/export-members';
import { locateReport } from './commands/report';
import { downloadReport } from './commands/download-report';
import { findProfiles, printProfile } from './commands/profile';
import { screenFile } from './commands/screen';
import { registerServe } from './commands/serve';
import { registerForget } from './commands/forget';
import { registerResume } from './commands/resume';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof MappingError || error instanceof InputFileError || error instanceof ConfigurationError) return EXIT.badInput;
  if (error instanceof NotFoundError) return EXIT.notFound;
  return EXIT.failure;
}

async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('crm-merge')
    .description('Merge two companies\' customer exports into one unified, consent-safe profile per person.')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('run')
    .description('run a merge of two or more sources and print the run id and a summary')
    .requiredOption('--source <NAME=PATH_OR_S3_URI>', 'a source CSV (repeat for each source)', collect, [])
    .requiredOption('--mapping <NAME=MAPPING.json>', 'the mapping of a source (repeat for each source)', collect, [])
    .option('--as-of <DATE>', 'the date the run treats as today for staleness (YYYY-MM-DD)')
    .option('--concurrency <N>', 'partitions processed at once', (v) => Number.parseInt(v, 10), 2)
    .option('--json', 'print the summary as JSON')
    .action(async (options: { source: string[]; mapping: string[]; asOf?: string; concurrency: number; json?: boolean }) => {
      const sources = parseNamed(options.source, '--source');
      const mappings = parseNamed(options.mapping, '--mapping');
      checkSourcesHaveMappings(sources, mappings);
      await withContext(
        async ({ deps }) => {
          const { outcome, summary } = await runMerge(deps, sources, mappings, { concurrency: options.concurrency, progress: !options.json });
          if (options.json) return printJson({ ...summary, timings: outcome.timings, reportPrefix: outcome.reportPrefix });
          printLine(`run ${summary.runId} succeeded`);
          printLine(`  rows read ${summary.rowsRead}, rejected ${summary.rowsRejected}, in profiles ${summary.rowsInProfiles}`);
          printLine(`  profiles ${summary.profiles}; people in more than one company ${summary.peopleInSeveralCompanies}`);
          printLine(`  within-company duplicates merged ${summary.withinCompanyDuplicatesMerged}; opted out ${summary.optedOut}; stale ${summary.stale}`);
          printLine(`  report: crm-merge report --run ${summary.runId}`);
        },
        options.asOf ? { asOf: options.asOf } : {},
      );
    });

  const exportCommand = program.command('export').description('export run data');
  exportCommand
    .command('members')
    .description('write source,record_id,profile_id for every input row that is in a profile')
    .requiredOption('--run <RUN>', 'run id, or "latest" for the active run')
    .requiredOption('--out <FILE>', 'output CSV file')
    .option('--json', 'print the result as JSON')
    .action(async (options: { run: string; out: string; json?: boolean }) =>
      withContext(async ({ deps }) => {
        const runId = await resolveRunId(deps, options.run);
        const rows = await exportMembers(deps, runId, resolve(options.out));
        if (options.json) printJson({ runId, rows, out: resolve(options.out) });
        else printLine(`wrote ${rows} members of run ${runId} to ${resolve(options.out)}`);
      }),
    );

  program
    .command('profile')
    .description('look up unified profiles of the active run')
    .addOption(new Option('--email <EMAIL>', 'by email'))
    .addOption(new Option('--phone <PHONE>', 'by phone (any format)'))
    .addOption(new Option('--name <NAME>', 'by name ("First Last")'))
    .option('--postcode <ZIP>', 'narrow a name search to a postcode')
    .option('--id <PROFILE_ID>', 'by profile id')
    .option('--json', 'print profiles as JSON')
    .action(async (options: { email?: string; phone?: string; name?: string; postcode?: string; id?: string; json?: boolean }) =>
      withContext(async ({ deps }) => {
        const profiles = await findProfiles(deps, options);
        if (options.json) return printJson(profiles);
        if (profiles.length === 0) {
          printLine('no matching profile');
          process.exitCode = EXIT.notFound;
        }
        for (const profile of profiles) printProfile(profile);
      }),
    );

  program
    .command('screen')
    .description('screen a campaign list against the unified profiles: adds suppress, reasons, profile_id, match_probability')
    .argument('<LIST.csv>', 'the campaign target list')
    .requiredOption('--mapping <MAPPING.json>', 'mapping of the list\'s columns')
    .requiredOption('--out <OUT.csv>', 'output CSV')
    .option('--campaign <KIND>', 'switch | winback | offer:PRODUCT', 'switch')
    .option('--suppress-review', 'also suppress possible matches below the match threshold (default: mail them with a "check" reason)')
    .option('--json', 'print the summary as JSON')
    .action(async (list: string, options: { mapping: string; out: string; campaign: string; suppressReview?: boolean; json?: boolean }) =>
      withContext(async (context: CliContext) => {
        const summary = await screenFile(
          context.deps,
          resolve(list),
          resolve(options.mapping),
          resolve(options.out),
          options.campaign,
          options.suppressReview ? 'suppress' : 'report',
        );
        if (options.json) return printJson(summary);
        printLine(`screened ${summary.rows} rows against run ${summary.runId}: ${summary.suppressed} suppressed, ${summary.rejected} rejected`);
        for (const [reason, count] of Object.entries(summary.reasons)) printLine(`  ${reason}: ${count}`);
        printLine(`wrote ${resolve(options.out)}`);
      }),
    );

  program
    .command('report')
    .description('show where a run\'s match report files are (copied locally on the embedded default)')
    .requiredOption('--run <RUN>', 'run id, or "latest"')
    .option('--out <DIR>', 'where to copy the files (embedded default: .crm-merge/reports/RUN)')
    .option('--json', 'print as JSON')
    .action(async (options: { run: string; out?: string; json?: boolean }) =>
      withContext(async ({ deps, mode }) => {
        const runId = await resolveRunId(deps, options.run);
        if (mode === 'embedded' || options.out) {
          const directory = resolve(options.out ?? resolve(PROJECT_ROOT, '.crm-merge', 'reports', runId));
          const files = await downloadReport(deps, runId, directory);
          if (options.json) return printJson({ runId, directory, files });
          printLine(`report of run ${runId}:`);
          for (const file of files) printLine(`  ${file}`);
          return;
        }
        const location = await locateReport(deps, runId);
        if (options.json) return printJson(location);
        printLine(`report of run ${runId} (links valid 15 minutes):`);
        for (const file of location.files) printLine(`  ${file.name}: ${file.uri}\n    ${file.url}`);
      }),
    );

  program
    .command('runs')
    .description('list recent runs')
    .option('--limit <N>', 'how many', (v) => Number.parseInt(v, 10), 10)
    .option('--json', 'print as JSON')
    .action(async (options: { limit: number; json?: boolean }) =>
      withContext(async ({ deps }) => {
        const runs = await deps.runs.recent(options.limit);
        const active = await deps.profiles.activeRunId();
        if (options.json) return printJson({ active, runs });
        for (const run of runs)
          printLine(`${run.runId}  ${run.status.padEnd(9)} ${run.stage.padEnd(9)} ${run.startedAt}${run.runId === active ? '  (active)' : ''}`);
      }),
    );

  registerServe(program);
  registerResume(program);
  registerForget(program);

  await program.parseAsync(argv);
}

main(process.argv).catch((error: unknown) => {
  const name = (error as { code?: string }).code;
  if (name === 'commander.helpDisplayed' || name === 'commander.version') return;
  if (name?.startsWith('commander.')) {
    process.exitCode = EXIT.usage;
    return;
  }
  const message = error instanceof CrmMergeError || error instanceof UsageError ? `${error.name}: ${error.message}` : error instanceof Error ? error.message : String(error);
  process.stderr.write(`crm-merge: ${message}\n`);
  process.exitCode = exitCodeFor(error);
});

export { formatPercent };
