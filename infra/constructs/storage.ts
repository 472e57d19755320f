import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  PROFILE_BY_RUN_INDEX,
  PROFILE_TABLE_KEYS,
  RUNS_BY_CLIENT_TOKEN_INDEX,
  RUNS_BY_RECENCY_INDEX,
  RUNS_TABLE_KEYS,
} from '../../lambdas/storage/table-schema';
import { acknowledge } from '../nag';

/**
 * What the pipeline functions (and later the API) need from storage: the three data buckets, the two tables, the
 * customer-managed key that encrypts all of them, and the tombstone salt secret. `Storage` implements it; a test or a
 * split deployment can pass imported resources instead.
 */
export interface PipelineStorage {
  /** Customer CSV exports and their mapping JSON files (read by ingest). */
  readonly inputBucket: s3.IBucket;
  /** A run's intermediate files, all under `runs/<runId>/` (see lambdas/pipeline/work-keys.ts). */
  readonly workBucket: s3.IBucket;
  /** Auditor reports, all under `reports/<runId>/`. */
  readonly reportsBucket: s3.IBucket;
  /** Unified profiles, lookup items and the active-run pointer (key design: lambdas/storage/table-schema.ts). */
  readonly profileTable: dynamodb.ITable;
  /** One item per run: status, stage, counts. */
  readonly runsTable: dynamodb.ITable;
  /** The customer-managed key of the buckets, tables and log groups. */
  readonly key: kms.IKey;
  /**
   * The salt of erasure tombstone hashes (lambdas/pipeline/tombstones.ts), read by every function that hashes or
   * checks tombstones (CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN).
   */
  readonly tombstoneSaltSecret: secretsmanager.ISecret;
}

export interface StorageProps {
  /**
   * Days after which a run's work files (records, partitions, pairs, links, chunks, profiles) are deleted. They hold
   * customer data and are only needed until the run is finalized and reported.
   * @default 14
   */
  readonly workFileRetentionDays?: number;
  /**
   * Days after which customer CSV exports in the input bucket are deleted.
   * @default - kept until deleted by an operator
   */
  readonly inputRetentionDays?: number;
  /**
   * Days after which reports are deleted.
   * @default - kept until deleted by an operator
   */
  readonly reportRetentionDays?: number;
  /**
   * Days a noncurrent (overwritten or deleted) object version of the input, reports and access-logs buckets is kept.
   * Noncurrent work files are always removed after 1 day: work files are never edited, only rewritten by a re-run.
   * @default 30
   */
  readonly noncurrentVersionRetentionDays?: number;
  /**
   * Days S3 server access logs are kept.
   * @default 365
   */
  readonly accessLogRetentionDays?: number;
  /**
   * What happens to the key, buckets and tables when they leave the stack. With RETAIN the tables also get deletion
   * protection. DESTROY does not empty buckets: a non-empty bucket makes the stack deletion fail (on purpose: they
   * hold customer data).
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The defaults of {@link StorageProps}, exported so tests and docs use the same numbers. */
export const STORAGE_DEFAULTS = {
  workFileRetentionDays: 14,
  noncurrentVersionRetentionDays: 30,
  accessLogRetentionDays: 365,
  /** Not configurable: see `noncurrentVersionRetentionDays`. */
  workNoncurrentVersionRetentionDays: 1,
  abortIncompleteMultipartUploadDays: 1,
} as const;

/**
 * The crm-merge data stores: one customer-managed KMS key (rotation on), the input, work and reports buckets (SSE-KMS
 * with S3 bucket keys, TLS only, versioned, public access blocked, server access logging, lifecycle rules), the
 * access-logs bucket (SSE-S3, the only encryption S3 server access logging delivers to), and the profile and runs
 * tables (on demand, point-in-time recovery, SSE with the customer-managed key), and the tombstone salt secret
 * (generated, encrypted with the key, always retained, never rotated).
 */
export class Storage extends Construct implements PipelineStorage {
  readonly key: kms.Key;
  readonly accessLogsBucket: s3.Bucket;
  readonly inputBucket: s3.Bucket;
  readonly workBucket: s3.Bucket;
  readonly reportsBucket: s3.Bucket;
  readonly profileTable: dynamodb.Table;
  readonly runsTable: dynamodb.Table;
  readonly tombstoneSaltSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: StorageProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const workDays = positiveDays('workFileRetentionDays', props.workFileRetentionDays ?? STORAGE_DEFAULTS.workFileRetentionDays);
    const noncurrentDays = positiveDays(
      'noncurrentVersionRetentionDays',
      props.noncurrentVersionRetentionDays ?? STORAGE_DEFAULTS.noncurrentVersionRetentionDays,
    );
    const accessLogDays = positiveDays('accessLogRetentionDays', props.accessLogRetentionDays ?? STORAGE_DEFAULTS.accessLogRetentionDays);
    const stack = Stack.of(this);

    this.key = new kms.Key(this, 'Key', {
      description: `crm-merge (${stack.stackName}): buckets, tables and log groups`,
      enableKeyRotation: true,
      removalPolicy,
    });
    // CloudWatch Logs encrypts the pipeline's log groups with this key; the condition limits that to log groups of
    // this account and region.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsOfThisAccount',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*`,
          },
        },
      }),
    );

    const secure = {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy,
    } satisfies s3.BucketProps;
    const abortUploads: s3.LifecycleRule = {
      id: 'AbortIncompleteMultipartUploads',
      abortIncompleteMultipartUploadAfter: Duration.days(STORAGE_DEFAULTS.abortIncompleteMultipartUploadDays),
    };
    const removeDeleteMarkers: s3.LifecycleRule = { id: 'RemoveExpiredDeleteMarkers', expiredObjectDeleteMarker: true };

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      ...secure,
      // S3 server access logging only delivers to buckets with SSE-S3.
      encryption: s3.BucketEncryption.S3_MANAGED,
      lifecycleRules: [
        {
          id: 'ExpireAccessLogs',
          expiration: Duration.days(accessLogDays),
          noncurrentVersionExpiration: Duration.days(noncurrentDays),
        },
        abortUploads,
        removeDeleteMarkers,
      ],
    });
    // No server access logging of its own: cdk-nag's S1 exempts a bucket that is itself the access-log target, and
    // logging it into itself would log every log delivery.

    const kmsBucket = (id: string, logPrefix: string, lifecycleRules: s3.LifecycleRule[]): s3.Bucket =>
      new s3.Bucket(this, id, {
        ...secure,
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: this.key,
        // One data key per bucket instead of a KMS call per object: the work bucket sees millions of small puts.
        bucketKeyEnabled: true,
        serverAccessLogsBucket: this.accessLogsBucket,
        serverAccessLogsPrefix: logPrefix,
        lifecycleRules: [...lifecycleRules, abortUploads, removeDeleteMarkers],
      });

    this.inputBucket = kmsBucket('InputBucket', 'input/', [
      {
        id: 'ExpireInputs',
        expiration: props.inputRetentionDays === undefined ? undefined : Duration.days(positiveDays('inputRetentionDays', props.inputRetentionDays)),
        noncurrentVersionExpiration: Duration.days(noncurrentDays),
      },
    ]);
    this.workBucket = kmsBucket('WorkBucket', 'work/', [
      {
        id: 'ExpireRunWorkFiles',
        expiration: Duration.days(workDays),
        noncurrentVersionExpiration: Duration.days(STORAGE_DEFAULTS.workNoncurrentVersionRetentionDays),
      },
    ]);
    this.reportsBucket = kmsBucket('ReportsBucket', 'reports/', [
      {
        id: 'ExpireReports',
        expiration:
          props.reportRetentionDays === undefined ? undefined : Duration.days(positiveDays('reportRetentionDays', props.reportRetentionDays)),
        noncurrentVersionExpiration: Duration.days(noncurrentDays),
      },
    ]);

    const tableDefaults = {
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      removalPolicy,
      deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
    } satisfies Partial<dynamodb.TableProps>;
    const text = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

    this.profileTable = new dynamodb.Table(this, 'ProfileTable', {
      ...tableDefaults,
      partitionKey: text(PROFILE_TABLE_KEYS.partitionKey),
      sortKey: text(PROFILE_TABLE_KEYS.sortKey),
    });
    // Keys only: deleting an old or failed run needs nothing but the item keys.
    this.profileTable.addGlobalSecondaryIndex({
      indexName: PROFILE_BY_RUN_INDEX.name,
      partitionKey: text(PROFILE_BY_RUN_INDEX.partitionKey),
      sortKey: text(PROFILE_BY_RUN_INDEX.sortKey),
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });

    this.runsTable = new dynamodb.Table(this, 'RunsTable', {
      ...tableDefaults,
      partitionKey: text(RUNS_TABLE_KEYS.partitionKey),
    });
    // Keys only, as in the local setup (lambdas/storage/local-resources.ts): DynamoRunStore reads full records from
    // the table by runId.
    this.runsTable.addGlobalSecondaryIndex({
      indexName: RUNS_BY_RECENCY_INDEX.name,
      partitionKey: text(RUNS_BY_RECENCY_INDEX.partitionKey),
      sortKey: text(RUNS_BY_RECENCY_INDEX.sortKey),
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });
    this.runsTable.addGlobalSecondaryIndex({
      indexName: RUNS_BY_CLIENT_TOKEN_INDEX.name,
      partitionKey: text(RUNS_BY_CLIENT_TOKEN_INDEX.partitionKey),
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });

    // The tombstone salt: random, generated by Secrets Manager at deploy time, never in the template or the code. It
    // keys the HMAC of erased people's emails, phones and record keys, so a dump of the profile table cannot be checked
    // against guessed emails without it. A new value would orphan every tombstone (no later run or screening would
    // match them), hence kept on stack deletion whatever `removalPolicy` says, and never rotated.
    this.tombstoneSaltSecret = new secretsmanager.Secret(this, 'TombstoneSalt', {
      description: `crm-merge (${stack.stackName}): salt of erasure tombstone hashes. Never change or rotate it: existing tombstones would stop matching.`,
      encryptionKey: this.key,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.tombstoneSaltSecret,
      'AwsSolutions-SMG4',
      'The tombstone salt must never rotate: tombstones are HMACs under it, so a new value would orphan every existing ' +
        'erasure tombstone and let erased people back into later runs and screening. It is not a credential of any other system.',
    );
  }
}

function positiveDays(name: string, days: number): number {
  if (!Number.isInteger(days) || days < 1) throw new Error(`${name} must be a whole number of days >= 1, got ${days}`);
  return days;
}
