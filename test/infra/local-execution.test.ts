import { StateMachine, type RunOptions, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { END_STATES, TASK_STATES, synthesizedDefinition, type TaskStateName } from '../../infra/constructs/pipeline-state-machine';
import type { UnifiedProfile } from '../../lambdas/core/model/profile';
import type { RunInput, SourceInput, StageName } from '../../lambdas/pipeline/contracts';
import type { PipelineDeps } from '../../lambdas/pipeline/deps';
import { pipelineDepsFromEnvironment } from '../../lambdas/pipeline/deps-from-environment';
import { runPipeline } from '../../lambdas/pipeline/run-pipeline';
import { runProfiles } from '../../lambdas/pipeline/run-files';
import type { RunRecord } from '../../lambdas/storage/profile-store';
import { startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';
import { createTestApp, logicalId } from './support';

/**
 * The state machine definition CDK synthesises, executed by aws-local-stepfunctions with every Task state bound to the
 * REAL Lambda handler of its stage (lambdas/handlers/<stage>.ts, as the stack bundles it) against real local S3
 * (s3rver) and DynamoDB (dynalite). The handlers build their dependencies from process.env exactly as in Lambda, so the
 * harness's environment is put in process.env before any handler module is loaded or called.
 */

type Handler = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>[string];
type Execution = ReturnType<StateMachine['run']>;
type EventLog = Execution['eventLogs'] extends AsyncGenerator<infer E> ? E : never;
type LocalInput = Parameters<StateMachine['run']>[0];

const { stack } = createTestApp();
const definition = synthesizedDefinition(stack, { logicalId: logicalId(stack.pipeline.stateMachine) });

/** The run record as the API and the CLI create it before any stage runs. */
function runningRecord(runId: string, sources: SourceInput[], now: Date): RunRecord {
  return {
    runId,
    status: 'running',
    stage: 'ingest',
    startedAt: now.toISOString(),
    finishedAt: null,
    clientToken: null,
    sources,
    counts: {},
    timings: {},
    error: null,
    reportPrefix: null,
  };
}

async function memberLines(deps: PipelineDeps, runId: string): Promise<string[]> {
  const lines: string[] = [];
  for await (const profile of runProfiles(deps, runId))
    for (const member of profile.members) lines.push(`${member.source},${member.recordId},${profile.profileId}`);
  return lines.sort();
}

/** A run's profiles without the run id, by profile id. */
async function profilesOf(deps: PipelineDeps, runId: string): Promise<Omit<UnifiedProfile, 'runId'>[]> {
  const profiles: Omit<UnifiedProfile, 'runId'>[] = [];
  for await (const { runId: owner, ...profile } of runProfiles(deps, runId)) {
    expect(owner).toBe(runId);
    profiles.push(profile);
  }
  return profiles.sort((a, b) => a.profileId.localeCompare(b.profileId));
}

describe('the synthesized state machine run locally with the real stage handlers on local S3 and DynamoDB', () => {
  let h: PipelineHarness;
  /** Dependencies exactly as the CLI builds them from the same environment (no test-only settings). */
  let deps: PipelineDeps;
  let handlers: Record<TaskStateName, Handler>;
  const invoked: TaskStateName[] = [];
  /** Handler calls still running: a failed Map iteration ends the Map while its siblings still run (as in AWS). */
  const inFlight = new Set<Promise<unknown>>();
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    h = await startPipelineHarness(200, 23);
    // Before any handler is loaded: the handlers validate and cache the environment on their first call.
    for (const key of Object.keys(process.env)) if (key.startsWith('CRM_MERGE_')) delete process.env[key];
    Object.assign(process.env, h.harness.env);
    deps = pipelineDepsFromEnvironment(h.harness.env);
    const byStage = new Map<StageName, Handler>();
    for (const stage of new Set(Object.values(TASK_STATES))) {
      const module = (await import(`../../lambdas/handlers/${stage}`)) as { handler: (event: unknown) => Promise<unknown> };
      byStage.set(stage, module.handler as unknown as Handler);
    }
    handlers = Object.fromEntries(
      (Object.keys(TASK_STATES) as TaskStateName[]).map((state) => {
        const real = byStage.get(TASK_STATES[state]) as Handler;
        const bound: Handler = (event) => {
          invoked.push(state);
          const call = Promise.resolve(real(event));
          inFlight.add(call);
          void call.then(
            () => inFlight.delete(call),
            () => inFlight.delete(call),
          );
          return call;
        };
        return [state, bound];
      }),
    ) as Record<TaskStateName, Handler>;
    // The handlers' one log line per invocation (stage, run id, ms) is not this test's subject.
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });

  afterAll(async () => {
    await h?.dispose();
    jest.restoreAllMocks();
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
  });

  /** Creates the run record (status running), then executes the definition; resolves with the output or the error. */
  async function execute(input: RunInput): Promise<{ output?: unknown; error?: Error; states: string[] }> {
    await deps.runs.create(runningRecord(input.runId, input.sources, deps.now()));
    invoked.length = 0;
    const execution = new StateMachine(definition as unknown as StateMachineDefinition).run(input as unknown as LocalInput, {
      overrides: { taskResourceLocalHandlers: handlers },
    });
    const events = (async () => {
      const all: EventLog[] = [];
      for await (const event of execution.eventLogs) all.push(event);
      return all;
    })();
    const outcome = await execution.result.then(
      (output) => ({ output }),
      (error: Error) => ({ error }),
    );
    // Let sibling Map iterations of a failed one finish before the next execution (or the servers' shutdown).
    await Promise.allSettled([...inFlight]);
    const states = (await events).flatMap((event) => (event.type === 'StateEntered' ? [event.state.name] : []));
    return { ...outcome, states };
  }

  let cliRunId: string;
  let sfnRunId: string;

  it('succeeds, activates the run and publishes the same profiles as the CLI path (runPipeline) on the same input', async () => {
    cliRunId = (await runPipeline(deps, { runId: 'cli-run', sources: h.sources }, { concurrency: 2 })).runId;
    expect(await deps.profiles.activeRunId()).toBe(cliRunId);

    sfnRunId = 'sfn-run';
    const { output, error, states } = await execute({ runId: sfnRunId, sources: h.sources });
    expect(error).toBeUndefined();

    // Every stage ran through its Task state, in order, and no failure path was taken.
    expect(states.filter((name, i, all) => all.indexOf(name) === i)).toEqual([
      'IngestSources',
      'Ingest',
      'Plan',
      'RouteSources',
      'Route',
      'ComparePartitions',
      'Compare',
      'Train',
      'ScorePartitions',
      'Score',
      'Cluster',
      'DistributeSources',
      'Distribute',
      'PublishChunks',
      'Publish',
      'Report',
      'Finalize',
      END_STATES.succeeded,
    ]);
    expect(invoked.filter((state) => state === 'Ingest')).toHaveLength(h.sources.length);
    expect(invoked.filter((state) => state === 'Route')).toHaveLength(h.sources.length);
    expect(invoked.filter((state) => state === 'Distribute')).toHaveLength(h.sources.length);
    expect(invoked).not.toContain('MarkFailed');

    const cliRun = (await deps.runs.get(cliRunId)) as RunRecord;
    const sfnRun = (await deps.runs.get(sfnRunId)) as RunRecord;
    expect(sfnRun).toMatchObject({ status: 'succeeded', error: null, finishedAt: expect.any(String) });
    expect(await deps.profiles.activeRunId()).toBe(sfnRunId);

    // Same counts: rows read and rejected per source, profiles.
    expect(sfnRun.counts).toEqual(cliRun.counts);
    expect(sfnRun.counts.profiles).toBeGreaterThan(0);
    expect(sfnRun.counts['telco.rowsRead']).toBe(h.sample.stats.telcoRows);
    expect(output).toEqual({
      runId: sfnRunId,
      status: 'succeeded',
      records: expect.any(Number),
      clusters: cliRun.counts.profiles,
      reportPrefix: `reports/${sfnRunId}/`,
    });

    // Same member -> profile id lines, and the same profiles field by field (only the run id differs).
    const lines = await memberLines(deps, sfnRunId);
    expect(lines.length).toBe((output as { records: number }).records);
    expect(lines).toEqual(await memberLines(deps, cliRunId));
    expect(await profilesOf(deps, sfnRunId)).toEqual(await profilesOf(deps, cliRunId));

    // What marketing reads (the active run, through DynamoDB) is the state machine's run.
    const someone = lines[0].split(',')[2];
    expect(await deps.profiles.getProfile(someone)).toMatchObject({ profileId: someone, runId: sfnRunId });

    const reports = await deps.objects.list(deps.buckets.reports, `reports/${sfnRunId}/`);
    expect(reports.map((key) => key.split('/').pop())).toEqual(expect.arrayContaining(['summary.json', 'members.csv']));
  });

  it('a mapping naming a missing column fails the execution through the Catch to MarkFailed; the previous run stays active', async () => {
    const broken = JSON.parse(await deps.objects.getText({ bucket: deps.buckets.input, key: 'sample/telco.mapping.json' })) as {
      columns: Record<string, unknown>;
    };
    broken.columns.email = 'e_mail_address';
    await deps.objects.putText({ bucket: deps.buckets.input, key: 'sample/broken.mapping.json' }, JSON.stringify(broken), 'application/json');
    const sources = h.sources.map((source) =>
      source.name === 'telco' ? { ...source, mappingUri: `s3://${deps.buckets.input}/sample/broken.mapping.json` } : source,
    );

    const { output, error, states } = await execute({ runId: 'sfn-broken', sources });
    expect(output).toBeUndefined();
    expect(error?.message).toMatch(/e_mail_address/);
    expect(states).toContain('MarkFailed');
    expect(states[states.length - 1]).toBe(END_STATES.failed);
    expect(states).not.toContain('Plan');
    expect(invoked.filter((state) => state === 'MarkFailed')).toHaveLength(1);

    const run = (await deps.runs.get('sfn-broken')) as RunRecord;
    expect(run.status).toBe('failed');
    expect(run.finishedAt).toEqual(expect.any(String));
    expect(run.error).toMatch(/^MappingError: .*e_mail_address/);
    expect(await deps.profiles.activeRunId()).toBe(sfnRunId);
  });
});
