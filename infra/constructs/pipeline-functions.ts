import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { STAGES, type StageName } from '../../lambdas/pipeline/contracts';
import { heapFlags } from '../../lambdas/pipeline/heap-sizing';
import { reportKeys, workKeys } from '../../lambdas/pipeline/work-keys';
import { ACTIVE_POINTER_KEY, lookupPartitionKey, profileItemKey, TOMBSTONE_PARTITION } from '../../lambdas/storage/table-schema';
import { acknowledge, iam5Resource } from '../nag';
import type { PipelineStorage } from './storage';

/** Memory and timeout of one stage's function. */
export interface StageSizing {
  /** MB; CPU scales with it (1769 MB = one full vCPU, 10240 MB = 6 vCPUs). */
  readonly memorySize: number;
  readonly timeout: Duration;
}

/**
 * Default sizing per stage. Partition and chunk sizes (lambdas/pipeline/settings.ts) are chosen so that one map item
 * fits comfortably in these limits; the single-shot stages (plan, train, cluster, report, finalize) see the whole run.
 * Ingest, plan, route and report, whose memory grows with the input, are sized for about five million records per
 * company (README, "How large an input the deployed stack holds"): their memory costs cents a run, DynamoDB dollars.
 *
 * | stage       | MB    | timeout | why                                                                                    |
 * |-------------|-------|---------|----------------------------------------------------------------------------------------|
 * | ingest      | 3538  | 15 min  | streams one CSV; CPU-bound normalisation; memory for the source's key table (~5M rows)  |
 * | plan        | 10240 | 15 min  | adds up the sources' blocking-key counts (held in memory) and sizes the partitions      |
 * | route       | 10240 | 15 min  | routes one source's records: the run's key counts, one upload per partition             |
 * | compare     | 1769  | 15 min  | one partition: CPU-bound string similarity, memory is the partition's records           |
 * | train       | 1024  | 5 min   | EM over histograms and a u sample, both small                                           |
 * | score       | 1769  | 15 min  | one partition's pairs against the model, CPU-bound                                      |
 * | cluster     | 10240 | 15 min  | all links and every record's key in memory (union-find + anti-chaining)                |
 * | distribute  | 10240 | 15 min  | one source's records into every publish chunk: one upload per chunk, about 12 MB each   |
 * | publish     | 1024  | 15 min  | one chunk of profiles; time goes to DynamoDB batch writes, not CPU                      |
 * | report      | 10240 | 15 min  | brief's 2048 raised: every record's display values and the members list in memory       |
 * | finalize    | 1769  | 10 min  | brief's 512 MB / 2 min raised: re-reads every published profile to balance row counts   |
 * | mark-failed | 256   | 1 min   | one UpdateItem                                                                          |
 */
export const STAGE_SIZING: Readonly<Record<StageName, StageSizing>> = {
  ingest: { memorySize: 3538, timeout: Duration.minutes(15) },
  plan: { memorySize: 10240, timeout: Duration.minutes(15) },
  route: { memorySize: 10240, timeout: Duration.minutes(15) },
  compare: { memorySize: 1769, timeout: Duration.minutes(15) },
  train: { memorySize: 1024, timeout: Duration.minutes(5) },
  score: { memorySize: 1769, timeout: Duration.minutes(15) },
  cluster: { memorySize: 10240, timeout: Duration.minutes(15) },
  distribute: { memorySize: 10240, timeout: Duration.minutes(15) },
  publish: { memorySize: 1024, timeout: Duration.minutes(15) },
  report: { memorySize: 10240, timeout: Duration.minutes(15) },
  finalize: { memorySize: 1769, timeout: Duration.minutes(10) },
  'mark-failed': { memorySize: 256, timeout: Duration.minutes(1) },
};

/** What a stage may touch. Derived from the stage code in lambdas/pipeline/stages/, nothing more. */
export interface StageAccess {
  /** GetObject on any key of the input bucket (ListBucket too, so a missing file is a 404, not a 403). */
  readonly readInputs?: boolean;
  /** GetObject under `runs/` of the work bucket, ListBucket limited to the `runs/` prefix. */
  readonly readWork?: boolean;
  /** PutObject (and AbortMultipartUpload for streamed uploads) under `runs/` of the work bucket. */
  readonly writeWork?: boolean;
  /** PutObject under `reports/` of the reports bucket. */
  readonly writeReports?: boolean;
  /**
   * `put-profiles`: BatchWriteItem on the profile table, limited to profile and lookup partitions (never the
   * active-run pointer). `flip-pointer`: GetItem and PutItem on the active-run pointer item only.
   */
  readonly profileTable?: 'put-profiles' | 'flip-pointer';
  /** GetItem on the active-run pointer item only (which run is live: id carry-over, a failure after the flip). */
  readonly readActivePointer?: boolean;
  /**
   * Query of the tombstone partition only (erasure requests: people to leave out), and the tombstone salt to hash
   * keys with: CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN and GetSecretValue on that one secret.
   */
  readonly readTombstones?: boolean;
  /**
   * BatchWriteItem (deletes) on profile and lookup partitions only: erasing people whose tombstone arrived during the
   * run (finalize). Never the pointer or the tombstones.
   */
  readonly eraseProfiles?: boolean;
  /** UpdateItem on the runs table. */
  readonly updateRuns?: boolean;
}

/**
 * Least-privilege access per stage:
 * - ingest reads the inputs and writes records/rejects; plan, route, compare, train, score, cluster, distribute read
 *   and write work files;
 * - cluster also reads the active-run pointer (profile ids carried over from the live run) and the tombstones (people
 *   erased on request are left out);
 * - publish reads chunks and writes profiles (DynamoDB, and NDJSON to the work bucket for finalize and report);
 * - report reads work files and writes the reports bucket;
 * - finalize reads published profiles, erases people whose tombstone arrived during the run (profile items, and the
 *   run's profile files rewritten without them), flips the active-run pointer and marks the run succeeded;
 * - mark-failed reads the pointer (a failure after the flip is recorded as succeeded) and marks the run.
 * Nothing reads the reports bucket or deletes an object.
 */
export const STAGE_ACCESS: Readonly<Record<StageName, StageAccess>> = {
  ingest: { readInputs: true, writeWork: true },
  plan: { readWork: true, writeWork: true },
  route: { readWork: true, writeWork: true },
  compare: { readWork: true, writeWork: true },
  train: { readWork: true, writeWork: true },
  score: { readWork: true, writeWork: true },
  cluster: { readWork: true, writeWork: true, readActivePointer: true, readTombstones: true },
  distribute: { readWork: true, writeWork: true },
  publish: { readWork: true, writeWork: true, profileTable: 'put-profiles' },
  report: { readWork: true, writeReports: true },
  finalize: { readWork: true, writeWork: true, profileTable: 'flip-pointer', readTombstones: true, eraseProfiles: true, updateRuns: true },
  'mark-failed': { readActivePointer: true, updateRuns: true },
};

export interface PipelineFunctionsProps {
  /** Buckets, tables and key the functions are configured with (every function gets every name: env.ts requires them). */
  readonly storage: PipelineStorage;
  /**
   * Per-stage overrides of {@link STAGE_SIZING}.
   * @default - STAGE_SIZING
   */
  readonly sizing?: Partial<Record<StageName, Partial<StageSizing>>>;
  /**
   * Retention of each function's log group.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Removal policy of the log groups.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * `CRM_MERGE_STALE_AFTER_DAYS` for the functions.
   * @default - unset: env.ts's default (730 days) applies
   */
  readonly staleAfterDays?: number;
  /**
   * Repository root: handler entries are `<projectRoot>/lambdas/handlers/<stage>.ts`, dependencies come from its
   * package-lock.json.
   * @default - two directories above this file
   */
  readonly projectRoot?: string;
}

/** Construct-id-friendly name of a stage: `mark-failed` -> `MarkFailed`. */
export function pascalStage(stage: StageName): string {
  return stage.replace(/(^|-)([a-z])/g, (_, __: string, letter: string) => letter.toUpperCase());
}

/**
 * One Node.js Lambda function per pipeline stage (`STAGES`), each with its own role holding only what
 * {@link STAGE_ACCESS} allows, its own KMS-encrypted log group, X-Ray tracing, arm64 and the latest Node.js runtime.
 */
export class PipelineFunctions extends Construct {
  readonly functions: Readonly<Record<StageName, nodejs.NodejsFunction>>;

  constructor(scope: Construct, id: string, props: PipelineFunctionsProps) {
    super(scope, id);
    const { storage } = props;
    const root = props.projectRoot ?? path.resolve(__dirname, '..', '..');
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    const environment = functionEnvironment(storage, props.staleAfterDays);
    const withSalt = { ...environment, ...tombstoneSaltEnvironment(storage) };

    const functions: Partial<Record<StageName, nodejs.NodejsFunction>> = {};
    for (const stage of STAGES) {
      const name = pascalStage(stage);
      const sizing = { ...STAGE_SIZING[stage], ...props.sizing?.[stage] };
      const { fn, role } = crmMergeFunction(this, name, {
        description: `crm-merge pipeline stage: ${stage}`,
        roleDescription: `crm-merge ${stage} stage function`,
        handlerFile: stage,
        sizing,
        environment: { ...(STAGE_ACCESS[stage].readTombstones ? withSalt : environment), NODE_OPTIONS: nodeOptions(stage, sizing.memorySize) },
        key: storage.key,
        logRetention: props.logRetention,
        removalPolicy,
        projectRoot: root,
      });
      grantStageAccess(fn, role, storage, STAGE_ACCESS[stage]);
      functions[stage] = fn;
    }
    this.functions = functions as Record<StageName, nodejs.NodejsFunction>;
    acknowledgeRuntimeExternals(this);
  }

  /** The function of one stage. */
  functionFor(stage: StageName): nodejs.NodejsFunction {
    return this.functions[stage];
  }
}

/**
 * The function environment: exactly the variables of lambdas/config/env.ts (AWS_REGION is set by Lambda itself;
 * endpoints stay unset), plus NODE_OPTIONS (see nodeOptions).
 */
export function functionEnvironment(storage: PipelineStorage, staleAfterDays?: number): Record<string, string> {
  return {
    CRM_MERGE_INPUT_BUCKET: storage.inputBucket.bucketName,
    CRM_MERGE_WORK_BUCKET: storage.workBucket.bucketName,
    CRM_MERGE_REPORTS_BUCKET: storage.reportsBucket.bucketName,
    CRM_MERGE_PROFILE_TABLE: storage.profileTable.tableName,
    CRM_MERGE_RUNS_TABLE: storage.runsTable.tableName,
    // SSEKMSKeyId accepts a key id or ARN; the ARN also works if the key ever lives in another account.
    CRM_MERGE_KMS_KEY_ID: storage.key.keyArn,
    ...(staleAfterDays === undefined ? {} : { CRM_MERGE_STALE_AFTER_DAYS: String(staleAfterDays) }),
    NODE_OPTIONS: nodeOptions(),
  };
}

/**
 * Node's options for a function: source maps (the bundles carry them; without this flag Node ignores them in stack
 * traces), a pipeline stage's heap flags (lambdas/pipeline/heap-sizing.ts) and, given the function's memory, an old
 * generation of three quarters of it: the stages' bounds (README, "How large an input") were measured with the heap
 * free to use the memory, so it is set rather than left to a default derived by the runtime. The quarter left is for
 * the young generation, code and the typed arrays that live outside the heap (the key-count tables).
 */
export function nodeOptions(stage?: StageName, memoryMb?: number): string {
  return [
    '--enable-source-maps',
    ...(stage === undefined ? [] : heapFlags(stage)),
    ...(memoryMb === undefined ? [] : [`--max-old-space-size=${oldGenerationMb(memoryMb)}`]),
  ].join(' ');
}

/** The old generation a function of `memoryMb` gives Node: three quarters of the memory. */
export const oldGenerationMb = (memoryMb: number): number => Math.floor((memoryMb * 3) / 4);

/**
 * The variable of a function that hashes or checks erasure tombstones: where its salt is (the function fetches it
 * once per cold start, lambdas/pipeline/tombstone-salt.ts). Goes with {@link grantTombstoneSalt}.
 */
export function tombstoneSaltEnvironment(storage: PipelineStorage): Record<string, string> {
  return { CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN: storage.tombstoneSaltSecret.secretArn };
}

/**
 * GetSecretValue on exactly the tombstone salt secret, and kms:Decrypt of the storage key only through Secrets Manager
 * and only for that secret (Secrets Manager puts the secret's ARN in the encryption context).
 */
export function grantTombstoneSalt(role: iam.Role, storage: PipelineStorage): void {
  const secret = storage.tombstoneSaltSecret;
  role.addToPolicy(new iam.PolicyStatement({ sid: 'ReadTombstoneSalt', actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }));
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'DecryptTombstoneSaltViaSecretsManager',
      actions: ['kms:Decrypt'],
      resources: [storage.key.keyArn],
      conditions: {
        StringEquals: {
          'kms:ViaService': `secretsmanager.${Stack.of(role).region}.amazonaws.com`,
          'kms:EncryptionContext:SecretARN': secret.secretArn,
        },
      },
    }),
  );
}

export interface CrmMergeFunctionProps {
  readonly description: string;
  readonly roleDescription: string;
  /** `lambdas/handlers/<handlerFile>.ts`, exporting `handler`. */
  readonly handlerFile: string;
  readonly sizing: StageSizing;
  readonly environment: Record<string, string>;
  /** Encrypts the log group. */
  readonly key: kms.IKey;
  readonly logRetention?: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  readonly projectRoot: string;
}

/**
 * One crm-merge Lambda function as every function of the project is built: `<name>Logs` (its own KMS-encrypted log
 * group), `<name>Role` (its own role, allowed to write that log group and nothing else yet) and `<name>Function`
 * (NodejsFunction: latest Node.js runtime, arm64, X-Ray, minified bundle with source maps, AWS SDK from the runtime).
 * The caller adds the function's permissions to the role.
 */
export function crmMergeFunction(
  scope: Construct,
  name: string,
  props: CrmMergeFunctionProps,
): { fn: nodejs.NodejsFunction; role: iam.Role; logGroup: logs.LogGroup } {
  const root = props.projectRoot;
  const logGroup = new logs.LogGroup(scope, `${name}Logs`, {
    retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
    encryptionKey: props.key,
    removalPolicy: props.removalPolicy,
  });
  const role = new iam.Role(scope, `${name}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: props.roleDescription,
  });
  logGroup.grantWrite(role);

  const fn = new nodejs.NodejsFunction(scope, `${name}Function`, {
    description: props.description,
    entry: path.join(root, 'lambdas', 'handlers', `${props.handlerFile}.ts`),
    handler: 'handler',
    projectRoot: root,
    depsLockFilePath: path.join(root, 'package-lock.json'),
    runtime: lambda.Runtime.NODEJS_LATEST,
    architecture: lambda.Architecture.ARM_64,
    memorySize: props.sizing.memorySize,
    timeout: props.sizing.timeout,
    tracing: lambda.Tracing.ACTIVE,
    logGroup,
    role,
    environment: props.environment,
    bundling: {
      minify: true,
      sourceMap: true,
      // Maps keep file and line for stack traces; without the embedded sources they are a fraction of the size.
      sourcesContent: false,
      // NODEJS_LATEST is nodejs24.x today; node22 syntax runs on it and on any later runtime it moves to.
      target: 'node22',
      // The runtime provides AWS SDK v3; bundling it would only grow the package.
      externalModules: ['@aws-sdk/*'],
    },
  });
  acknowledge(
    role,
    'AwsSolutions-IAM5[Resource::*]',
    'Added by Tracing.ACTIVE: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions.',
  );
  return { fn, role, logGroup };
}

/** Acknowledges the CDK warning NodejsFunction emits on `scope` (its parent) for a variable runtime with externals. */
export function acknowledgeRuntimeExternals(scope: Construct): void {
  Validations.of(scope).acknowledge({
    id: '@aws-cdk/aws-lambda-nodejs:variableRuntimeExternals',
    reason:
      'The only externals are @aws-sdk/*, which every Node.js Lambda runtime since nodejs18.x provides; all other ' +
      'dependencies are bundled. NODEJS_LATEST only moves with a CDK upgrade, which is reviewed and redeployed.',
  });
}

/** Adds one explicit statement per permission in `access` to the role, and acknowledges each object-key wildcard. */
function grantStageAccess(scope: Construct, role: iam.Role, storage: PipelineStorage, access: StageAccess): void {
  const stack = Stack.of(scope);
  const kmsViaServices = new Set<string>();
  const kmsActions = new Set<string>();
  const runsPrefix = workKeys.prefix('*').replace(/\*\/$/, ''); // "runs/"
  const reportsPrefix = reportKeys.prefix('*').replace(/\*\/$/, ''); // "reports/"

  const objects = (bucketArn: string, prefix: string): string => `${bucketArn}/${prefix}*`;
  const ackObjects = (resource: string, reason: string): void => acknowledge(role, iam5Resource(scope, resource), reason);

  if (access.readInputs) {
    const inputs = objects(storage.inputBucket.bucketArn, '');
    role.addToPolicy(new iam.PolicyStatement({ sid: 'ReadInputs', actions: ['s3:GetObject'], resources: [inputs] }));
    role.addToPolicy(new iam.PolicyStatement({ sid: 'ListInputs', actions: ['s3:ListBucket'], resources: [storage.inputBucket.bucketArn] }));
    ackObjects(inputs, 'Ingest reads the CSV export and mapping file named by each run request; their keys are chosen by the caller at run time.');
    kmsViaServices.add('s3');
    kmsActions.add('kms:Decrypt');
  }
  if (access.readWork || access.writeWork) {
    const work = objects(storage.workBucket.bucketArn, runsPrefix);
    if (access.readWork) {
      role.addToPolicy(new iam.PolicyStatement({ sid: 'ReadWorkFiles', actions: ['s3:GetObject'], resources: [work] }));
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'ListWorkFiles',
          actions: ['s3:ListBucket'],
          resources: [storage.workBucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': `${runsPrefix}*` } },
        }),
      );
      kmsActions.add('kms:Decrypt');
    }
    if (access.writeWork) {
      role.addToPolicy(
        new iam.PolicyStatement({ sid: 'WriteWorkFiles', actions: ['s3:PutObject', 's3:AbortMultipartUpload'], resources: [work] }),
      );
      // Multipart uploads of SSE-KMS objects need Decrypt as well as GenerateDataKey.
      kmsActions.add('kms:GenerateDataKey').add('kms:Decrypt');
    }
    ackObjects(work, `Work files are keyed ${runsPrefix}<runId>/...; the run id is only known at run time, so the grant covers the ${runsPrefix} prefix, nothing else in the bucket.`);
    kmsViaServices.add('s3');
  }
  if (access.writeReports) {
    const reports = objects(storage.reportsBucket.bucketArn, reportsPrefix);
    role.addToPolicy(new iam.PolicyStatement({ sid: 'WriteReports', actions: ['s3:PutObject', 's3:AbortMultipartUpload'], resources: [reports] }));
    ackObjects(reports, `Reports are keyed ${reportsPrefix}<runId>/<file>; the run id is only known at run time, so the grant covers the ${reportsPrefix} prefix only.`);
    kmsViaServices.add('s3');
    kmsActions.add('kms:GenerateDataKey').add('kms:Decrypt');
  }
  const prefixes = [profileItemKey('', '').pk, lookupPartitionKey('email', ''), lookupPartitionKey('phone', ''), lookupPartitionKey('name', '')];
  if (access.profileTable === 'put-profiles') {
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'PutProfiles',
        actions: ['dynamodb:BatchWriteItem'],
        resources: [storage.profileTable.tableArn],
        // Profile and lookup partitions only: publish can never write the active-run pointer.
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes.map((prefix) => `${prefix}*`) } },
      }),
    );
  }
  if (access.profileTable === 'flip-pointer') {
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'FlipActiveRunPointer',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        resources: [storage.profileTable.tableArn],
        conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [ACTIVE_POINTER_KEY.pk] } },
      }),
    );
  }
  if (access.readActivePointer && access.profileTable !== 'flip-pointer') {
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadActiveRunPointer',
        actions: ['dynamodb:GetItem'],
        resources: [storage.profileTable.tableArn],
        conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [ACTIVE_POINTER_KEY.pk] } },
      }),
    );
  }
  if (access.readTombstones) {
    grantTombstoneSalt(role, storage);
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadTombstones',
        actions: ['dynamodb:Query'],
        resources: [storage.profileTable.tableArn],
        conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [TOMBSTONE_PARTITION] } },
      }),
    );
  }
  if (access.eraseProfiles) {
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'EraseProfiles',
        actions: ['dynamodb:BatchWriteItem'],
        resources: [storage.profileTable.tableArn],
        // Profile and lookup partitions only: never the pointer, never a tombstone.
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes.map((prefix) => `${prefix}*`) } },
      }),
    );
  }
  if (access.updateRuns) {
    role.addToPolicy(new iam.PolicyStatement({ sid: 'UpdateRun', actions: ['dynamodb:UpdateItem'], resources: [storage.runsTable.tableArn] }));
  }
  if (access.profileTable || access.readActivePointer || access.readTombstones || access.eraseProfiles || access.updateRuns) {
    kmsViaServices.add('dynamodb');
    ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'].forEach((action) => kmsActions.add(action));
  }
  if (kmsActions.size > 0) {
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'UseKeyOnlyViaS3OrDynamoDb',
        actions: [...kmsActions].sort(),
        resources: [storage.key.keyArn],
        // The key only through the services that store the data, never directly.
        conditions: {
          StringEquals: { 'kms:ViaService': [...kmsViaServices].sort().map((service) => `${service}.${stack.region}.amazonaws.com`) },
        },
      }),
    );
  }
}
