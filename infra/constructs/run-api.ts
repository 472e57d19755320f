import * as path from 'node:path';
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { z } from 'zod';
import { API_ROLES, executeApiResource, overlappingRoutes, ROUTES, routesOf, type ApiRole, type RouteSpec } from '../../lambdas/api/routes';
import { BODY_SCHEMAS, bodyJsonSchema } from '../../lambdas/api/schemas';
import { screeningKeys } from '../../lambdas/api/screening-keys';
import { reportKeys, workKeys } from '../../lambdas/pipeline/work-keys';
import {
  lookupPartitionKey,
  profileItemKey,
  RUNS_BY_CLIENT_TOKEN_INDEX,
  RUNS_BY_RECENCY_INDEX,
  TOMBSTONE_PARTITION,
} from '../../lambdas/storage/table-schema';
import { acknowledge, iam5Resource } from '../nag';
import {
  acknowledgeRuntimeExternals,
  crmMergeFunction,
  functionEnvironment,
  grantTombstoneSalt,
  tombstoneSaltEnvironment,
  type StageSizing,
} from './pipeline-functions';
import { LAMBDA_TRANSIENT_RETRY } from './pipeline-state-machine';
import type { PipelineStorage } from './storage';

/** Memory and timeout of the API's two functions. */
export const API_SIZING = {
  /** Answers API Gateway, whose integration timeout is 29 s; inline screening (<= 1,000 rows) is the heaviest call. */
  api: { memorySize: 1769, timeout: Duration.seconds(29) },
  /** Screens one list from S3 of any size (streamed), up to the Lambda limit. */
  screenJob: { memorySize: 1769, timeout: Duration.minutes(15) },
} as const satisfies Record<string, StageSizing>;

/** Stage throttling: generous for a few internal callers, a ceiling against a runaway script. */
export const API_THROTTLING = { rateLimit: 50, burstLimit: 100 } as const;

/**
 * The access log line: who called which route template with what result. Deliberately without `$context.path`
 * (holds ids), query strings, bodies and `$context.error.validationErrorString` (quotes request values): PII never
 * reaches the log. Execution logging and data tracing stay off for the same reason.
 */
export const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  caller: '$context.identity.caller',
  userArn: '$context.identity.userArn',
  sourceIp: '$context.identity.sourceIp',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  errorType: '$context.error.responseType',
};

export interface RunApiProps {
  readonly storage: PipelineStorage;
  /** The run state machine POST /runs starts (input: RunInput). */
  readonly stateMachine: sfn.IStateMachine;
  /**
   * Who may assume each caller role.
   * @default - the account root of this stack's account for every role (IAM users and roles of the account
   *            still need their own sts:AssumeRole permission)
   */
  readonly principals?: Partial<Record<ApiRole, iam.IPrincipal>>;
  /** @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
  /** Removal policy of the log groups. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** `CRM_MERGE_STALE_AFTER_DAYS` for the functions. @default - env.ts's default */
  readonly staleAfterDays?: number;
  /**
   * Whether to set this region's API Gateway account setting (the CloudWatch Logs role API Gateway writes access logs
   * with, without which a stage with access logging cannot be created). Turn off when the account already has one:
   * the setting is one per account and region, and this stack would replace the role it names.
   * @default true
   */
  readonly configureAccountLogging?: boolean;
  /** API Gateway stage name. @default 'v1' */
  readonly stageName?: string;
  /** @default - two directories above this file */
  readonly projectRoot?: string;
}

const pascal = (text: string): string => text.replace(/(^|[-_])([a-z])/g, (_, __: string, letter: string) => letter.toUpperCase());

/**
 * The crm-merge API: a REST API with IAM authorisation on every method and request validation, served by ONE api
 * Lambda (lambdas/handlers/api.ts) that translates proxy events into the route functions of lambdas/api/; a
 * screening-job state machine running lambdas/handlers/screen-job.ts for lists in S3; and one IAM role per caller
 * group, each allowed execute-api:Invoke on exactly its routes (lambdas/api/routes.ts, the table the router uses).
 */
export class RunApi extends Construct {
  readonly api: apigw.RestApi;
  readonly apiFunction: nodejs.NodejsFunction;
  readonly screenJobFunction: nodejs.NodejsFunction;
  readonly screenJobs: sfn.StateMachine;
  readonly accessLogGroup: logs.LogGroup;
  readonly roles: Readonly<Record<ApiRole, iam.Role>>;

  constructor(scope: Construct, id: string, props: RunApiProps) {
    super(scope, id);
    const { storage } = props;
    const stack = Stack.of(this);
    const root = props.projectRoot ?? path.resolve(__dirname, '..', '..');
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    // Both functions check tombstones (screening suppresses erased people; forget writes them): both get the salt.
    const environment = { ...functionEnvironment(storage, props.staleAfterDays), ...tombstoneSaltEnvironment(storage) };
    const common = { key: storage.key, logRetention: props.logRetention, removalPolicy, projectRoot: root };

    // --- the screening job: function and state machine -------------------------------------------------------
    const screenJob = crmMergeFunction(this, 'ScreenJob', {
      ...common,
      description: 'crm-merge API: screens a campaign list from S3 (one screening job)',
      roleDescription: 'crm-merge screening-job function',
      handlerFile: 'screen-job',
      sizing: API_SIZING.screenJob,
      environment,
    });
    this.screenJobFunction = screenJob.fn;
    grantScreenJob(this, screenJob.role, storage);
    grantTombstoneSalt(screenJob.role, storage);

    const screenTask = tasks.LambdaInvoke.jsonPath(this, 'ScreenList', {
      stateName: 'ScreenList',
      lambdaFunction: screenJob.fn,
      payload: sfn.TaskInput.fromObject({ jobId: sfn.JsonPath.stringAt('$.jobId') }),
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
    });
    screenTask.addRetry(LAMBDA_TRANSIENT_RETRY);
    const screenLogs = new logs.LogGroup(this, 'ScreenJobsLogs', {
      logGroupName: `/aws/vendedlogs/states/${stack.stackName}-screen-jobs`,
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      encryptionKey: storage.key,
      removalPolicy,
    });
    this.screenJobs = new sfn.StateMachine(this, 'ScreenJobs', {
      comment: 'crm-merge screening job: screens one campaign list from S3 (input: { jobId })',
      stateMachineType: sfn.StateMachineType.STANDARD,
      queryLanguage: sfn.QueryLanguage.JSON_PATH,
      definitionBody: sfn.DefinitionBody.fromChainable(screenTask),
      timeout: Duration.hours(1),
      tracingEnabled: true,
      // Events for the audit trail, never execution data (the input is only a job id, but the rule is the rule).
      logs: { destination: screenLogs, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    acknowledge(
      this.screenJobs.role,
      'AwsSolutions-IAM5[Resource::*]',
      'CloudWatch Logs vended-log delivery (logs:*LogDelivery, PutResourcePolicy, Describe*) and X-Ray actions added by ' +
        'the screening-job state machine\'s logs and tracing settings do not support resource-level permissions.',
    );
    acknowledge(
      this.screenJobs.role,
      iam5Resource(this, `${screenJob.fn.functionArn}:*`),
      'Added by LambdaInvoke for the screen-job function: the ":*" covers its versions and aliases; the grant is still ' +
        'limited to that one function.',
    );

    // --- the api function ----------------------------------------------------------------------------------
    const api = crmMergeFunction(this, 'Api', {
      ...common,
      description: 'crm-merge API: every route (lambdas/api/routes.ts)',
      roleDescription: 'crm-merge api function',
      handlerFile: 'api',
      sizing: API_SIZING.api,
      environment: {
        ...environment,
        CRM_MERGE_STATE_MACHINE_ARN: props.stateMachine.stateMachineArn,
        CRM_MERGE_SCREEN_STATE_MACHINE_ARN: this.screenJobs.stateMachineArn,
      },
    });
    this.apiFunction = api.fn;
    grantApi(this, api.role, storage, apiCapabilities(ROUTES), {
      runs: props.stateMachine.stateMachineArn,
      screenJobs: this.screenJobs.stateMachineArn,
    });
    grantTombstoneSalt(api.role, storage);
    acknowledgeRuntimeExternals(this);

    // --- the REST API ---------------------------------------------------------------------------------------
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      encryptionKey: storage.key,
      removalPolicy,
    });
    this.api = new apigw.RestApi(this, 'RestApi', {
      restApiName: `${stack.stackName}-api`,
      description: 'crm-merge API: runs, profiles, screening, reports (IAM authorisation)',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      // CDK's own account role carries an AWS managed policy; ours (below) has an inline one.
      cloudWatchRole: false,
      defaultMethodOptions: { authorizationType: apigw.AuthorizationType.IAM },
      deployOptions: {
        stageName: props.stageName ?? 'v1',
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: apigw.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
        loggingLevel: apigw.MethodLoggingLevel.OFF,
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
        throttlingRateLimit: API_THROTTLING.rateLimit,
        throttlingBurstLimit: API_THROTTLING.burstLimit,
      },
    });
    // The URL is a stack output under a stable name (CrmMergeStack), not the RestApi's generated one.
    this.api.node.tryRemoveChild('Endpoint');

    if (props.configureAccountLogging ?? true) {
      const account = this.accountCloudWatchRole();
      // The stage's access log setting is refused until the account names a CloudWatch role.
      this.api.deploymentStage.node.addDependency(account);
    }

    const bodyValidator = this.api.addRequestValidator('BodyValidator', {
      requestValidatorName: 'body-and-parameters',
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const parameterValidator = this.api.addRequestValidator('ParameterValidator', {
      requestValidatorName: 'parameters',
      validateRequestBody: false,
      validateRequestParameters: true,
    });
    // One model per body route, from the zod schema the route itself parses with (lambdas/api/schemas.ts).
    const schemas = BODY_SCHEMAS as Readonly<Record<string, z.ZodType | undefined>>;
    const models = new Map<string, apigw.Model>();
    for (const spec of ROUTES.filter((candidate) => candidate.body)) {
      const schema = schemas[spec.id];
      if (!schema) throw new Error(`route ${spec.id} takes a body but BODY_SCHEMAS (lambdas/api/schemas.ts) has no schema for it`);
      models.set(
        spec.id,
        this.api.addModel(`${pascal(spec.id)}Body`, {
          contentType: 'application/json',
          modelName: `${pascal(spec.id)}Body`,
          description: `Body of ${spec.method} ${spec.path}`,
          schema: { schema: apigw.JsonSchemaVersion.DRAFT4, ...(bodyJsonSchema(schema) as apigw.JsonSchema) },
        }),
      );
    }
    const integration = new apigw.LambdaIntegration(api.fn, { proxy: true, allowTestInvoke: false });
    for (const spec of ROUTES) addMethod(this.api, spec, integration, spec.body ? bodyValidator : parameterValidator, models.get(spec.id));
    addErrorResponses(this.api);

    acknowledge(
      this.api,
      'AwsSolutions-COG4',
      'Callers are AWS principals (integration jobs, marketing tools, auditors) signing with SigV4: every method uses ' +
        'IAM authorisation, and execute-api:Invoke is granted per route to three roles; there are no end-user logins.',
    );
    acknowledge(
      this.api.deploymentStage,
      'AwsSolutions-APIG3',
      'No WAF: every method requires a SigV4 signature of one of three IAM roles, so anonymous traffic is refused by ' +
        'API Gateway before any integration runs; the stage is throttled, and the WAF common rule set\'s 8 KB body ' +
        'limit would block inline screening lists.',
    );
    acknowledge(
      this.api.deploymentStage,
      'AwsSolutions-APIG6',
      'Execution logging is off on purpose: its entries quote request validation errors with the values (customer ' +
        'emails, names); the access log records every call without PII and the api function logs every request\'s ' +
        'route, status and duration.',
    );

    // --- the caller roles -----------------------------------------------------------------------------------
    const roles: Partial<Record<ApiRole, iam.Role>> = {};
    for (const role of API_ROLES) roles[role] = this.callerRole(role, props.principals?.[role] ?? new iam.AccountRootPrincipal());
    this.roles = roles as Record<ApiRole, iam.Role>;
  }

  /**
   * The region's API Gateway account setting: a role API Gateway assumes to write logs, with an inline policy equal to
   * the AWS managed AmazonAPIGatewayPushToCloudWatchLogs but limited to log groups of this account and region. Kept
   * when the stack is deleted: the account setting would otherwise name a role that no longer exists.
   */
  private accountCloudWatchRole(): apigw.CfnAccount {
    const stack = Stack.of(this);
    const logGroups = stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const role = new iam.Role(this, 'ApiGatewayLogsRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'API Gateway account setting of this region: writes REST API access logs to CloudWatch Logs',
      inlinePolicies: {
        PushToCloudWatchLogs: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              actions: [
                'logs:CreateLogGroup',
                'logs:CreateLogStream',
                'logs:DescribeLogGroups',
                'logs:DescribeLogStreams',
                'logs:FilterLogEvents',
                'logs:GetLogEvents',
                'logs:PutLogEvents',
              ],
              resources: [logGroups],
            }),
          ],
        }),
      },
    });
    role.applyRemovalPolicy(RemovalPolicy.RETAIN);
    acknowledge(
      role,
      iam5Resource(this, logGroups),
      'The API Gateway account setting is shared by every REST API of this account and region, whose access and ' +
        'execution log groups API Gateway names itself; the role is limited to log groups of this account and region.',
    );
    const account = new apigw.CfnAccount(this, 'ApiGatewayAccount', { cloudWatchRoleArn: role.roleArn });
    account.node.addDependency(role);
    return account;
  }

  /** The execute-api ARN of a route on this API's stage (`*` for path parameters). */
  routeArn(spec: Pick<RouteSpec, 'method' | 'path'>): string {
    const resource = executeApiResource(spec);
    const method = resource.slice(0, spec.method.length);
    return this.api.arnForExecuteApi(method, resource.slice(method.length), this.api.deploymentStage.stageName);
  }

  private callerRole(role: ApiRole, principal: iam.IPrincipal): iam.Role {
    const caller = new iam.Role(this, `${pascal(role)}CallerRole`, {
      assumedBy: principal,
      description: `crm-merge API caller: ${role} (${routesOf(role).map((spec) => `${spec.method} ${spec.path}`).join(', ')})`,
      maxSessionDuration: Duration.hours(1),
    });
    const allowed = routesOf(role);
    caller.addToPolicy(
      new iam.PolicyStatement({ sid: 'InvokeOwnRoutes', actions: ['execute-api:Invoke'], resources: allowed.map((spec) => this.routeArn(spec)) }),
    );
    const denied = overlappingRoutes(role);
    if (denied.length > 0) {
      // IAM's "*" matches "/" too: GET/runs/* would reach GET/runs/<id>/report. Denied explicitly.
      caller.addToPolicy(
        new iam.PolicyStatement({
          sid: 'DenyOtherRolesRoutes',
          effect: iam.Effect.DENY,
          actions: ['execute-api:Invoke'],
          resources: denied.map((spec) => this.routeArn(spec)),
        }),
      );
    }
    for (const spec of allowed.filter((candidate) => candidate.path.includes('{'))) {
      acknowledge(
        caller,
        iam5Resource(this, this.routeArn(spec)),
        `The "*" stands for the path parameter of ${spec.method} ${spec.path} (ids chosen at run time); routes of other ` +
          'roles that the wildcard would also match are denied explicitly in the same policy.',
      );
    }
    return caller;
  }
}

function addMethod(
  api: apigw.RestApi,
  spec: RouteSpec,
  integration: apigw.Integration,
  validator: apigw.IRequestValidator,
  model: apigw.IModel | undefined,
): void {
  const requestParameters: Record<string, boolean> = {};
  for (const param of spec.path.match(/\{([^}]+)\}/g) ?? []) requestParameters[`method.request.path.${param.slice(1, -1)}`] = true;
  for (const name of spec.query) requestParameters[`method.request.querystring.${name}`] = false;
  api.root.resourceForPath(spec.path).addMethod(spec.method, integration, {
    operationName: spec.id,
    authorizationType: apigw.AuthorizationType.IAM,
    requestValidator: validator,
    requestParameters,
    ...(model ? { requestModels: { 'application/json': model } } : {}),
  });
}

/** API Gateway's own errors (validation, authorisation, throttling) in the API's JSON error shape. */
function addErrorResponses(api: apigw.RestApi): void {
  const json = (status: number | null, code: string, detail = false): Record<string, string> => ({
    'application/json':
      `{"error":{${status === null ? '' : `"status":${status},`}"code":"${code}","message":$context.error.messageString` +
      `${detail ? ',"detail":"$context.error.validationErrorString"' : ''},"requestId":"$context.requestId"}}`,
  });
  api.addGatewayResponse('BadRequestBody', { type: apigw.ResponseType.BAD_REQUEST_BODY, statusCode: '400', templates: json(400, 'invalid_request', true) });
  api.addGatewayResponse('BadRequestParameters', {
    type: apigw.ResponseType.BAD_REQUEST_PARAMETERS,
    statusCode: '400',
    templates: json(400, 'invalid_request', true),
  });
  api.addGatewayResponse('AccessDenied', { type: apigw.ResponseType.ACCESS_DENIED, statusCode: '403', templates: json(403, 'forbidden') });
  api.addGatewayResponse('MissingAuthenticationToken', {
    type: apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN,
    statusCode: '403',
    templates: json(403, 'forbidden'),
  });
  api.addGatewayResponse('RequestTooLarge', { type: apigw.ResponseType.REQUEST_TOO_LARGE, statusCode: '413', templates: json(413, 'payload_too_large') });
  api.addGatewayResponse('UnsupportedMediaType', {
    type: apigw.ResponseType.UNSUPPORTED_MEDIA_TYPE,
    statusCode: '415',
    templates: json(415, 'unsupported_media_type'),
  });
  api.addGatewayResponse('Default4xx', { type: apigw.ResponseType.DEFAULT_4XX, templates: json(null, '$context.error.responseType') });
  api.addGatewayResponse('Default5xx', { type: apigw.ResponseType.DEFAULT_5XX, templates: json(null, '$context.error.responseType') });
}

const objects = (bucketArn: string, pattern: string): string => `${bucketArn}/${pattern}`;

/**
 * What the api function may do, by capability. Each route names the capabilities it uses in {@link ROUTE_ACCESS};
 * the function gets the union over the routes that exist, nothing more.
 */
export type ApiCapability =
  /** GetItem/BatchGetItem on the runs table, Query on its byRecency and byClientToken indexes. */
  | 'readRuns'
  /** PutItem/UpdateItem on the runs table and states:StartExecution on the run state machine (POST /runs). */
  | 'startRuns'
  /** GetObject (and ListBucket, so a missing file is a 404) on the input bucket: preflight, lists, mappings. */
  | 'readInputs'
  /** GetItem/Query/BatchGetItem on the profile table: profiles, lookups, the active-run pointer, tombstones. */
  | 'readProfiles'
  /** GetObject under reports/ of the reports bucket (presigned links), ListBucket limited to reports/. */
  | 'readReports'
  /** GetObject of the run model files (runs/<run>/model/*) screening scores with. */
  | 'readRunModels'
  /** Read and write screening job files (screening/<job>/), start the screening-job state machine. */
  | 'startScreenJobs'
  /** Read screening job files and presign their results. */
  | 'readScreenJobs'
  /**
   * Right to erasure: BatchWriteItem on the profile table limited to profile, lookup and tombstone partitions (never
   * the active-run pointer); rewrite runs' profile files (runs/<run>/profiles/*) and record erased rows
   * (runs/<run>/erased/*).
   */
  | 'eraseProfiles';

/**
 * The capabilities each route uses (read from its route function in lambdas/api/). Keyed by route id as a string so
 * the table can name a route before it is in ROUTES; a route in ROUTES without an entry fails the synth.
 */
export const ROUTE_ACCESS: Readonly<Record<string, readonly ApiCapability[]>> = {
  // findByClientToken, create, preflight of every source, StartExecution; the view resolves the active run.
  createRun: ['readRuns', 'startRuns', 'readInputs', 'readProfiles'],
  listRuns: ['readRuns', 'readProfiles'],
  getRun: ['readRuns', 'readProfiles'],
  getRunReport: ['readRuns', 'readProfiles', 'readReports'],
  getProfile: ['readProfiles'],
  findProfiles: ['readProfiles'],
  searchProfiles: ['readProfiles'],
  forgetPerson: ['readProfiles', 'eraseProfiles'],
  // Inline lists are screened in the request (profiles, model files, tombstones); a list in S3 becomes a job.
  screenList: ['readProfiles', 'readInputs', 'readRunModels', 'startScreenJobs'],
  getScreenJob: ['readScreenJobs'],
};

/** The api function's capabilities: the union over `routes`. Throws for a route without a {@link ROUTE_ACCESS} entry. */
export function apiCapabilities(routes: readonly Pick<RouteSpec, 'id'>[] = ROUTES): Set<ApiCapability> {
  const capabilities = new Set<ApiCapability>();
  for (const spec of routes) {
    const access = ROUTE_ACCESS[spec.id];
    if (!access) throw new Error(`route ${spec.id} has no entry in ROUTE_ACCESS (infra/constructs/run-api.ts): say what the api function needs for it`);
    access.forEach((capability) => capabilities.add(capability));
  }
  return capabilities;
}

/** Collects KMS needs while statements are added, then adds one key statement limited to S3 and DynamoDB. */
class KeyUse {
  private readonly actions = new Set<string>();
  private readonly services = new Set<string>();

  read(service: 's3' | 'dynamodb'): void {
    this.services.add(service);
    this.actions.add('kms:Decrypt');
    if (service === 'dynamodb') this.actions.add('kms:DescribeKey');
  }

  write(service: 's3' | 'dynamodb'): void {
    this.read(service);
    this.actions.add('kms:GenerateDataKey');
    if (service === 'dynamodb') this.actions.add('kms:Encrypt');
  }

  apply(scope: Construct, role: iam.Role, storage: PipelineStorage): void {
    if (this.services.size === 0) return;
    const region = Stack.of(scope).region;
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'UseKeyOnlyViaS3OrDynamoDb',
        actions: [...this.actions].sort(),
        resources: [storage.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': [...this.services].sort().map((service) => `${service}.${region}.amazonaws.com`) } },
      }),
    );
  }
}

const RUNS_PREFIX = workKeys.prefix('*').replace(/\*\/$/, ''); // "runs/"
const REPORTS_PREFIX = reportKeys.prefix('*').replace(/\*\/$/, ''); // "reports/"

/** The api function's statements, one per capability it has (see {@link ROUTE_ACCESS}). */
function grantApi(
  scope: Construct,
  role: iam.Role,
  storage: PipelineStorage,
  capabilities: ReadonlySet<ApiCapability>,
  stateMachines: { runs: string; screenJobs: string },
): void {
  const has = (capability: ApiCapability): boolean => capabilities.has(capability);
  const key = new KeyUse();
  const ack = (resource: string, reason: string): void => acknowledge(role, iam5Resource(scope, resource), reason);

  if (has('readRuns')) {
    role.addToPolicy(new iam.PolicyStatement({ sid: 'ReadRuns', actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'], resources: [storage.runsTable.tableArn] }));
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'QueryRunIndexes',
        actions: ['dynamodb:Query'],
        resources: [RUNS_BY_RECENCY_INDEX.name, RUNS_BY_CLIENT_TOKEN_INDEX.name].map((index) => `${storage.runsTable.tableArn}/index/${index}`),
      }),
    );
    key.read('dynamodb');
  }
  if (has('startRuns')) {
    role.addToPolicy(new iam.PolicyStatement({ sid: 'CreateAndUpdateRuns', actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], resources: [storage.runsTable.tableArn] }));
    role.addToPolicy(new iam.PolicyStatement({ sid: 'StartRuns', actions: ['states:StartExecution'], resources: [stateMachines.runs] }));
    key.write('dynamodb');
  }
  if (has('readInputs')) grantReadInputs(scope, role, storage, key, 'Reads the source files and mappings named in POST /runs (preflight) and the campaign lists and mappings named in POST /screen; their keys are chosen by the caller at run time.');
  if (has('readProfiles')) grantReadProfiles(role, storage, key);
  if (has('readReports')) {
    const reports = objects(storage.reportsBucket.bucketArn, `${REPORTS_PREFIX}*`);
    role.addToPolicy(new iam.PolicyStatement({ sid: 'PresignReports', actions: ['s3:GetObject'], resources: [reports] }));
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListReports',
        actions: ['s3:ListBucket'],
        resources: [storage.reportsBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': `${REPORTS_PREFIX}*` } },
      }),
    );
    ack(reports, `GET /runs/{id}/report presigns ${REPORTS_PREFIX}<runId>/<file>; run ids are only known at run time, so the read covers the ${REPORTS_PREFIX} prefix only.`);
    key.read('s3');
  }
  if (has('readRunModels')) grantReadRunModels(scope, role, storage, key);
  const screening = objects(storage.workBucket.bucketArn, `${screeningKeys.prefix}*`);
  if (has('startScreenJobs') || has('readScreenJobs')) {
    const write = has('startScreenJobs');
    role.addToPolicy(
      new iam.PolicyStatement({ sid: 'ScreeningJobFiles', actions: write ? ['s3:GetObject', 's3:PutObject'] : ['s3:GetObject'], resources: [screening] }),
    );
    ack(
      screening,
      `Screening jobs are keyed ${screeningKeys.prefix}<jobId>/ (job file, result); job ids are made at run time, so the grant covers that prefix of the work bucket only.`,
    );
    if (write) {
      role.addToPolicy(new iam.PolicyStatement({ sid: 'StartScreenJobs', actions: ['states:StartExecution'], resources: [stateMachines.screenJobs] }));
      key.write('s3');
    } else key.read('s3');
  }
  if (has('eraseProfiles')) {
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'EraseProfiles',
        actions: ['dynamodb:BatchWriteItem'],
        resources: [storage.profileTable.tableArn],
        // Profile, lookup and tombstone partitions only: never the active-run pointer.
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...PROFILE_PARTITION_PATTERNS, TOMBSTONE_PARTITION] } },
      }),
    );
    const profileFiles = objects(storage.workBucket.bucketArn, `${RUNS_PREFIX}*/profiles/*`);
    const erasedFiles = objects(storage.workBucket.bucketArn, `${RUNS_PREFIX}*/erased/*`);
    role.addToPolicy(
      new iam.PolicyStatement({ sid: 'RewriteProfileFiles', actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'], resources: [profileFiles] }),
    );
    role.addToPolicy(new iam.PolicyStatement({ sid: 'RecordErasedRows', actions: ['s3:PutObject'], resources: [erasedFiles] }));
    ack(
      profileFiles,
      `POST /profiles/forget rewrites the profile files (${RUNS_PREFIX}<runId>/profiles/<chunk>.ndjson) of every run holding the person; run ids are only known at run time.`,
    );
    ack(
      erasedFiles,
      `POST /profiles/forget records the rows it erased per run (${RUNS_PREFIX}<runId>/erased/<step>.json) so the run's accounting stays balanced; run ids are only known at run time.`,
    );
    key.write('dynamodb');
    key.write('s3');
  }
  if (has('startScreenJobs') || has('readScreenJobs') || has('eraseProfiles')) {
    // Unconditional, so a missing job file is a 404 (GET /screen/{jobId} of an expired job), not a 403; listing the
    // profile files of a run (erasure) needs it too. Key names hold run and job ids, never customer values.
    role.addToPolicy(new iam.PolicyStatement({ sid: 'ListWorkFiles', actions: ['s3:ListBucket'], resources: [storage.workBucket.bucketArn] }));
  }
  key.apply(scope, role, storage);
}

/** The screen-job function: the job file, the list (input bucket), the active run's model and profiles, the result. */
function grantScreenJob(scope: Construct, role: iam.Role, storage: PipelineStorage): void {
  const key = new KeyUse();
  grantReadInputs(scope, role, storage, key, 'Reads the campaign list (and mapping) a screening job names; their keys are chosen by the caller of POST /screen at run time.');
  grantReadProfiles(role, storage, key);
  grantReadRunModels(scope, role, storage, key);
  const screening = objects(storage.workBucket.bucketArn, `${screeningKeys.prefix}*`);
  role.addToPolicy(
    new iam.PolicyStatement({ sid: 'ScreeningJobFiles', actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'], resources: [screening] }),
  );
  acknowledge(
    role,
    iam5Resource(scope, screening),
    `A screening job reads its job file and streams its result to ${screeningKeys.prefix}<jobId>/; job ids are made at run time, so the grant covers that prefix of the work bucket only.`,
  );
  key.write('s3');
  key.apply(scope, role, storage);
}

/** Profile and lookup partitions (`P#`, `E#`, `T#`, `N#`), as StringLike patterns of dynamodb:LeadingKeys. */
const PROFILE_PARTITION_PATTERNS = [
  profileItemKey('', '').pk,
  lookupPartitionKey('email', ''),
  lookupPartitionKey('phone', ''),
  lookupPartitionKey('name', ''),
].map((prefix) => `${prefix}*`);

function grantReadInputs(scope: Construct, role: iam.Role, storage: PipelineStorage, key: KeyUse, reason: string): void {
  const inputs = objects(storage.inputBucket.bucketArn, '*');
  role.addToPolicy(new iam.PolicyStatement({ sid: 'ReadInputs', actions: ['s3:GetObject'], resources: [inputs] }));
  role.addToPolicy(new iam.PolicyStatement({ sid: 'ListInputs', actions: ['s3:ListBucket'], resources: [storage.inputBucket.bucketArn] }));
  acknowledge(role, iam5Resource(scope, inputs), reason);
  key.read('s3');
}

function grantReadProfiles(role: iam.Role, storage: PipelineStorage, key: KeyUse): void {
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'ReadProfiles',
      actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'],
      resources: [storage.profileTable.tableArn],
    }),
  );
  key.read('dynamodb');
}

function grantReadRunModels(scope: Construct, role: iam.Role, storage: PipelineStorage, key: KeyUse): void {
  const models = objects(storage.workBucket.bucketArn, `${RUNS_PREFIX}*/model/*`);
  role.addToPolicy(new iam.PolicyStatement({ sid: 'ReadRunModels', actions: ['s3:GetObject'], resources: [models] }));
  acknowledge(
    role,
    iam5Resource(scope, models),
    `Screening scores with the active run's model files (${RUNS_PREFIX}<runId>/model/*); the active run is only known at run time, and no other work file is readable.`,
  );
  key.read('s3');
}
