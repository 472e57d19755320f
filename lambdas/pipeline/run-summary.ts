import type { PipelineDeps } from './deps';
import { accountRows, RowsInProfiles, type SourceAccount } from './accounting';
import { runErased } from './erased-counts';
import { runProfiles } from './run-files';
import { loadPlan } from './stages/compare';

/** The headline numbers of a run, as the CLI and the API print them. */
export interface RunSummary {
  runId: string;
  rowsRead: number;
  rowsRejected: number;
  rowsInProfiles: number;
  /** Rows of people erased on request (left out on purpose). */
  rowsErased: number;
  profiles: number;
  /** People who are customers (current or former) of more than one company. */
  peopleInSeveralCompanies: number;
  /** Extra records of one person within one company that were merged into that person's profile. */
  withinCompanyDuplicatesMerged: number;
  optedOut: number;
  stale: number;
  sources: SourceAccount[];
}

export async function summariseRun(deps: PipelineDeps, runId: string): Promise<RunSummary> {
  const plan = await loadPlan(deps, runId);
  const inProfiles = new RowsInProfiles();
  let peopleInSeveralCompanies = 0;
  let withinCompanyDuplicatesMerged = 0;
  let optedOut = 0;
  let stale = 0;
  for await (const profile of runProfiles(deps, runId)) {
    inProfiles.add(profile);
    const perCompany = new Map<string, number>();
    for (const member of profile.members) perCompany.set(member.company, (perCompany.get(member.company) ?? 0) + 1);
    if (perCompany.size > 1) peopleInSeveralCompanies++;
    for (const n of perCompany.values()) withinCompanyDuplicatesMerged += n - 1;
    if (profile.consent.optedOut) optedOut++;
    if (profile.stale) stale++;
  }
  const sources = accountRows(plan.ingested, inProfiles, await runErased(deps, runId));
  return {
    runId,
    rowsRead: sources.reduce((s, a) => s + a.rowsRead, 0),
    rowsRejected: sources.reduce((s, a) => s + a.rowsRejected, 0),
    rowsInProfiles: sources.reduce((s, a) => s + a.rowsInProfiles, 0),
    rowsErased: sources.reduce((s, a) => s + (a.rowsErased ?? 0), 0),
    profiles: inProfiles.profiles,
    peopleInSeveralCompanies,
    withinCompanyDuplicatesMerged,
    optedOut,
    stale,
    sources,
  };
}
