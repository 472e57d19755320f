import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { generateSampleToDir } from '../../scripts/sample';

/**
 * The CLI as a user runs it: `node bin/crm-merge.js …` in a child process, on the embedded default (its own
 * dynalite and s3rver per command, data kept in a temporary CRM_MERGE_DATA_DIR so a later command sees the last run).
 */
const ROOT = resolve(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'crm-merge.js');
const EXAMPLES = join(ROOT, 'examples', 'sample');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

let work: string;
let sampleDir: string;

function cli(...args: string[]): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd: work,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, CRM_MERGE_DATA_DIR: join(work, 'data') },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

const sourceArgs = (): string[] => [
  '--source',
  `telco=${join(sampleDir, 'telco.csv')}`,
  '--mapping',
  `telco=${join(EXAMPLES, 'telco.mapping.json')}`,
  '--source',
  `satellite=${join(sampleDir, 'satellite.csv')}`,
  '--mapping',
  `satellite=${join(EXAMPLES, 'satellite.mapping.json')}`,
];

function csvRows(path: string): Record<string, string>[] {
  return parse(readFileSync(path, 'utf8'), { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'crm-merge-cli-'));
  sampleDir = join(work, 'sample');
  generateSampleToDir({ seed: 11, people: 120 }, sampleDir);
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('crm-merge CLI', () => {
  it('prints help for the program and every command, with exit code 0', async () => {
    const top = await cli('--help');
    expect(top.code).toBe(0);
    for (const command of ['run', 'export', 'profile', 'screen', 'report', 'runs', 'resume', 'forget', 'serve']) {
      expect(top.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
    const run = await cli('run', '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--source');
    expect(run.stdout).toContain('--json');
  });

  it('exits 2 on a usage error (a required option missing, an unknown command)', async () => {
    const missing = await cli('run', '--source', `telco=${join(sampleDir, 'telco.csv')}`);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--mapping/);
    const unknown = await cli('frobnicate');
    expect(unknown.code).toBe(2);
  });

  it('exits 3 before any work when a mapping names a column the file lacks', async () => {
    const result = await cli(
      'run',
      '--source',
      `telco=${join(sampleDir, 'telco.csv')}`,
      '--mapping',
      `telco=${join(ROOT, 'test', 'fixtures', 'pipeline', 'missing-column.mapping.json')}`,
      '--source',
      `satellite=${join(sampleDir, 'satellite.csv')}`,
      '--mapping',
      `satellite=${join(EXAMPLES, 'satellite.mapping.json')}`,
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/MappingError/);
    expect(result.stderr).toMatch(/telco/);
    const runs = await cli('runs', '--json');
    expect(JSON.parse(runs.stdout).active).toBeNull();
  });

  it('runs a merge, then looks up, exports, screens and reports on it from later commands', async () => {
    const run = await cli('run', ...sourceArgs(), '--json');
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as { runId: string; rowsRead: number; rowsRejected: number; rowsInProfiles: number; rowsErased: number; profiles: number };
    expect(summary.rowsRead).toBeGreaterThan(100);
    expect(summary.rowsInProfiles + summary.rowsRejected + summary.rowsErased).toBe(summary.rowsRead);
    expect(summary.profiles).toBeGreaterThan(0);

    const runs = JSON.parse((await cli('runs', '--json')).stdout) as { active: string; runs: { runId: string; status: string }[] };
    expect(runs.active).toBe(summary.runId);
    expect(runs.runs.find((r) => r.runId === summary.runId)?.status).toBe('succeeded');

    const membersFile = join(work, 'members.csv');
    const exported = await cli('export', 'members', '--run', 'latest', '--out', membersFile, '--json');
    expect(exported.code).toBe(0);
    const members = csvRows(membersFile);
    expect(members).toHaveLength(summary.rowsInProfiles);
    expect(Object.keys(members[0] ?? {})).toEqual(['source', 'record_id', 'profile_id']);
    expect(new Set(members.map((m) => m.profile_id)).size).toBe(summary.profiles);

    // A telco customer with a valid email: their profile is found by id and again by the email (any case).
    const telco = csvRows(join(sampleDir, 'telco.csv'));
    const withEmail = telco.find((row) => /^[^@\s]+@[a-z0-9.-]+\.[a-z]+$/i.test(row.email ?? '') && members.some((m) => m.source === 'telco' && m.record_id === row.customer_id));
    expect(withEmail).toBeDefined();
    const profileId = members.find((m) => m.source === 'telco' && m.record_id === withEmail!.customer_id)!.profile_id;
    const byId = JSON.parse((await cli('profile', '--id', profileId, '--json')).stdout) as { profileId: string; members: { source: string; recordId: string }[] }[];
    expect(byId).toHaveLength(1);
    expect(byId[0]!.members).toContainEqual(expect.objectContaining({ source: 'telco', recordId: withEmail!.customer_id }));
    const byEmail = JSON.parse((await cli('profile', '--email', ` ${withEmail!.email!.toUpperCase()} `, '--json')).stdout) as { profileId: string }[];
    expect(byEmail.map((p) => p.profileId)).toContain(profileId);

    const nobody = await cli('profile', '--email', 'nobody-at-all@example.invalid');
    expect(nobody.code).toBe(4);
    expect(nobody.stdout).toContain('no matching profile');

    const screened = join(work, 'screened.csv');
    const screen = await cli('screen', join(sampleDir, 'campaign.csv'), '--mapping', join(EXAMPLES, 'campaign.mapping.json'), '--out', screened, '--json');
    expect(screen.code).toBe(0);
    const screenSummary = JSON.parse(screen.stdout) as { rows: number; suppressed: number; runId: string };
    expect(screenSummary.runId).toBe(summary.runId);
    const out = csvRows(screened);
    const list = csvRows(join(sampleDir, 'campaign.csv'));
    expect(out).toHaveLength(list.length);
    expect(out.filter((row) => row.suppress === 'true')).toHaveLength(screenSummary.suppressed);
    for (const row of out.filter((r) => r.suppress === 'true')) expect(row.reasons).not.toBe('');

    const reportDir = join(work, 'report');
    const report = await cli('report', '--run', 'latest', '--out', reportDir, '--json');
    expect(report.code).toBe(0);
    for (const file of ['summary.json', 'matches.csv', 'members.csv', 'rejects.csv', 'report.html']) expect(existsSync(join(reportDir, file))).toBe(true);
    const reportSummary = JSON.parse(readFileSync(join(reportDir, 'summary.json'), 'utf8')) as { runId?: string };
    expect(JSON.stringify(reportSummary)).toContain(summary.runId);

    const missingRun = await cli('report', '--run', 'run-that-never-was');
    expect(missingRun.code).toBe(4);
  });
});
