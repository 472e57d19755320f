import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { readApiEnvironment } from '../../lambdas/api/aws-launcher';
import { API_ROLES, iamArnMatches, overlappingRoutes, ROUTES, routeById, routesOf, type ApiRole, type RouteSpec } from '../../lambdas/api/routes';
import { BODY_SCHEMAS, bodyJsonSchema } from '../../lambdas/api/schemas';
import { readEnvironment } from '../../lambdas/config/env';
import { ACTIVE_POINTER_KEY } from '../../lambdas/storage/table-schema';
import { API_GATEWAY_ACCOUNT_ROLE_CONTEXT } from '../../infra/crm-merge-app';
import { ACCESS_LOG_FIELDS, API_SIZING, API_THROTTLING, apiCapabilities, ROUTE_ACCESS } from '../../infra/constructs/run-api';
import {
  buildApp,
  createTestApp,
  grants,
  iamDecision,
  logicalId,
  renderValue,
  resources,
  roleStatements,
  SAMPLE_ENVIRONMENT,
  storageIds,
  type Json,
  type RenderContext,
  type Statement,
} from './support';

/**
 * The API as synthesized: API Gateway resources, methods, validation, logging and throttling; the caller roles'
 * policies evaluated request by request; the api and screen-job functions' permissions; the screening-job state
 * machine. Expectations come from ROUTES (lambdas/api/routes.ts), so a route added there is covered here.
 */

const { stack, template } = buildApp();
const { api: runApi, storage } = stack;
const restApiId = logicalId(runApi.api);
const ids = {
  ...storageIds(storage),
  pipeline: logicalId(stack.pipeline.stateMachine),
  screenJobs: logicalId(runApi.screenJobs),
  apiFunction: logicalId(runApi.apiFunction),
  screenJobFunction: logicalId(runApi.screenJobFunction),
};
const SAMPLE_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:TombstoneSalt-AbCdEf';

/**
 * Both functions hash or check erasure tombstones (forget writes them, screening suppresses erased people): each knows
 * where the salt is and may read exactly that secret, decrypting it only through Secrets Manager.
 */
function expectTombstoneSaltAccess(fnId: string): void {
  const fn = byType('AWS::Lambda::Function')[fnId].Properties;
  const variables = (fn.Environment as { Variables: Record<string, Json> }).Variables;
  expect(variables.CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN).toEqual({ Ref: ids.salt });
  expect(variables.CRM_MERGE_TOMBSTONE_SALT).toBeUndefined();
  const statements = roleStatements(template, (fn.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0]);
  const secretActions = statements.flatMap((statement) => ([] as string[]).concat(statement.Action)).filter((action) => action.startsWith('secretsmanager:'));
  expect(secretActions).toEqual(['secretsmanager:GetSecretValue']);
  expect(grants(statements, 'secretsmanager:GetSecretValue').map((statement) => statement.Resource)).toEqual([{ Ref: ids.salt }]);
  const decrypts = grants(statements, 'kms:Decrypt', ids.key).filter((statement) => JSON.stringify(statement.Condition ?? {}).includes('secretsmanager.'));
  expect(decrypts).toHaveLength(1);
  expect(decrypts[0].Condition?.StringEquals?.['kms:EncryptionContext:SecretARN']).toEqual({ Ref: ids.salt });
}

const byType = (type: string) => resources(template, type);
const methods = byType('AWS::ApiGateway::Method');
const apiResources = byType('AWS::ApiGateway::Resource');
const [[stageId, stage]] = Object.entries(byType('AWS::ApiGateway::Stage'));

/** Full path of an API Gateway resource reference (`Ref` of a Resource, or the RestApi's root). */
function pathOf(ref: Json): string {
  const record = ref as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  if (record['Fn::GetAtt']?.[0] === restApiId && record['Fn::GetAtt'][1] === 'RootResourceId') return '';
  const resource = apiResources[record.Ref ?? ''];
  if (!resource) throw new Error(`unknown resource ${JSON.stringify(ref)}`);
  return `${pathOf(resource.Properties.ParentId)}/${String(resource.Properties.PathPart)}`;
}

const methodList = Object.entries(methods).map(([id, method]) => ({
  id,
  method: String(method.Properties.HttpMethod),
  path: pathOf(method.Properties.ResourceId) || '/',
  props: method.Properties,
}));
const methodOf = (spec: RouteSpec) => {
  const found = methodList.find((candidate) => candidate.method === spec.method && candidate.path === spec.path);
  if (!found) throw new Error(`no method ${spec.method} ${spec.path}`);
  return found;
};
const pathParams = (spec: RouteSpec): string[] => (spec.path.match(/\{([^}]+)\}/g) ?? []).map((param) => param.slice(1, -1));

describe('resources and methods', () => {
  it('has exactly one method per route of ROUTES, on the route\'s resource path', () => {
    expect(methodList.map((m) => `${m.method} ${m.path}`).sort()).toEqual(ROUTES.map((spec) => `${spec.method} ${spec.path}`).sort());
  });

  it.each(ROUTES.map((spec) => [spec.id, spec] as const))('%s: AWS_IAM authorisation, proxied to the api function', (_, spec) => {
    const { props } = methodOf(spec);
    expect(props.AuthorizationType).toBe('AWS_IAM');
    expect(props.OperationName).toBe(spec.id);
    expect(props.Integration).toMatchObject({ Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' });
    expect(JSON.stringify(props.Integration)).toContain(`"Fn::GetAtt":["${ids.apiFunction}","Arn"]`);
  });

  it('every method of the REST API uses AWS_IAM (none is open, none uses another authoriser)', () => {
    for (const { props } of methodList) {
      expect(props.AuthorizationType).toBe('AWS_IAM');
      expect(props.AuthorizerId).toBeUndefined();
      expect(props.ApiKeyRequired).not.toBe(true);
    }
  });

  it.each(ROUTES.map((spec) => [spec.id, spec] as const))('%s: path parameters required, known query parameters declared', (_, spec) => {
    const expected: Record<string, boolean> = {};
    for (const name of pathParams(spec)) expected[`method.request.path.${name}`] = true;
    for (const name of spec.query) expected[`method.request.querystring.${name}`] = false;
    expect(methodOf(spec).props.RequestParameters).toEqual(expected);
  });

  it('path parameters are ids, never a person\'s data (emails, phones and names travel in bodies or queries)', () => {
    for (const spec of ROUTES) for (const name of pathParams(spec)) expect(name).toMatch(/^(id|[a-z]+Id)$/);
  });

  it('is a regional REST API whose generated endpoint output is replaced by the stack\'s ApiUrl', () => {
    const [restApi] = Object.values(byType('AWS::ApiGateway::RestApi'));
    expect(restApi.Properties.EndpointConfiguration).toEqual({ Types: ['REGIONAL'] });
    const outputs = template.toJSON().Outputs as Record<string, { Value: Json }>;
    const mentioningApi = Object.entries(outputs).filter(([, output]) => JSON.stringify(output.Value).includes(`"${restApiId}"`));
    expect(mentioningApi.map(([name]) => name)).toEqual(['ApiUrl']);
  });
});

describe('request validation', () => {
  const validators = byType('AWS::ApiGateway::RequestValidator');
  const validatorOf = (spec: RouteSpec) => validators[(methodOf(spec).props.RequestValidatorId as { Ref: string }).Ref].Properties;

  it.each(ROUTES.filter((spec) => spec.body).map((spec) => [spec.id, spec] as const))(
    '%s: its JSON body is validated against the model of its zod schema',
    (_, spec) => {
      const { props } = methodOf(spec);
      expect(validatorOf(spec)).toMatchObject({ ValidateRequestBody: true, ValidateRequestParameters: true });
      const modelRef = (props.RequestModels as Record<string, { Ref: string }>)['application/json'].Ref;
      const model = byType('AWS::ApiGateway::Model')[modelRef].Properties;
      expect(model.ContentType).toBe('application/json');
      const schema = (BODY_SCHEMAS as Record<string, Parameters<typeof bodyJsonSchema>[0]>)[spec.id];
      expect(schema).toBeDefined();
      expect(model.Schema).toEqual({ $schema: 'http://json-schema.org/draft-04/schema#', ...bodyJsonSchema(schema) });
    },
  );

  it.each(ROUTES.filter((spec) => !spec.body).map((spec) => [spec.id, spec] as const))('%s: no body model, parameters validated', (_, spec) => {
    expect(methodOf(spec).props.RequestModels).toBeUndefined();
    expect(validatorOf(spec)).toMatchObject({ ValidateRequestBody: false, ValidateRequestParameters: true });
  });

  it('has a model for every body route and no other', () => {
    expect(Object.keys(byType('AWS::ApiGateway::Model')).length).toBe(ROUTES.filter((spec) => spec.body).length);
  });
});

describe('clear 4xx errors from API Gateway itself', () => {
  const responses = Object.values(byType('AWS::ApiGateway::GatewayResponse')).map((response) => response.Properties);
  const responseOf = (type: string) => {
    const found = responses.find((response) => response.ResponseType === type);
    if (!found) throw new Error(`no gateway response ${type}`);
    return found;
  };
  /** The template as API Gateway would fill it (simple substitution), parsed. */
  const render = (type: string, message: string): { error: Record<string, Json> } => {
    const body = (responseOf(type).ResponseTemplates as Record<string, string>)['application/json']
      .replaceAll('$context.error.messageString', JSON.stringify(message))
      .replaceAll('$context.error.validationErrorString', '[object has missing required properties]')
      .replaceAll('$context.error.responseType', type)
      .replaceAll('$context.requestId', 'req-1');
    return JSON.parse(body) as { error: Record<string, Json> };
  };

  it.each([
    ['BAD_REQUEST_BODY', '400', 'invalid_request'],
    ['BAD_REQUEST_PARAMETERS', '400', 'invalid_request'],
    ['ACCESS_DENIED', '403', 'forbidden'],
    ['MISSING_AUTHENTICATION_TOKEN', '403', 'forbidden'],
    ['REQUEST_TOO_LARGE', '413', 'payload_too_large'],
    ['UNSUPPORTED_MEDIA_TYPE', '415', 'unsupported_media_type'],
  ])('%s: %s with code %s in the API\'s JSON error shape', (type, status, code) => {
    expect(responseOf(type).StatusCode).toBe(status);
    const { error } = render(type, 'something went wrong');
    expect(error).toMatchObject({ status: Number(status), code, message: 'something went wrong', requestId: 'req-1' });
  });

  it('a body that fails validation is answered with what failed', () => {
    expect(render('BAD_REQUEST_BODY', 'Invalid request body').error.detail).toBe('[object has missing required properties]');
  });

  it('every other 4xx and 5xx keeps the shape, with the response type as the code', () => {
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) expect(render(type, 'x').error).toMatchObject({ code: type, message: 'x' });
  });
});

describe('logging and throttling (no PII in logs)', () => {
  const format = String((stage.Properties.AccessLogSetting as Record<string, Json>).Format);

  it('writes an access log to its own KMS-encrypted log group', () => {
    const destination = (stage.Properties.AccessLogSetting as { DestinationArn: { 'Fn::GetAtt': [string, string] } }).DestinationArn;
    const logGroup = byType('AWS::Logs::LogGroup')[destination['Fn::GetAtt'][0]];
    expect(logGroup.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [ids.key, 'Arn'] });
    expect(logGroup.Properties.RetentionInDays).toBe(90);
  });

  it('the access log line is JSON with who called which route template and the outcome', () => {
    expect(JSON.parse(format)).toEqual(ACCESS_LOG_FIELDS);
    for (const variable of ['$context.requestId', '$context.identity.userArn', '$context.httpMethod', '$context.resourcePath', '$context.status']) {
      expect(format).toContain(variable);
    }
  });

  it('the access log has no path, query string, body or validation message (they can hold customer data)', () => {
    for (const forbidden of [
      /\$context\.path\b/,
      /querystring|queryString/i,
      /\$input\b/,
      /\$method\.request/,
      /\$context\.error\.validationErrorString/,
      /\$context\.error\.message\b/,
      /\$context\.requestOverride|\$context\.responseOverride/,
    ]) {
      expect(format).not.toMatch(forbidden);
    }
    // Only variables known to hold no request values.
    const allowed = new Set([
      'requestId',
      'requestTime',
      'identity.caller',
      'identity.userArn',
      'identity.sourceIp',
      'httpMethod',
      'resourcePath',
      'status',
      'responseLength',
      'responseLatency',
      'integrationLatency',
      'error.responseType',
    ]);
    for (const [, variable] of format.matchAll(/\$context\.([A-Za-z.]+)/g)) expect(allowed).toContain(variable);
  });

  it('execution logging and data trace are off, metrics and tracing on, the stage throttled', () => {
    expect(stage.Properties.MethodSettings).toEqual([
      {
        HttpMethod: '*',
        ResourcePath: '/*',
        LoggingLevel: 'OFF',
        DataTraceEnabled: false,
        MetricsEnabled: true,
        ThrottlingRateLimit: API_THROTTLING.rateLimit,
        ThrottlingBurstLimit: API_THROTTLING.burstLimit,
      },
    ]);
    expect(stage.Properties.TracingEnabled).toBe(true);
  });

  it('sets the region\'s API Gateway CloudWatch role (access logging needs it) with an inline policy, kept on delete', () => {
    const accounts = Object.entries(byType('AWS::ApiGateway::Account'));
    expect(accounts).toHaveLength(1);
    const [accountId, account] = accounts[0];
    const roleId = (account.Properties.CloudWatchRoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const role = byType('AWS::IAM::Role')[roleId];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toContain('apigateway.amazonaws.com');
    expect(role.DeletionPolicy).toBe('Retain');
    const actions = roleStatements(template, roleId).flatMap((statement) => ([] as string[]).concat(statement.Action));
    expect(actions.every((action) => action.startsWith('logs:'))).toBe(true);
    expect((template.toJSON().Resources as Record<string, { DependsOn?: string[] }>)[stageId].DependsOn).toContain(accountId);
  });

  it('leaves the account setting alone with -c crm-merge:apiGatewayAccountRole=existing', () => {
    const { stack: other } = createTestApp({ [API_GATEWAY_ACCOUNT_ROLE_CONTEXT]: 'existing' });
    expect(other.node.findAll().filter((construct) => construct instanceof apigw.CfnAccount)).toEqual([]);
  });
});

describe('caller roles: each allowed exactly its routes', () => {
  const roleIds = Object.fromEntries(API_ROLES.map((role) => [role, logicalId(runApi.roles[role])])) as Record<ApiRole, string>;
  const statementsOf = (role: ApiRole): Statement[] => roleStatements(template, roleIds[role]);
  const context: RenderContext = { ...SAMPLE_ENVIRONMENT, refs: { [restApiId]: 'a1b2c3d4e5' } };
  const stageName = String(stage.Properties.StageName);

  /** Realistic values of each path parameter (never one of the API's static segments). */
  const SAMPLE_IDS: Record<string, string[]> = {
    id: ['latest', 'run-20250302T101500Z-1a2b3c4d', 'P0123456789abcdef', 'r'],
    jobId: ['screen-20250302T101500Z-1a2b3c4d'],
  };
  /** The request ARNs a call of the route makes (one per sample id combination), on this stage. */
  function requestArns(spec: RouteSpec, stageOf = stageName): string[] {
    let paths = [spec.path];
    for (const name of pathParams(spec)) {
      const samples = SAMPLE_IDS[name];
      if (!samples) throw new Error(`no sample ids for path parameter ${name}: add some to SAMPLE_IDS`);
      paths = paths.flatMap((path) => samples.map((sample) => path.replace(`{${name}}`, sample)));
    }
    return paths.map(
      (path) => `arn:${context.partition}:execute-api:${context.region}:${context.account}:${context.refs?.[restApiId]}/${stageOf}/${spec.method}${path}`,
    );
  }
  const decide = (role: ApiRole, arn: string) =>
    iamDecision(statementsOf(role), 'execute-api:Invoke', arn, (resource) => renderValue(template, resource, context), iamArnMatches);
  const canCall = (role: ApiRole, spec: RouteSpec): boolean => {
    const decisions = requestArns(spec).map((arn) => decide(role, arn));
    // Every sample id gets the same answer: a role never reaches a route for some ids only.
    expect(new Set(decisions.map((decision) => decision === 'allow')).size).toBe(1);
    return decisions[0] === 'allow';
  };

  const matrix = API_ROLES.flatMap((role) => ROUTES.map((spec) => [role, `${spec.method} ${spec.path}`, spec.roles.includes(role), spec] as const));

  it.each(matrix)('%s -> %s: allowed is %s', (role, _, allowed, spec) => {
    expect(canCall(role, spec)).toBe(allowed);
  });

  it('a marketing caller cannot start a run (POST /runs)', () => {
    expect(canCall('marketing', routeById('createRun'))).toBe(false);
  });

  it('an auditor cannot read profiles (GET /profiles/{id})', () => {
    expect(canCall('auditor', routeById('getProfile'))).toBe(false);
    expect(canCall('auditor', routeById('searchProfiles'))).toBe(false);
    expect(canCall('auditor', routeById('findProfiles'))).toBe(false);
  });

  it('an integration caller cannot fetch report links (GET /runs/{id}/report), although it reads runs (GET /runs/{id})', () => {
    expect(canCall('integration', routeById('getRun'))).toBe(true);
    expect(canCall('integration', routeById('getRunReport'))).toBe(false);
  });

  it('an integration caller cannot read profiles or screen lists', () => {
    for (const id of ['getProfile', 'searchProfiles', 'screenList', 'getScreenJob'] as const) expect(canCall('integration', routeById(id))).toBe(false);
  });

  it('a marketing caller cannot read runs or report links', () => {
    for (const id of ['listRuns', 'getRun', 'getRunReport'] as const) expect(canCall('marketing', routeById(id))).toBe(false);
  });

  it('an auditor cannot start runs or screen lists', () => {
    for (const id of ['createRun', 'screenList', 'getScreenJob'] as const) expect(canCall('auditor', routeById(id))).toBe(false);
  });

  it('the explicit Deny is what stops a path wildcard reaching another role\'s route (integration: GET /runs/* vs the report)', () => {
    const overlaps = overlappingRoutes('integration');
    expect(overlaps.map((spec) => spec.id)).toContain('getRunReport');
    for (const spec of overlaps) {
      for (const arn of requestArns(spec)) {
        expect(decide('integration', arn)).toBe('explicit-deny');
        // Without the Deny statements the Allow alone would let the call through.
        const allowsOnly = statementsOf('integration').filter((statement) => statement.Effect === 'Allow');
        expect(iamDecision(allowsOnly, 'execute-api:Invoke', arn, (resource) => renderValue(template, resource, context), iamArnMatches)).toBe('allow');
      }
    }
  });

  it('no role reaches a route of another stage, or a method of a route it may call with another HTTP verb', () => {
    for (const role of API_ROLES) {
      for (const spec of routesOf(role)) {
        for (const arn of requestArns(spec, 'other-stage')) expect(decide(role, arn)).not.toBe('allow');
        const otherVerb = spec.method === 'GET' ? 'DELETE' : 'PUT';
        for (const arn of requestArns(spec)) expect(decide(role, arn.replace(`/${spec.method}/`, `/${otherVerb}/`))).not.toBe('allow');
      }
    }
  });

  it.each([...API_ROLES])('%s: may do nothing but execute-api:Invoke; assumable by the account, sessions of at most an hour', (role) => {
    const actions = statementsOf(role).flatMap((statement) => ([] as string[]).concat(statement.Action));
    expect(new Set(actions)).toEqual(new Set(['execute-api:Invoke']));
    const properties = byType('AWS::IAM::Role')[roleIds[role]].Properties;
    expect(properties.ManagedPolicyArns).toBeUndefined();
    expect(properties.MaxSessionDuration).toBe(3600);
    expect(JSON.stringify(properties.AssumeRolePolicyDocument)).toContain(':root');
  });

  it('the stack outputs each role\'s ARN and the API URL', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: Json }>;
    for (const role of API_ROLES) {
      const name = `Api${role[0].toUpperCase()}${role.slice(1)}RoleArn`;
      expect(outputs[name].Value).toEqual({ 'Fn::GetAtt': [roleIds[role], 'Arn'] });
    }
    expect(renderValue(template, outputs.ApiUrl.Value, context)).toBe(`https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/${stageName}/`);
  });
});

describe('the api function', () => {
  const fn = byType('AWS::Lambda::Function')[ids.apiFunction].Properties;
  const roleId = (fn.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const statements = roleStatements(template, roleId);

  it('answers within API Gateway\'s 29 s integration timeout', () => {
    expect(fn.Timeout).toBe(API_SIZING.api.timeout.toSeconds());
    expect(fn.Timeout as number).toBeLessThanOrEqual(29);
    expect(fn.Handler).toBe('index.handler');
  });

  it('knows both state machines, and its environment passes env.ts and the API\'s own validation', () => {
    const variables = (fn.Environment as { Variables: Record<string, Json> }).Variables;
    expect(variables.CRM_MERGE_STATE_MACHINE_ARN).toEqual({ Ref: ids.pipeline });
    expect(variables.CRM_MERGE_SCREEN_STATE_MACHINE_ARN).toEqual({ Ref: ids.screenJobs });
    const concrete = {
      ...Object.fromEntries(Object.keys(variables).map((name) => [name, `value-of-${name}`])),
      CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN: SAMPLE_SECRET_ARN,
      AWS_REGION: 'eu-west-1',
    };
    expect(() => readEnvironment(concrete)).not.toThrow();
    expect(() => readApiEnvironment(concrete)).not.toThrow();
  });

  it('may start executions of exactly the run and screening-job state machines, and do nothing else with Step Functions', () => {
    const started = grants(statements, 'states:StartExecution').flatMap((statement) => ([] as Json[]).concat(statement.Resource));
    expect(started.map((resource) => JSON.stringify(resource)).sort()).toEqual(
      [{ Ref: ids.pipeline }, { Ref: ids.screenJobs }].map((resource) => JSON.stringify(resource)).sort(),
    );
    const stateActions = statements.flatMap((statement) => ([] as string[]).concat(statement.Action)).filter((action) => action.startsWith('states:'));
    expect(new Set(stateActions)).toEqual(new Set(['states:StartExecution']));
  });

  it('has no wildcard actions, Resource "*" only for X-Ray, and never scans, deletes items or deletes objects', () => {
    for (const statement of statements) {
      const actions = ([] as string[]).concat(statement.Action);
      expect(actions.filter((action) => action.includes('*'))).toEqual([]);
      if (statement.Resource === '*') expect(actions.every((action) => action.startsWith('xray:'))).toBe(true);
      expect(statement.Effect).toBe('Allow');
    }
    for (const action of ['dynamodb:Scan', 'dynamodb:DeleteItem', 'dynamodb:DeleteTable', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObjectAcl']) {
      expect(grants(statements, action)).toEqual([]);
    }
  });

  it('writes the runs table (create, update) but never the profile table\'s pointer, and profile items only to erase', () => {
    for (const action of ['dynamodb:PutItem', 'dynamodb:UpdateItem']) {
      for (const statement of grants(statements, action)) expect(JSON.stringify(statement.Resource)).toContain(`"${ids.runs}"`);
      expect(grants(statements, action, ids.profiles).filter((statement) => JSON.stringify(statement.Resource).includes(ids.profiles))).toEqual([]);
    }
    const batchWrites = grants(statements, 'dynamodb:BatchWriteItem');
    expect(batchWrites.length > 0).toBe(apiCapabilities().has('eraseProfiles'));
    for (const statement of batchWrites) {
      const keys = statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] as string[];
      expect(keys.some((pattern) => iamArnMatches(pattern, ACTIVE_POINTER_KEY.pk))).toBe(false);
    }
  });

  it('reads reports only under reports/, lists them only under that prefix', () => {
    for (const statement of grants(statements, 's3:GetObject', ids.reports)) {
      expect(statement.Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [ids.reports, 'Arn'] }, '/reports/*']] });
    }
    for (const statement of grants(statements, 's3:ListBucket', ids.reports)) expect(statement.Condition).toEqual({ StringLike: { 's3:prefix': 'reports/*' } });
  });

  it('in the work bucket: run model files read, screening files, and (erasure) only profile and erased-row files of runs', () => {
    const allowed = ['/runs/*/model/*', '/screening/*', '/runs/*/profiles/*', '/runs/*/erased/*'];
    for (const action of ['s3:GetObject', 's3:PutObject']) {
      for (const statement of grants(statements, action, ids.work)) {
        const suffix = (statement.Resource as { 'Fn::Join': [string, Json[]] })['Fn::Join'][1][1] as string;
        expect(allowed).toContain(suffix);
      }
    }
  });

  it('reads the tombstone salt secret and nothing else of Secrets Manager', () => expectTombstoneSaltAccess(ids.apiFunction));

  it('uses the key only through S3 and DynamoDB (and Secrets Manager for the salt alone)', () => {
    const statements_ = grants(statements, 'kms:Decrypt', ids.key).filter((statement) => statement.Sid !== 'DecryptTombstoneSaltViaSecretsManager');
    expect(statements_).toHaveLength(1);
    expect(Object.keys(statements_[0].Condition?.StringEquals ?? {})).toEqual(['kms:ViaService']);
  });

  it('is invoked by this REST API only', () => {
    const permissions = Object.values(byType('AWS::Lambda::Permission')).filter(
      (permission) => JSON.stringify(permission.Properties.FunctionName).includes(`"${ids.apiFunction}"`),
    );
    expect(permissions.length).toBeGreaterThan(0);
    for (const permission of permissions) {
      expect(permission.Properties.Principal).toBe('apigateway.amazonaws.com');
      expect(JSON.stringify(permission.Properties.SourceArn)).toContain(`"${restApiId}"`);
    }
  });

  it('every route names what it needs (ROUTE_ACCESS); a route without an entry fails the synth', () => {
    for (const spec of ROUTES) expect(ROUTE_ACCESS[spec.id]).toBeDefined();
    expect(() => apiCapabilities([{ id: 'unknownRoute' as RouteSpec['id'] }])).toThrow(/ROUTE_ACCESS/);
  });
});

describe('the screening job', () => {
  const fn = byType('AWS::Lambda::Function')[ids.screenJobFunction].Properties;
  const roleId = (fn.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const statements = roleStatements(template, roleId);
  const machine = byType('AWS::StepFunctions::StateMachine')[ids.screenJobs].Properties;

  it('function: reads profiles, lists, run models; writes only screening files; no runs table, reports or state machines', () => {
    expect(grants(statements, 'states:StartExecution')).toEqual([]);
    for (const action of ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']) expect(grants(statements, action, ids.runs)).toEqual([]);
    for (const action of ['dynamodb:PutItem', 'dynamodb:BatchWriteItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']) expect(grants(statements, action)).toEqual([]);
    expect(grants(statements, 's3:GetObject', ids.reports)).toEqual([]);
    expect(grants(statements, 's3:PutObject', ids.input)).toEqual([]);
    for (const statement of grants(statements, 's3:PutObject')) {
      expect(statement.Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [ids.work, 'Arn'] }, '/screening/*']] });
    }
    expect(grants(statements, 'dynamodb:Query', ids.profiles)).toHaveLength(1);
    expect(fn.Timeout).toBe(API_SIZING.screenJob.timeout.toSeconds());
  });

  it('function: reads the tombstone salt secret and nothing else of Secrets Manager', () => expectTombstoneSaltAccess(ids.screenJobFunction));

  it('state machine: logs every event but never execution data, traced, bounded in time', () => {
    expect((machine.LoggingConfiguration as Record<string, Json>).IncludeExecutionData).toBe(false);
    expect((machine.LoggingConfiguration as Record<string, Json>).Level).toBe('ALL');
    expect(machine.TracingConfiguration).toEqual({ Enabled: true });
    expect(machine.StateMachineType).toBe('STANDARD');
  });

  it('state machine: invokes only the screen-job function, with the job id as its whole input', () => {
    const definition = JSON.stringify(machine.DefinitionString);
    expect(definition).toContain('jobId.$');
    expect(definition).toContain(ids.screenJobFunction);
    const machineRole = (machine.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    for (const statement of grants(roleStatements(template, machineRole), 'lambda:InvokeFunction')) {
      for (const resource of ([] as Json[]).concat(statement.Resource)) expect(JSON.stringify(resource)).toContain(`"${ids.screenJobFunction}"`);
    }
  });
});
