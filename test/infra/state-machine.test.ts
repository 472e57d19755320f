import { StateMachine, type RunOptions, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type {
  ChunkRef,
  ClusterResult,
  DistributeEvent,
  DistributeResult,
  IngestEvent,
  IngestResult,
  MarkFailedEvent,
  PartitionRef,
  PlanEvent,
  PlanResult,
  RouteEvent,
  RouteResult,
  RunInput,
} from '../../lambdas/pipeline/contracts';
import { STAGES } from '../../lambdas/pipeline/contracts';
import {
  END_STATES,
  LAMBDA_TRANSIENT_ERRORS,
  MAP_STATES,
  TASK_STATES,
  definitionFromTemplate,
  synthesizedDefinition,
  type AslDefinition,
  type AslState,
  type TaskStateName,
} from '../../infra/constructs/pipeline-state-machine';
import { buildApp, logicalId, resources, type Json } from './support';

const { stack, template } = buildApp();
// The stack also holds the API's screening-job state machine (api.test.ts): this file is about the run's.
const machineId = logicalId(stack.pipeline.stateMachine);
const definition = synthesizedDefinition(stack, { logicalId: machineId });
const machine = resources(template, 'AWS::StepFunctions::StateMachine')[machineId].Properties;

/** Every state, nested ones (Map item processors) included, by name. */
function allStates(asl: { States: Record<string, AslState> }): Record<string, AslState> {
  const found: Record<string, AslState> = {};
  for (const [name, state] of Object.entries(asl.States)) {
    found[name] = state;
    const processor = (state.ItemProcessor ?? state.Iterator) as { States: Record<string, AslState> } | undefined;
    if (processor) Object.assign(found, allStates(processor));
  }
  return found;
}
const states = allStates(definition);
const TOP_LEVEL_STAGES = [
  'IngestSources',
  'Plan',
  'RouteSources',
  'ComparePartitions',
  'Train',
  'ScorePartitions',
  'Cluster',
  'DistributeSources',
  'PublishChunks',
  'Report',
  'Finalize',
];

describe('state machine resource', () => {
  it('is a STANDARD state machine with X-Ray tracing', () => {
    expect(machine.StateMachineType).toBe('STANDARD');
    expect(machine.TracingConfiguration).toEqual({ Enabled: true });
  });

  it('logs ALL events to its own log group without execution data', () => {
    expect(machine.LoggingConfiguration).toEqual({
      Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logicalId(stack.pipeline.logGroup), 'Arn'] } } }],
      IncludeExecutionData: false,
      Level: 'ALL',
    });
    const logGroup = resources(template, 'AWS::Logs::LogGroup')[logicalId(stack.pipeline.logGroup)].Properties;
    expect(logGroup.RetentionInDays).toBe(90);
    expect(logGroup.LogGroupName).toMatch(/^\/aws\/vendedlogs\/states\//);
    expect(logGroup.KmsKeyId).toEqual({ 'Fn::GetAtt': [logicalId(stack.storage.key), 'Arn'] });
  });
});

describe('ASL definition', () => {
  it('is JSONPath, never JSONata, and has an execution timeout', () => {
    expect(definition.QueryLanguage).toBe('JSONPath');
    expect(JSON.stringify(definition)).not.toMatch(/JSONata|\{%/);
    expect(definition.TimeoutSeconds).toBe(12 * 3600);
  });

  it('runs the stages in order: IngestSources -> ... -> Finalize -> RunSucceeded', () => {
    const order: string[] = [];
    for (let name: string | undefined = definition.StartAt; name; name = definition.States[name].Next as string | undefined) {
      order.push(name);
    }
    expect(order).toEqual([...TOP_LEVEL_STAGES, END_STATES.succeeded]);
    expect(definition.States[END_STATES.succeeded]).toMatchObject({ Type: 'Pass', End: true });
  });

  it('has one Task state per stage, named as TASK_STATES says, invoking that stage function by ARN', () => {
    const tasks = Object.entries(states).filter(([, state]) => state.Type === 'Task');
    expect(tasks.map(([name]) => name).sort()).toEqual(Object.keys(TASK_STATES).sort());
    expect(Object.values(TASK_STATES).sort()).toEqual([...STAGES].sort());
    for (const [name, state] of tasks) {
      const fnId = logicalId(stack.pipelineFunctions.functions[TASK_STATES[name as TaskStateName]]);
      expect(state.Resource).toBe(`arn:aws:lambda:us-east-1:123456789012:function:${fnId}`);
    }
  });

  it('puts the per-item Task inside the Map state MAP_STATES names', () => {
    for (const [mapName, taskName] of Object.entries(MAP_STATES)) {
      const processor = definition.States[mapName].ItemProcessor as { StartAt: string; States: Record<string, AslState> };
      expect(processor.StartAt).toBe(taskName);
      expect(Object.keys(processor.States)).toEqual([taskName]);
    }
  });

  it('ingests sources with an inline Map over $.sources, passing { runId, source }', () => {
    expect(definition.States.IngestSources).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.sources',
      ItemSelector: { 'runId.$': '$.runId', 'source.$': '$$.Map.Item.Value' },
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' } },
      ResultPath: '$.ingested',
    });
  });

  it("routes each source with an inline Map over $.plan.routes (plan's { runId, source } items), results discarded", () => {
    expect(definition.States.RouteSources).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.plan.routes',
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' } },
      ResultPath: null,
    });
    expect(definition.States.RouteSources.ItemSelector).toBeUndefined();
  });

  it("distributes each source's records with an inline Map over $.cluster.distributions, results discarded", () => {
    expect(definition.States.DistributeSources).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.cluster.distributions',
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' } },
      ResultPath: null,
    });
    expect(definition.States.DistributeSources.ItemSelector).toBeUndefined();
  });

  it.each([
    ['ComparePartitions', '$.plan.partitions'],
    ['ScorePartitions', '$.plan.partitions'],
    ['PublishChunks', '$.cluster.chunks'],
  ])('%s is a Distributed Map over %s held in state: ItemsPath, no ItemReader/ResultWriter, bounded, results discarded', (name, itemsPath) => {
    const state = definition.States[name];
    expect(state).toMatchObject({
      Type: 'Map',
      ItemsPath: itemsPath,
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
      MaxConcurrency: 100,
      ResultPath: null,
    });
    expect(state).not.toHaveProperty('ItemReader');
    expect(state).not.toHaveProperty('ResultWriter');
  });

  it('passes only keys and counts between states', () => {
    expect(definition.States.Plan).toMatchObject({
      Parameters: { 'runId.$': '$.runId', 'ingested.$': '$.ingested' },
      ResultSelector: { 'records.$': '$.records', 'partitions.$': '$.partitions' },
      ResultPath: '$.plan',
    });
    expect(definition.States.Train).toMatchObject({ Parameters: { 'runId.$': '$.runId' }, ResultPath: '$.train' });
    expect(definition.States.Cluster).toMatchObject({
      Parameters: { 'runId.$': '$.runId' },
      ResultSelector: { 'clusters.$': '$.clusters', 'chunks.$': '$.chunks' },
      ResultPath: '$.cluster',
    });
    expect(definition.States.Report).toMatchObject({ ResultSelector: { 'reportPrefix.$': '$.reportPrefix' }, ResultPath: '$.report' });
    expect(definition.States.Finalize).toMatchObject({ Parameters: { 'runId.$': '$.runId' }, ResultPath: '$.finalize' });
  });

  it.each(Object.keys(TASK_STATES))('%s retries transient Lambda errors with backoff and jitter', (name) => {
    expect(states[name].Retry).toEqual([
      {
        ErrorEquals: [...LAMBDA_TRANSIENT_ERRORS],
        IntervalSeconds: 2,
        MaxAttempts: 6,
        BackoffRate: 2,
        MaxDelaySeconds: 60,
        JitterStrategy: 'FULL',
      },
    ]);
    for (const error of ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException']) {
      expect(LAMBDA_TRANSIENT_ERRORS).toContain(error);
    }
  });

  it.each(TOP_LEVEL_STAGES)('%s catches every error into $.error and goes to MarkFailed', (name) => {
    expect(definition.States[name].Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'MarkFailed' }]);
  });

  it('MarkFailed sends { runId, error } and always ends in the Fail state with the original error', () => {
    expect(definition.States.MarkFailed).toMatchObject({
      Type: 'Task',
      Parameters: { 'runId.$': '$.runId', 'error.$': '$.error' },
      ResultPath: null,
      Next: END_STATES.failed,
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.markFailedError', Next: END_STATES.failed }],
    });
    expect(definition.States[END_STATES.failed]).toEqual({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
  });

  it('renders the same definition from a template JSON', () => {
    expect(definitionFromTemplate(template.toJSON(), { logicalId: machineId })).toEqual(definition);
    // More than one state machine: which one must be named.
    expect(() => definitionFromTemplate(template.toJSON())).toThrow(/expected one state machine, found 2/);
  });
});

describe('the definition run locally (aws-local-stepfunctions) with stub stage handlers', () => {
  const input: RunInput = {
    runId: 'run-1',
    sources: [
      { name: 'telco', uri: 's3://in/telco.csv', mappingUri: 's3://in/telco.json' },
      { name: 'satellite', uri: 's3://in/satellite.csv', mappingUri: 's3://in/satellite.json' },
    ],
  };
  /** A local handler bound to a Task state name: receives the state's input, returns its result. */
  type Handler = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>[string];
  type LocalJson = Awaited<ReturnType<Handler>>;

  function stubs(failIn?: TaskStateName): { calls: [TaskStateName, unknown][]; handlers: Record<TaskStateName, Handler> } {
    const calls: [TaskStateName, unknown][] = [];
    const handle =
      <E, R>(state: TaskStateName, result: (event: E) => R): Handler =>
      async (event) => {
        calls.push([state, event]);
        if (state === failIn) throw Object.assign(new Error(`${state} broke`), { name: 'StageError' });
        return result(event as unknown as E) as unknown as LocalJson;
      };
    const partitions = (runId: string): PartitionRef[] => [0, 1, 2].map((partition) => ({ runId, partition, key: `p/${partition}` }));
    const handlers: Record<TaskStateName, Handler> = {
      Ingest: handle<IngestEvent, IngestResult>('Ingest', (e) => ({
        source: e.source.name,
        company: e.source.name,
        identifiers: [],
        rowsRead: 10,
        rowsRejected: 1,
        recordsKey: `runs/${e.runId}/records/${e.source.name}.ndjson`,
        rejectsKey: `runs/${e.runId}/rejects/${e.source.name}.ndjson`,
      })),
      Plan: handle<PlanEvent, PlanResult>('Plan', (e) => ({
        runId: e.runId,
        records: 18,
        routes: e.ingested.map((result) => ({ runId: e.runId, source: result.source })),
        partitions: partitions(e.runId),
      })),
      Route: handle<RouteEvent, RouteResult>('Route', (e) => ({ source: e.source, records: 9, lines: 40, duplicateBlocks: {} })),
      Compare: handle<PartitionRef, unknown>('Compare', (e) => ({ partition: e.partition, pairs: 5, records: 20 })),
      Train: handle<{ runId: string }, unknown>('Train', (e) => ({ runId: e.runId, modelKey: 'm', matchWeightThreshold: 3 })),
      Score: handle<PartitionRef, unknown>('Score', (e) => ({ partition: e.partition, links: 2, reviewPairs: 0 })),
      Cluster: handle<{ runId: string }, ClusterResult>('Cluster', (e) => ({
        runId: e.runId,
        clusters: 12,
        distributions: ['telco', 'satellite'].map((source) => ({ runId: e.runId, source, chunks: 2 })),
        chunks: [0, 1].map((chunk): ChunkRef => ({ runId: e.runId, chunk, key: `c/${chunk}` })),
      })),
      Distribute: handle<DistributeEvent, DistributeResult>('Distribute', (e) => ({ source: e.source, records: 9 })),
      Publish: handle<ChunkRef, unknown>('Publish', (e) => ({ chunk: e.chunk, profiles: 6 })),
      Report: handle<{ runId: string }, unknown>('Report', (e) => ({ runId: e.runId, reportPrefix: `reports/${e.runId}/` })),
      Finalize: handle<{ runId: string }, unknown>('Finalize', (e) => ({ runId: e.runId, status: 'succeeded' })),
      MarkFailed: handle<MarkFailedEvent, unknown>('MarkFailed', (e) => ({ runId: e.runId, status: 'failed' })),
    };
    return { calls, handlers };
  }

  type LocalInput = Parameters<StateMachine['run']>[0];
  const local = (asl: AslDefinition): StateMachine => new StateMachine(asl as unknown as StateMachineDefinition);
  const run = (asl: AslDefinition, handlers: Record<TaskStateName, Handler>): Promise<unknown> =>
    local(asl).run(input as unknown as LocalInput, { overrides: { taskResourceLocalHandlers: handlers } }).result;

  it('passes the definition validation of the local runner', () => {
    expect(() => local(definition)).not.toThrow();
  });

  it('calls every stage with its contract event and ends with a small summary', async () => {
    const { calls, handlers } = stubs();
    const output = await run(definition, handlers);
    expect(output).toEqual({ runId: 'run-1', status: 'succeeded', records: 18, clusters: 12, reportPrefix: 'reports/run-1/' });

    const events = (state: TaskStateName): Json[] => calls.filter(([name]) => name === state).map(([, event]) => event as Json);
    expect(events('Ingest')).toEqual(expect.arrayContaining(input.sources.map((source) => ({ runId: 'run-1', source }))));
    expect(events('Plan')).toHaveLength(1);
    expect(events('Plan')[0]).toEqual({ runId: 'run-1', ingested: expect.arrayContaining([expect.objectContaining({ source: 'telco' })]) });
    expect(events('Route')).toHaveLength(2);
    expect(events('Route')).toEqual(expect.arrayContaining(input.sources.map((source) => ({ runId: 'run-1', source: source.name }))));
    expect(events('Compare')).toHaveLength(3);
    expect(events('Compare')).toEqual(expect.arrayContaining([{ runId: 'run-1', partition: 2, key: 'p/2' }]));
    expect(events('Score')).toHaveLength(3);
    expect(events('Distribute')).toEqual([
      { runId: 'run-1', source: 'telco', chunks: 2 },
      { runId: 'run-1', source: 'satellite', chunks: 2 },
    ]);
    expect(events('Publish')).toEqual(expect.arrayContaining([{ runId: 'run-1', chunk: 1, key: 'c/1' }]));
    for (const state of ['Train', 'Cluster', 'Report', 'Finalize'] as const) expect(events(state)).toEqual([{ runId: 'run-1' }]);
    expect(events('MarkFailed')).toEqual([]);
    expect(calls.map(([name]) => name).filter((name, i, all) => all.indexOf(name) === i)).toEqual([
      'Ingest',
      'Plan',
      'Route',
      'Compare',
      'Train',
      'Score',
      'Cluster',
      'Distribute',
      'Publish',
      'Report',
      'Finalize',
    ]);
  });

  it.each(['Ingest', 'Plan', 'Route', 'Score', 'Distribute', 'Publish', 'Finalize'] as const)(
    'a failure in %s marks the run failed with { runId, error } and fails the execution',
    async (failing) => {
      const { calls, handlers } = stubs(failing);
      await expect(run(definition, handlers)).rejects.toThrow(`${failing} broke`);
      const marked = calls.filter(([name]) => name === 'MarkFailed').map(([, event]) => event);
      expect(marked).toEqual([{ runId: 'run-1', error: { Error: 'StageError', Cause: `${failing} broke` } }]);
      expect(calls.some(([name]) => name === 'Finalize' && failing !== 'Finalize')).toBe(false);
    },
  );
});
