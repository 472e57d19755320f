import { Arn, ArnFormat, Duration, RemovalPolicy, Stack, Stage, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { StageName } from '../../lambdas/pipeline/contracts';
import { acknowledge, iam5Resource } from '../nag';

/**
 * The Task states and the stage each one invokes. These names are a contract: local tests bind a handler per Task
 * state name (aws-local-stepfunctions `taskResourceLocalHandlers`), alarms and runbooks refer to them. Do not rename.
 */
export const TASK_STATES = {
  /** Inside IngestSources, once per source: `IngestEvent` -> `IngestResult`. */
  Ingest: 'ingest',
  /** `PlanEvent` -> `PlanResult`. */
  Plan: 'plan',
  /** Inside RouteSources, once per `RouteEvent` -> `RouteResult`. */
  Route: 'route',
  /** Inside ComparePartitions, once per `PartitionRef` -> `CompareResult`. */
  Compare: 'compare',
  /** `TrainEvent` -> `TrainResult`. */
  Train: 'train',
  /** Inside ScorePartitions, once per `PartitionRef` -> `ScoreResult`. */
  Score: 'score',
  /** `ClusterEvent` -> `ClusterResult`. */
  Cluster: 'cluster',
  /** Inside DistributeSources, once per `DistributeEvent` -> `DistributeResult`. */
  Distribute: 'distribute',
  /** Inside PublishChunks, once per `ChunkRef` -> `PublishResult`. */
  Publish: 'publish',
  /** `ReportEvent` -> `ReportResult`. */
  Report: 'report',
  /** `FinalizeEvent` -> `FinalizeResult`. */
  Finalize: 'finalize',
  /** The Catch target of every stage: `MarkFailedEvent` -> `{ runId, status: 'failed' }`. */
  MarkFailed: 'mark-failed',
} as const satisfies Record<string, StageName>;
export type TaskStateName = keyof typeof TASK_STATES;

/** The Map states and the Task state each runs per item. */
export const MAP_STATES = {
  /** Inline Map over `$.sources`. */
  IngestSources: 'Ingest',
  /** Inline Map over `$.plan.routes` (one item per source). */
  RouteSources: 'Route',
  /** Distributed Map over `$.plan.partitions`. */
  ComparePartitions: 'Compare',
  /** Distributed Map over `$.plan.partitions`. */
  ScorePartitions: 'Score',
  /** Inline Map over `$.cluster.distributions` (one item per source). */
  DistributeSources: 'Distribute',
  /** Distributed Map over `$.cluster.chunks`. */
  PublishChunks: 'Publish',
} as const satisfies Record<string, TaskStateName>;
export type MapStateName = keyof typeof MAP_STATES;

/** The end states: a Pass that shapes the execution output, and the Fail after MarkFailed. */
export const END_STATES = { succeeded: 'RunSucceeded', failed: 'RunFailed' } as const;

/** Transient Lambda service errors retried with exponential backoff and full jitter on every Task state. */
export const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
] as const;

/** The retry every Lambda Task state gets for {@link LAMBDA_TRANSIENT_ERRORS}. */
export const LAMBDA_TRANSIENT_RETRY: sfn.RetryProps = {
  errors: [...LAMBDA_TRANSIENT_ERRORS],
  interval: Duration.seconds(2),
  backoffRate: 2,
  maxAttempts: 6,
  maxDelay: Duration.seconds(60),
  jitterStrategy: sfn.JitterType.FULL,
};

export interface PipelineStateMachineProps {
  /** The stage functions, one per `StageName`. */
  readonly functions: Readonly<Record<StageName, lambda.IFunction>>;
  /**
   * Upper bound of concurrent child executions of each Distributed Map (compare, score, publish). Keep it below the
   * account's Lambda concurrency minus headroom for the API.
   * @default 100
   */
  readonly mapMaxConcurrency?: number;
  /**
   * Upper bound of sources ingested, routed or distributed at once.
   * @default 10
   */
  readonly ingestMaxConcurrency?: number;
  /**
   * Maximum duration of one run.
   * @default Duration.hours(12)
   */
  readonly executionTimeout?: Duration;
  /**
   * Key for the state machine's log group (execution data is never logged; the key covers error messages).
   * @default - log group encrypted by CloudWatch Logs' own key
   */
  readonly logEncryptionKey?: kms.IKey;
  /**
   * Retention of the state machine's log group.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Removal policy of the log group.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The run workflow, a STANDARD state machine in JSONPath (not JSONata: the same definition runs in
 * aws-local-stepfunctions, which ignores JSONata):
 *
 *   IngestSources (Map over $.sources) -> Plan -> RouteSources (Map over $.plan.routes)
 *   -> ComparePartitions (Distributed Map over $.plan.partitions)
 *   -> Train -> ScorePartitions (Distributed Map over $.plan.partitions) -> Cluster
 *   -> DistributeSources (Map over $.cluster.distributions) -> PublishChunks (Distributed Map over $.cluster.chunks) -> Report -> Finalize -> RunSucceeded
 *
 * The execution input is a `RunInput` ({ runId, sources }); the run record already exists (created with status
 * `running` by whoever starts the execution), so there is no MarkRunning state. Between states only keys and counts
 * travel: $.ingested (per-source counts and keys), $.plan ({ records, routes, partitions }), $.train ({ modelKey,
 * matchWeightThreshold }), $.cluster ({ clusters, distributions, chunks }), $.report ({ reportPrefix }); the results
 * of RouteSources, DistributeSources and the Distributed Maps are discarded (the next stage reads S3). The Distributed Maps read items from the state
 * (ItemsPath) and write no ResultWriter output, so the definition also runs locally; the price is the 256 KiB state
 * limit, which bounds partitions + chunks to a few thousand (lambdas/pipeline/settings.ts sizes them).
 *
 * Every stage has a Catch (States.ALL, error at $.error) to MarkFailed ({ runId, error }) and then RunFailed, which
 * fails the execution with the original error. Every Task retries transient Lambda errors.
 */
export class PipelineStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PipelineStateMachineProps) {
    super(scope, id);
    const { functions } = props;
    const mapMaxConcurrency = props.mapMaxConcurrency ?? 100;
    const ingestMaxConcurrency = props.ingestMaxConcurrency ?? 10;
    for (const [name, value] of [
      ['mapMaxConcurrency', mapMaxConcurrency],
      ['ingestMaxConcurrency', ingestMaxConcurrency],
    ] as const) {
      if (!Number.isInteger(value) || value < 1 || value > 10_000) throw new Error(`${name} must be an integer in 1..10000, got ${value}`);
    }

    const invoke = (state: TaskStateName, options: Omit<tasks.LambdaInvokeJsonPathProps, 'lambdaFunction'> = {}): tasks.LambdaInvoke => {
      const task = tasks.LambdaInvoke.jsonPath(this, state, {
        ...options,
        stateName: state,
        lambdaFunction: functions[TASK_STATES[state]],
        // Resource = the function ARN, Parameters = the payload: the local runner binds a handler per state name and
        // the function receives exactly the stage event, with the stage result as the task result.
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
      });
      task.addRetry(LAMBDA_TRANSIENT_RETRY);
      return task;
    };
    const runIdOnly = sfn.TaskInput.fromObject({ runId: sfn.JsonPath.stringAt('$.runId') });

    // Failure path: record the failure, then fail the execution with the original error.
    const runFailed = new sfn.Fail(this, END_STATES.failed, {
      stateName: END_STATES.failed,
      errorPath: '$.error.Error',
      causePath: '$.error.Cause',
    });
    const markFailed = invoke('MarkFailed', {
      payload: sfn.TaskInput.fromObject({ runId: sfn.JsonPath.stringAt('$.runId'), error: sfn.JsonPath.objectAt('$.error') }),
      resultPath: sfn.JsonPath.DISCARD,
    });
    // If even the bookkeeping fails, the execution still fails with the stage's error (kept at $.error).
    markFailed.addCatch(runFailed, { errors: [sfn.Errors.ALL], resultPath: '$.markFailedError' });
    markFailed.next(runFailed);

    const ingestSources = sfn.Map.jsonPath(this, 'IngestSources', {
      stateName: 'IngestSources',
      itemsPath: '$.sources',
      itemSelector: { 'runId.$': '$.runId', 'source.$': '$$.Map.Item.Value' },
      maxConcurrency: ingestMaxConcurrency,
      resultPath: '$.ingested',
    });
    ingestSources.itemProcessor(invoke('Ingest'));

    const plan = invoke('Plan', {
      payload: sfn.TaskInput.fromObject({
        runId: sfn.JsonPath.stringAt('$.runId'),
        ingested: sfn.JsonPath.listAt('$.ingested'),
      }),
      resultSelector: { 'records.$': '$.records', 'routes.$': '$.routes', 'partitions.$': '$.partitions' },
      resultPath: '$.plan',
    });

    /** An inline Map with one item per source whose results are discarded (the next stage reads S3). */
    const perSourceMap = (name: 'RouteSources' | 'DistributeSources', itemsPath: string): sfn.Map => {
      const map = sfn.Map.jsonPath(this, name, {
        stateName: name,
        itemsPath,
        maxConcurrency: ingestMaxConcurrency,
        resultPath: sfn.JsonPath.DISCARD,
      });
      map.itemProcessor(invoke(MAP_STATES[name]));
      return map;
    };
    const routeSources = perSourceMap('RouteSources', '$.plan.routes');

    const distributedMap = (name: Exclude<MapStateName, 'IngestSources' | 'RouteSources' | 'DistributeSources'>, itemsPath: string): sfn.DistributedMap => {
      const map = sfn.DistributedMap.jsonPath(this, name, {
        stateName: name,
        itemsPath,
        maxConcurrency: mapMaxConcurrency,
        // Items run up to 15 minutes (the Lambda limit), beyond EXPRESS child executions' 5.
        mapExecutionType: sfn.StateMachineType.STANDARD,
        // The next stage reads the map's output files from S3; the per-item results are not needed.
        resultPath: sfn.JsonPath.DISCARD,
      });
      map.itemProcessor(invoke(MAP_STATES[name]));
      return map;
    };

    const comparePartitions = distributedMap('ComparePartitions', '$.plan.partitions');
    const train = invoke('Train', {
      payload: runIdOnly,
      resultSelector: { 'modelKey.$': '$.modelKey', 'matchWeightThreshold.$': '$.matchWeightThreshold' },
      resultPath: '$.train',
    });
    const scorePartitions = distributedMap('ScorePartitions', '$.plan.partitions');
    const cluster = invoke('Cluster', {
      payload: runIdOnly,
      resultSelector: { 'clusters.$': '$.clusters', 'distributions.$': '$.distributions', 'chunks.$': '$.chunks' },
      resultPath: '$.cluster',
    });
    const distributeSources = perSourceMap('DistributeSources', '$.cluster.distributions');
    const publishChunks = distributedMap('PublishChunks', '$.cluster.chunks');
    const report = invoke('Report', {
      payload: runIdOnly,
      resultSelector: { 'reportPrefix.$': '$.reportPrefix' },
      resultPath: '$.report',
    });
    const finalize = invoke('Finalize', {
      payload: runIdOnly,
      resultSelector: { 'status.$': '$.status' },
      resultPath: '$.finalize',
    });
    const runSucceeded = new sfn.Pass(this, END_STATES.succeeded, {
      stateName: END_STATES.succeeded,
      parameters: {
        'runId.$': '$.runId',
        'status.$': '$.finalize.status',
        'records.$': '$.plan.records',
        'clusters.$': '$.cluster.clusters',
        'reportPrefix.$': '$.report.reportPrefix',
      },
    });

    const stages: (sfn.TaskStateBase | sfn.Map | sfn.DistributedMap)[] = [
      ingestSources,
      plan,
      routeSources,
      comparePartitions,
      train,
      scorePartitions,
      cluster,
      distributeSources,
      publishChunks,
      report,
      finalize,
    ];
    for (const state of stages) state.addCatch(markFailed, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
    const definition = stages
      .slice(1)
      .reduce<sfn.Chain>((chain, state) => chain.next(state), sfn.Chain.start(stages[0]))
      .next(runSucceeded);

    const stack = Stack.of(this);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      // The /aws/vendedlogs/ prefix keeps the CloudWatch Logs resource policy small (AWS guidance for Step Functions).
      logGroupName: `/aws/vendedlogs/states/${stack.stackName}-pipeline`,
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      encryptionKey: props.logEncryptionKey,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'crm-merge run: ingest, plan, route, compare, train, score, cluster, distribute, publish, report, finalize',
      stateMachineType: sfn.StateMachineType.STANDARD,
      queryLanguage: sfn.QueryLanguage.JSON_PATH,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout: props.executionTimeout ?? Duration.hours(12),
      tracingEnabled: true,
      // ALL events for the audit trail, but never execution data: inputs and outputs stay out of CloudWatch.
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });

    const role = this.stateMachine.role;
    acknowledge(
      role,
      'AwsSolutions-IAM5[Resource::*]',
      'CloudWatch Logs vended-log delivery (logs:*LogDelivery, PutResourcePolicy, Describe*) and X-Ray ' +
        '(PutTraceSegments, PutTelemetryRecords, GetSampling*) actions added by the logs and tracing settings do not ' +
        'support resource-level permissions.',
    );
    for (const stage of new Set(Object.values(TASK_STATES))) {
      acknowledge(
        role,
        iam5Resource(this, `${functions[stage].functionArn}:*`),
        `Added by LambdaInvoke for the ${stage} function: the ":*" covers its versions and aliases; the grant is still ` +
          'limited to that one function.',
      );
    }
    // DistributedMapPolicy (a child of the state machine): Describe/StopExecution on this state machine's executions
    // and RedriveExecution on its Map Runs' child executions, both ARNs built here exactly as CDK builds them.
    const executionArn = (resourceName: string): string =>
      stack.formatArn({ service: 'states', resource: 'execution', resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const machineName = Arn.split(this.stateMachine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName;
    acknowledge(
      this.stateMachine,
      iam5Resource(this, executionArn(`${machineName}:*`)),
      'Added by DistributedMap: the state machine describes and stops its own executions (Map Runs), whose ids are ' +
        'generated at run time; the grant is limited to executions of this one state machine.',
    );
    acknowledge(
      this.stateMachine,
      iam5Resource(this, executionArn(`${machineName}/*:*`)),
      'Added by DistributedMap: redriving failed Map Run child executions, whose ids are generated at run time; the ' +
        'grant is limited to Map Runs of this one state machine.',
    );
  }
}

/** An Amazon States Language definition as JSON. */
export interface AslDefinition {
  readonly Comment?: string;
  readonly QueryLanguage?: string;
  readonly StartAt: string;
  readonly TimeoutSeconds?: number;
  readonly States: Record<string, AslState>;
}

/** One state of an {@link AslDefinition}; fields per the ASL spec. */
export type AslState = { readonly Type: string } & Record<string, unknown>;

export interface SynthesizedDefinitionOptions {
  /**
   * Logical id of the state machine resource, when the stack has more than one.
   * @default - the stack's only AWS::StepFunctions::StateMachine
   */
  readonly logicalId?: string;
  /** @default 'aws' */
  readonly partition?: string;
  /** @default the stack's region if concrete, else 'us-east-1' */
  readonly region?: string;
  /** @default the stack's account if concrete, else '123456789012' */
  readonly account?: string;
}

/**
 * The state machine's ASL definition as plain JSON, read from the stack's synthesized template, with every
 * CloudFormation reference replaced by a concrete value: a Lambda function's `Fn::GetAtt Arn` becomes
 * `arn:<partition>:lambda:<region>:<account>:function:<logical id>`, pseudo parameters become the options' values.
 * Task states keep the names of {@link TASK_STATES}, so a local runner (aws-local-stepfunctions) can bind a handler
 * per state name. Synthesizes the stack's app (a no-op if it is already synthesized).
 */
export function synthesizedDefinition(stack: Stack, options: SynthesizedDefinitionOptions = {}): AslDefinition {
  const stage = Stage.of(stack);
  if (!stage) throw new Error(`stack ${stack.node.path} is not part of an app`);
  const template = stage.synth().getStackArtifact(stack.artifactId).template as CfnTemplate;
  return definitionFromTemplate(template, {
    ...options,
    region: options.region ?? (Token.isUnresolved(stack.region) ? undefined : stack.region),
    account: options.account ?? (Token.isUnresolved(stack.account) ? undefined : stack.account),
  });
}

interface CfnTemplate {
  Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}

/** {@link synthesizedDefinition} for an already synthesized template (e.g. `Template.fromStack(stack).toJSON()`). */
export function definitionFromTemplate(template: object, options: SynthesizedDefinitionOptions = {}): AslDefinition {
  const resources = (template as CfnTemplate).Resources ?? {};
  const machines = Object.entries(resources).filter(([, resource]) => resource.Type === 'AWS::StepFunctions::StateMachine');
  const chosen = options.logicalId === undefined ? machines : machines.filter(([id]) => id === options.logicalId);
  if (chosen.length !== 1) {
    throw new Error(`expected one state machine${options.logicalId ? ` ${options.logicalId}` : ''}, found ${chosen.length}`);
  }
  const properties = chosen[0][1].Properties ?? {};
  const partition = options.partition ?? 'aws';
  const region = options.region ?? 'us-east-1';
  const account = options.account ?? '123456789012';
  const pseudo: Record<string, string> = {
    'AWS::Partition': partition,
    'AWS::Region': region,
    'AWS::AccountId': account,
    'AWS::URLSuffix': 'amazonaws.com',
  };

  const render = (node: unknown): string => {
    if (typeof node === 'string') return node;
    if (typeof node === 'object' && node !== null) {
      const record = node as Record<string, unknown>;
      const join = record['Fn::Join'];
      if (Array.isArray(join)) {
        const [delimiter, parts] = join as [string, unknown[]];
        return parts.map(render).join(delimiter);
      }
      const getAtt = record['Fn::GetAtt'];
      if (Array.isArray(getAtt) && getAtt[1] === 'Arn' && resources[String(getAtt[0])]?.Type === 'AWS::Lambda::Function') {
        return `arn:${partition}:lambda:${region}:${account}:function:${String(getAtt[0])}`;
      }
      const ref = record.Ref;
      if (typeof ref === 'string' && ref in pseudo) return pseudo[ref];
    }
    throw new Error(`cannot render ${JSON.stringify(node)} in the state machine definition`);
  };

  let text = render(properties.DefinitionString);
  const substitutions = (properties.DefinitionSubstitutions ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(substitutions)) text = text.split(`\${${key}}`).join(render(value));
  return JSON.parse(text) as AslDefinition;
}
