import { Option, type Command } from 'commander';
import { forgetPerson, type ForgetResult } from '../../lambdas/pipeline/forget';
import { withContext } from '../context';
import { printJson, printLine } from '../output';

/**
 * `crm-merge forget --email E | --phone P | --id PROFILE_ID`: the right to erasure (logic in
 * lambdas/pipeline/forget.ts). Prints profile ids and counts, never the person's data.
 */
export function registerForget(program: Command): void {
  program
    .command('forget')
    .description('erase a person: remove their profile from every run and keep hashed tombstones so later runs leave them out')
    .addOption(new Option('--email <EMAIL>', 'by email'))
    .addOption(new Option('--phone <PHONE>', 'by phone (any format)'))
    .addOption(new Option('--id <PROFILE_ID>', 'by profile id'))
    .option('--phone-region <CC>', 'region of a phone number without country code', 'US')
    .option('--json', 'print the result as JSON')
    .action(async (options: { email?: string; phone?: string; id?: string; phoneRegion: string; json?: boolean }) =>
      withContext(async ({ deps }) => {
        const result = await forgetPerson(deps, options);
        if (options.json) return printJson(result);
        printForgotten(result);
      }),
    );
}

function printForgotten(result: ForgetResult): void {
  if (result.removed.length === 0) printLine('no stored profile matched');
  for (const run of result.removed) printLine(`removed ${run.profileIds.join(', ')} from run ${run.runId}`);
  printLine(`stored ${result.tombstones} tombstone(s): later runs and screening leave this person out`);
}
