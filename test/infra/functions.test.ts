import { spawnSync } from 'node:child_process';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { readEnvironment } from '../../lambdas/config/env';
import { STAGES, type StageName } from '../../lambdas/pipeline/contracts';
import { ACTIVE_POINTER_KEY, TOMBSTONE_PARTITION } from '../../lambdas/storage/table-schema';
import { STAGE_SIZING } from '../../infra/constructs/pipeline-functions';
import { buildApp, grants, logicalId, resources, roleStatements, storageIds, type Json, type Statement } from './support';

const { stack, template } = buildApp();
const { storage } = stack;
const functions = stack.pipelineFunctions.functions;
const ids = storageIds(storage);
/** The stages that hash or check erasure tombstones: cluster (loadTombstones) and finalize (eraseTombstoned, forget.ts). */
const SALTED: readonly StageName[] = ['cluster', 'finalize'];
/** A concrete secret ARN for env.ts's validation of the synthesized variable. */
const SAMPLE_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:TombstoneSalt-AbCdEf';
const fnProps = (stage: StageName): Record<string, Json> =>
  resources(template, 'AWS::Lambda::Function')[logicalId(functions[stage])].Properties;
const roleOf = (stage: StageName): string => (fnProps(stage).Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
const statementsOf = (stage: StageName): Statement[] => roleStatements(template, roleOf(stage));

describe('one function per stage', () => {
  it('has exactly one Lambda function per entry of STAGES (and the API\'s two, tested in api.test.ts)', () => {
    expect(Object.keys(functions).sort()).toEqual([...STAGES].sort());
    const apiFunctions = [stack.api.apiFunction, stack.api.screenJobFunction].map(logicalId);
    expect(Object.keys(resources(template, 'AWS::Lambda::Function')).sort()).toEqual(
      [...STAGES.map((stage) => logicalId(functions[stage])), ...apiFunctions].sort(),
    );
  });

  it('gives every function its own role', () => {
    expect(new Set(STAGES.map(roleOf)).size).toBe(STAGES.length);
  });

  it.each(STAGES)('%s: NODEJS_LATEST, arm64, active tracing, handler from lambdas/handlers/<stage>.ts', (stage) => {
    const props = fnProps(stage);
    expect(props.Runtime).toBe(Runtime.NODEJS_LATEST.name);
    expect(props.Architectures).toEqual(['arm64']);
    expect(props.TracingConfig).toEqual({ Mode: 'Active' });
    expect(props.Handler).toBe('index.handler');
    expect(functions[stage].node.id).toBe(`${stage.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase())}Function`);
  });

  it.each(STAGES)('%s: memory and timeout from STAGE_SIZING', (stage) => {
    expect(fnProps(stage).MemorySize).toBe(STAGE_SIZING[stage].memorySize);
    expect(fnProps(stage).Timeout).toBe(STAGE_SIZING[stage].timeout.toSeconds());
  });

  it('keeps the sizes of the sizing table', () => {
    const mb = Object.fromEntries(STAGES.map((stage) => [stage, STAGE_SIZING[stage].memorySize]));
    expect(mb).toEqual({
      ingest: 3538,
      plan: 10240,
      route: 10240,
      compare: 1769,
      train: 1024,
      score: 1769,
      cluster: 10240,
      distribute: 10240,
      publish: 1024,
      report: 10240,
      finalize: 1769,
      'mark-failed': 256,
    });
    for (const stage of STAGES) expect(STAGE_SIZING[stage].timeout.toMinutes()).toBeLessThanOrEqual(15);
  });

  it.each(STAGES)('%s: logs to its own KMS-encrypted log group with 90-day retention', (stage) => {
    const logGroupRef = (fnProps(stage).LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
    const logGroup = resources(template, 'AWS::Logs::LogGroup')[logGroupRef];
    expect(logGroup.Properties.RetentionInDays).toBe(90);
    expect(logGroup.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [ids.key, 'Arn'] });
    expect(logGroup.DeletionPolicy).toBe('Retain');
    expect(statementsOf(stage)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [logGroupRef, 'Arn'] },
        }),
      ]),
    );
  });

  it.each(STAGES)('%s: environment is what lambdas/config/env.ts reads, pointing at this stack', (stage) => {
    const variables = (fnProps(stage).Environment as { Variables: Record<string, Json> }).Variables;
    expect(variables).toEqual({
      CRM_MERGE_INPUT_BUCKET: { Ref: ids.input },
      CRM_MERGE_WORK_BUCKET: { Ref: ids.work },
      CRM_MERGE_REPORTS_BUCKET: { Ref: ids.reports },
      CRM_MERGE_PROFILE_TABLE: { Ref: ids.profiles },
      CRM_MERGE_RUNS_TABLE: { Ref: ids.runs },
      CRM_MERGE_KMS_KEY_ID: { 'Fn::GetAtt': [ids.key, 'Arn'] },
      // Only the stages that hash tombstones learn where the salt is.
      ...(SALTED.includes(stage) ? { CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN: { Ref: ids.salt } } : {}),
      // Ingest allocates per cell and lets it die young: a larger young generation (lambdas/pipeline/heap-sizing.ts).
      // Every stage's old generation is three quarters of its function's memory.
      NODE_OPTIONS: [
        '--enable-source-maps',
        ...(stage === 'ingest' ? ['--max-semi-space-size=128'] : []),
        `--max-old-space-size=${Math.floor(STAGE_SIZING[stage].memorySize * 0.75)}`,
      ].join(' '),
    });
    // The variables pass env.ts's validation (as Lambda would set them), and every CRM_MERGE_* one is a name it knows.
    const concrete = Object.fromEntries(
      Object.keys(variables).map((name) => [name, name === 'CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN' ? SAMPLE_SECRET_ARN : `value-of-${name}`]),
    );
    const parsed = readEnvironment({ ...concrete, AWS_REGION: 'eu-west-1' });
    for (const name of Object.keys(variables).filter((n) => n.startsWith('CRM_MERGE_'))) expect(parsed).toHaveProperty(name);
  });

  it("sets only options Node accepts in NODE_OPTIONS (it refuses to start on a V8 flag it does not allow there)", () => {
    for (const stage of STAGES) {
      const options = (fnProps(stage).Environment as { Variables: Record<string, string> }).Variables.NODE_OPTIONS;
      const run = spawnSync(process.execPath, ['-e', 'process.stdout.write("started")'], { env: { PATH: process.env.PATH, NODE_OPTIONS: options }, encoding: 'utf8' });
      expect({ stage, status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({ stage, status: 0, stdout: 'started', stderr: '' });
    }
  });

  it('uses no AWS managed policies (each role has only its own inline statements)', () => {
    for (const stage of STAGES) {
      expect(resources(template, 'AWS::IAM::Role')[roleOf(stage)].Properties.ManagedPolicyArns).toBeUndefined();
    }
  });
});

/**
 * What each stage may do, written from the brief and the stage code, independently of STAGE_ACCESS.
 * Each capability is probed with one or more concrete IAM actions on one resource; profile-table capabilities also
 * name the partition key the request touches, checked against a statement's dynamodb:LeadingKeys condition.
 */
const CAPABILITIES: Record<string, { resource: string; actions: string[]; partition?: string }> = {
  readInputs: { resource: ids.input, actions: ['s3:GetObject'] },
  writeInputs: { resource: ids.input, actions: ['s3:PutObject', 's3:DeleteObject'] },
  readWork: { resource: ids.work, actions: ['s3:GetObject'] },
  writeWork: { resource: ids.work, actions: ['s3:PutObject'] },
  deleteWork: { resource: ids.work, actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'] },
  readReports: { resource: ids.reports, actions: ['s3:GetObject'] },
  writeReports: { resource: ids.reports, actions: ['s3:PutObject'] },
  readProfiles: { resource: ids.profiles, actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:BatchGetItem'], partition: 'P#P0123456789abcdef' },
  readLookups: { resource: ids.profiles, actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:BatchGetItem'], partition: 'E#someone@example.com' },
  writeProfiles: {
    resource: ids.profiles,
    actions: ['dynamodb:PutItem', 'dynamodb:BatchWriteItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    partition: 'P#P0123456789abcdef',
  },
  readActivePointer: { resource: ids.profiles, actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'], partition: ACTIVE_POINTER_KEY.pk },
  writeActivePointer: {
    resource: ids.profiles,
    actions: ['dynamodb:PutItem', 'dynamodb:BatchWriteItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    partition: ACTIVE_POINTER_KEY.pk,
  },
  readTombstones: { resource: ids.profiles, actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'], partition: TOMBSTONE_PARTITION },
  writeTombstones: {
    resource: ids.profiles,
    actions: ['dynamodb:PutItem', 'dynamodb:BatchWriteItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    partition: TOMBSTONE_PARTITION,
  },
  readRuns: { resource: ids.runs, actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'] },
  writeRuns: { resource: ids.runs, actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'] },
};
type Capability = keyof typeof CAPABILITIES;

const ALLOWED: Record<StageName, Capability[]> = {
  ingest: ['readInputs', 'writeWork'],
  plan: ['readWork', 'writeWork'],
  route: ['readWork', 'writeWork'],
  compare: ['readWork', 'writeWork'],
  train: ['readWork', 'writeWork'],
  score: ['readWork', 'writeWork'],
  // Profile ids carried over from the live run; people erased on request left out.
  cluster: ['readWork', 'writeWork', 'readActivePointer', 'readTombstones'],
  distribute: ['readWork', 'writeWork'],
  publish: ['readWork', 'writeWork', 'writeProfiles'],
  report: ['readWork', 'writeReports'],
  // Erases people tombstoned during the run (profile items, rewritten profile files), then flips the pointer.
  finalize: ['readWork', 'writeWork', 'writeProfiles', 'readActivePointer', 'writeActivePointer', 'readTombstones', 'writeRuns'],
  // A failure after the flip is recorded as succeeded: it reads which run is live.
  'mark-failed': ['readActivePointer', 'writeRuns'],
};

/** Whether a statement's dynamodb:LeadingKeys condition (if any) lets a request touch `partition`. */
function admitsPartition(statement: Statement, partition: string | undefined): boolean {
  if (partition === undefined || !statement.Condition) return true;
  for (const [operator, entries] of Object.entries(statement.Condition)) {
    const patterns = entries['dynamodb:LeadingKeys'];
    if (patterns === undefined) continue;
    const list = ([] as Json[]).concat(patterns).map(String);
    if (!/^ForAllValues:String(Equals|Like)$/.test(operator)) throw new Error(`unexpected LeadingKeys operator ${operator}`);
    const like = operator.endsWith('Like');
    if (!list.some((pattern) => (like ? new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(partition) : pattern === partition)))
      return false;
  }
  return true;
}

/** The statements granting a capability: action, resource, and the partition it touches. */
function capabilityGrants(stage: StageName, capability: Capability, action: string): Statement[] {
  const { resource, partition } = CAPABILITIES[capability];
  return grants(statementsOf(stage), action, resource).filter((statement) => admitsPartition(statement, partition));
}

describe('least privilege', () => {
  const cases = STAGES.flatMap((stage) =>
    (Object.keys(CAPABILITIES) as Capability[]).map((capability) => [stage, capability, ALLOWED[stage].includes(capability)] as const),
  );

  it.each(cases.filter(([, , allowed]) => !allowed))('%s cannot %s', (stage, capability) => {
    for (const action of CAPABILITIES[capability].actions) expect(capabilityGrants(stage, capability, action)).toEqual([]);
  });

  it.each(cases.filter(([, , allowed]) => allowed))('%s can %s', (stage, capability) => {
    expect(CAPABILITIES[capability].actions.some((action) => capabilityGrants(stage, capability, action).length > 0)).toBe(true);
  });

  it('a LeadingKeys condition is honoured by the probes (self-test of admitsPartition)', () => {
    const limited: Statement = {
      Effect: 'Allow',
      Action: 'dynamodb:Query',
      Resource: '*',
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['P#*', 'E#*'] } },
    };
    expect(admitsPartition(limited, 'P#P1')).toBe(true);
    expect(admitsPartition(limited, 'ACTIVE')).toBe(false);
    expect(admitsPartition({ ...limited, Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['TOMBSTONE'] } } }, 'TOMBSTONE')).toBe(true);
    expect(admitsPartition({ ...limited, Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['TOMBSTONE'] } } }, 'P#P1')).toBe(false);
    expect(admitsPartition({ ...limited, Condition: undefined }, 'ACTIVE')).toBe(true);
  });

  it('the ingest role cannot write the profile table and the publish role cannot read the input bucket', () => {
    for (const action of ['dynamodb:PutItem', 'dynamodb:BatchWriteItem', 'dynamodb:UpdateItem']) {
      expect(grants(statementsOf('ingest'), action, ids.profiles)).toEqual([]);
    }
    expect(grants(statementsOf('publish'), 's3:GetObject', ids.input)).toEqual([]);
    expect(grants(statementsOf('publish'), 's3:ListBucket', ids.input)).toEqual([]);
  });

  it('no role grants wildcard actions, and only X-Ray gets Resource "*"', () => {
    for (const stage of STAGES) {
      for (const statement of statementsOf(stage)) {
        const actions = ([] as string[]).concat(statement.Action);
        expect(actions.filter((action) => action.includes('*'))).toEqual([]);
        if (statement.Resource === '*') expect(actions.every((action) => action.startsWith('xray:'))).toBe(true);
      }
    }
  });

  it('work files: objects only under runs/, listing only of the runs/ prefix', () => {
    for (const stage of STAGES.filter((s) => ALLOWED[s].includes('readWork') || ALLOWED[s].includes('writeWork'))) {
      for (const action of ['s3:GetObject', 's3:PutObject']) {
        for (const statement of grants(statementsOf(stage), action, ids.work)) {
          expect(statement.Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [ids.work, 'Arn'] }, '/runs/*']] });
        }
      }
      for (const statement of grants(statementsOf(stage), 's3:ListBucket', ids.work)) {
        expect(statement.Condition).toEqual({ StringLike: { 's3:prefix': 'runs/*' } });
      }
    }
  });

  it('reports: report writes only under reports/', () => {
    const [statement] = grants(statementsOf('report'), 's3:PutObject', ids.reports);
    expect(statement.Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [ids.reports, 'Arn'] }, '/reports/*']] });
  });

  it('publish writes profile and lookup partitions but never the active-run pointer', () => {
    const statements = grants(statementsOf('publish'), 'dynamodb:BatchWriteItem', ids.profiles);
    expect(statements).toHaveLength(1);
    const leadingKeys = statements[0].Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] as string[];
    expect(leadingKeys.sort()).toEqual(['E#*', 'N#*', 'P#*', 'T#*']);
    expect(leadingKeys.some((pattern) => new RegExp(`^${pattern.replace('*', '.*')}$`).test(ACTIVE_POINTER_KEY.pk))).toBe(false);
    expect(grants(statementsOf('publish'), 'dynamodb:PutItem', ids.profiles)).toEqual([]);
  });

  it('finalize gets and puts only the active-run pointer item, and its erasure deletes touch only profile and lookup partitions', () => {
    for (const action of ['dynamodb:GetItem', 'dynamodb:PutItem']) {
      const statements = grants(statementsOf('finalize'), action, ids.profiles);
      expect(statements).toHaveLength(1);
      expect(statements[0].Condition).toEqual({
        'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [ACTIVE_POINTER_KEY.pk] },
      });
    }
    const erase = grants(statementsOf('finalize'), 'dynamodb:BatchWriteItem', ids.profiles);
    expect(erase).toHaveLength(1);
    expect((erase[0].Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] as string[]).sort()).toEqual(['E#*', 'N#*', 'P#*', 'T#*']);
  });

  it('cluster, finalize and mark-failed read the pointer and tombstones by key condition only, never a Scan', () => {
    for (const stage of ['cluster', 'finalize', 'mark-failed'] as const) {
      expect(grants(statementsOf(stage), 'dynamodb:Scan', ids.profiles)).toEqual([]);
      for (const statement of grants(statementsOf(stage), 'dynamodb:Query', ids.profiles)) {
        expect(statement.Condition).toEqual({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [TOMBSTONE_PARTITION] } });
      }
      for (const statement of grants(statementsOf(stage), 'dynamodb:GetItem', ids.profiles)) {
        expect(statement.Condition).toEqual({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [ACTIVE_POINTER_KEY.pk] } });
      }
    }
  });

  it.each(STAGES)('%s uses the key only through S3 or DynamoDB, and only the services it touches', (stage) => {
    // (The tombstone salt's decrypt via Secrets Manager is a statement of its own, tested below.)
    const statements = grants(statementsOf(stage), 'kms:Decrypt', ids.key).filter((statement) => statement.Sid !== 'DecryptTombstoneSaltViaSecretsManager');
    const touchesS3 = ALLOWED[stage].some((c) => ['readInputs', 'readWork', 'writeWork', 'writeReports'].includes(c));
    const touchesDynamo = ALLOWED[stage].some((c) => CAPABILITIES[c].resource === ids.profiles || CAPABILITIES[c].resource === ids.runs);
    expect(statements).toHaveLength(1);
    const services = (statements[0].Condition?.StringEquals?.['kms:ViaService'] as Json[]).map((value) => JSON.stringify(value));
    expect(services.some((service) => service.includes('"s3.'))).toBe(touchesS3);
    expect(services.some((service) => service.includes('"dynamodb.'))).toBe(touchesDynamo);
    expect(statements[0].Resource).toEqual({ 'Fn::GetAtt': [ids.key, 'Arn'] });
  });

  it.each(STAGES)('%s reads the tombstone salt secret exactly when it hashes tombstones, and no other secret', (stage) => {
    const statements = statementsOf(stage);
    const secretActions = statements.flatMap((statement) => ([] as string[]).concat(statement.Action)).filter((action) => action.startsWith('secretsmanager:'));
    const decrypts = grants(statements, 'kms:Decrypt', ids.key).filter((statement) => JSON.stringify(statement.Condition ?? {}).includes('secretsmanager.'));
    if (!SALTED.includes(stage)) {
      expect(secretActions).toEqual([]);
      expect(decrypts).toEqual([]);
      return;
    }
    expect(secretActions).toEqual(['secretsmanager:GetSecretValue']);
    expect(grants(statements, 'secretsmanager:GetSecretValue').map((statement) => statement.Resource)).toEqual([{ Ref: ids.salt }]);
    // The key only through Secrets Manager, and only for this secret (its ARN is the encryption context).
    expect(decrypts).toHaveLength(1);
    expect(decrypts[0].Action).toBe('kms:Decrypt');
    expect(decrypts[0].Resource).toEqual({ 'Fn::GetAtt': [ids.key, 'Arn'] });
    expect(decrypts[0].Condition).toEqual({
      StringEquals: {
        'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
        'kms:EncryptionContext:SecretARN': { Ref: ids.salt },
      },
    });
  });

  it('the stages that hash tombstones are exactly those that read them (STAGE_ACCESS readTombstones)', () => {
    expect(STAGES.filter((stage) => ALLOWED[stage].includes('readTombstones'))).toEqual([...SALTED]);
  });

  it('the state machine may invoke exactly the ten stage functions', () => {
    const machine = resources(template, 'AWS::StepFunctions::StateMachine')[logicalId(stack.pipeline.stateMachine)];
    const roleId = (machine.Properties.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const invoked = new Set<string>();
    for (const statement of grants(roleStatements(template, roleId), 'lambda:InvokeFunction')) {
      for (const resource of ([] as Json[]).concat(statement.Resource)) {
        const match = /"Fn::GetAtt":\["([A-Za-z0-9]+)","Arn"\]/.exec(JSON.stringify(resource));
        expect(match).not.toBeNull();
        invoked.add((match as RegExpExecArray)[1]);
      }
    }
    expect([...invoked].sort()).toEqual(STAGES.map((stage) => logicalId(functions[stage])).sort());
  });
});
