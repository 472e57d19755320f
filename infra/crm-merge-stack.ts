import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { API_ROLES } from '../lambdas/api/routes';
import type { StageName } from '../lambdas/pipeline/contracts';
import { PipelineFunctions, type StageSizing } from './constructs/pipeline-functions';
import { PipelineStateMachine } from './constructs/pipeline-state-machine';
import { RunApi, type RunApiProps } from './constructs/run-api';
import { Storage } from './constructs/storage';

export interface CrmMergeStackProps extends StackProps {
  /**
   * Removal policy of the key, buckets, tables and log groups. RETAIN also turns on table deletion protection.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Days after which a run's work files are deleted from the work bucket.
   * @default 14
   */
  readonly workFileRetentionDays?: number;
  /**
   * Days after which input exports are deleted.
   * @default - kept
   */
  readonly inputRetentionDays?: number;
  /**
   * Days after which reports are deleted.
   * @default - kept
   */
  readonly reportRetentionDays?: number;
  /**
   * Concurrent child executions of each Distributed Map (compare, score, publish).
   * @default 100
   */
  readonly mapMaxConcurrency?: number;
  /**
   * Maximum duration of one run.
   * @default Duration.hours(12)
   */
  readonly executionTimeout?: Duration;
  /**
   * Retention of the functions' and the state machine's log groups.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Per-stage memory/timeout overrides of STAGE_SIZING (infra/constructs/pipeline-functions.ts).
   * @default - STAGE_SIZING
   */
  readonly stageSizing?: Partial<Record<StageName, Partial<StageSizing>>>;
  /**
   * `CRM_MERGE_STALE_AFTER_DAYS` for the functions.
   * @default - env.ts's default (730)
   */
  readonly staleAfterDays?: number;
  /**
   * Who may assume each API caller role (integration, marketing, auditor).
   * @default - this account's root for every role
   */
  readonly apiPrincipals?: RunApiProps['principals'];
  /**
   * Whether the stack sets this region's API Gateway account CloudWatch role (needed for the API's access log).
   * Turn off where the account already has one (`cdk deploy -c crm-merge:apiGatewayAccountRole=existing`).
   * @default true
   */
  readonly configureApiGatewayAccount?: boolean;
}

/**
 * crm-merge: storage (key, buckets, tables), one Lambda function per pipeline stage, the run state machine, and the
 * API (REST, IAM-authorised, with its caller roles).
 * Outputs carry the names a CLI or operator needs to point `CRM_MERGE_*` at this deployment.
 */
export class CrmMergeStack extends Stack {
  readonly storage: Storage;
  readonly pipelineFunctions: PipelineFunctions;
  readonly pipeline: PipelineStateMachine;
  readonly api: RunApi;

  constructor(scope: Construct, id: string, props: CrmMergeStackProps = {}) {
    super(scope, id, { description: 'crm-merge: merges customer exports into unified profiles', ...props });
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.storage = new Storage(this, 'Storage', {
      removalPolicy,
      workFileRetentionDays: props.workFileRetentionDays,
      inputRetentionDays: props.inputRetentionDays,
      reportRetentionDays: props.reportRetentionDays,
    });

    this.pipelineFunctions = new PipelineFunctions(this, 'Functions', {
      storage: this.storage,
      sizing: props.stageSizing,
      logRetention: props.logRetention,
      removalPolicy,
      staleAfterDays: props.staleAfterDays,
    });

    this.pipeline = new PipelineStateMachine(this, 'Pipeline', {
      functions: this.pipelineFunctions.functions,
      mapMaxConcurrency: props.mapMaxConcurrency,
      executionTimeout: props.executionTimeout,
      logEncryptionKey: this.storage.key,
      logRetention: props.logRetention,
      removalPolicy,
    });

    this.api = new RunApi(this, 'Api', {
      storage: this.storage,
      stateMachine: this.pipeline.stateMachine,
      principals: props.apiPrincipals,
      configureAccountLogging: props.configureApiGatewayAccount,
      logRetention: props.logRetention,
      removalPolicy,
      staleAfterDays: props.staleAfterDays,
    });

    const output = (id: string, value: string, description: string): void => {
      new CfnOutput(this, id, { value, description });
    };
    output('InputBucketName', this.storage.inputBucket.bucketName, 'CRM_MERGE_INPUT_BUCKET: customer exports and mappings');
    output('WorkBucketName', this.storage.workBucket.bucketName, 'CRM_MERGE_WORK_BUCKET: run work files');
    output('ReportsBucketName', this.storage.reportsBucket.bucketName, 'CRM_MERGE_REPORTS_BUCKET: run reports');
    output('AccessLogsBucketName', this.storage.accessLogsBucket.bucketName, 'S3 server access logs of the three buckets');
    output('ProfileTableName', this.storage.profileTable.tableName, 'CRM_MERGE_PROFILE_TABLE');
    output('RunsTableName', this.storage.runsTable.tableName, 'CRM_MERGE_RUNS_TABLE');
    output('StateMachineArn', this.pipeline.stateMachine.stateMachineArn, 'Run state machine (input: RunInput)');
    output('ApiUrl', this.api.api.url, 'crm-merge API base URL (SigV4-signed requests with one of the role ARNs below)');
    for (const role of API_ROLES) {
      const name = `${role[0].toUpperCase()}${role.slice(1)}`;
      output(`Api${name}RoleArn`, this.api.roles[role].roleArn, `Role of the API's ${role} callers (routes: lambdas/api/routes.ts)`);
    }
    output('KmsKeyArn', this.storage.key.keyArn, 'CRM_MERGE_KMS_KEY_ID: key of the buckets, tables and logs');
    output(
      'TombstoneSaltSecretArn',
      this.storage.tombstoneSaltSecret.secretArn,
      'CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN: secret holding the salt of erasure tombstone hashes (a CLI pointed at this stack needs it)',
    );
  }
}
