import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  PROFILE_BY_RUN_INDEX,
  PROFILE_TABLE_KEYS,
  RUNS_BY_CLIENT_TOKEN_INDEX,
  RUNS_BY_RECENCY_INDEX,
  RUNS_TABLE_KEYS,
} from '../../lambdas/storage/table-schema';
import { STORAGE_DEFAULTS } from '../../infra/constructs/storage';
import { REMOVAL_POLICY_CONTEXT } from '../../infra/crm-merge-app';
import { buildApp, createTestApp, logicalId, resources, type Json } from './support';

const { stack, template } = buildApp();
const storage = stack.storage;
const keyId = logicalId(storage.key);
const bucketIds = {
  input: logicalId(storage.inputBucket),
  work: logicalId(storage.workBucket),
  reports: logicalId(storage.reportsBucket),
  accessLogs: logicalId(storage.accessLogsBucket),
};
/** [name, logical id] pairs, for readable test names. */
const allBuckets = Object.entries(bucketIds);
const dataBuckets = allBuckets.filter(([name]) => name !== 'accessLogs');

type Rule = Record<string, Json>;
const bucket = (id: string): Record<string, Json> => resources(template, 'AWS::S3::Bucket')[id].Properties;
const rules = (id: string): Rule[] => (bucket(id).LifecycleConfiguration as { Rules: Rule[] }).Rules;

describe('KMS key', () => {
  it('is the only key, customer managed, with rotation on and retained by default', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('lets CloudWatch Logs use it only for log groups of this account and region', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowCloudWatchLogsOfThisAccount',
            Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });
});

describe('buckets', () => {
  it('are exactly input, work, reports and access logs', () => {
    expect(Object.keys(resources(template, 'AWS::S3::Bucket')).sort()).toEqual(Object.values(bucketIds).sort());
  });

  it.each(allBuckets)('%s bucket blocks all public access, is versioned, owner-enforced and retained', (_, id) => {
    expect(bucket(id).PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket(id).VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket(id).OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(resources(template, 'AWS::S3::Bucket')[id].DeletionPolicy).toBe('Retain');
  });

  it.each(allBuckets)('%s bucket denies every request without TLS (and below TLS 1.2)', (_, id) => {
    const policies = Object.values(resources(template, 'AWS::S3::BucketPolicy')).filter(
      (policy) => JSON.stringify(policy.Properties.Bucket) === JSON.stringify({ Ref: id }),
    );
    expect(policies).toHaveLength(1);
    const statements = (policies[0].Properties.PolicyDocument as { Statement: Record<string, Json>[] }).Statement;
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Principal: { AWS: '*' },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
        }),
      ]),
    );
  });

  it.each(dataBuckets)('%s bucket is encrypted with the customer-managed key (bucket key on)', (_, id) => {
    expect(bucket(id).BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } },
        },
      ],
    });
  });

  it('the access-logs bucket uses SSE-S3, the only encryption server access logging delivers to', () => {
    expect(bucket(bucketIds.accessLogs).BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
  });

  it.each(dataBuckets)('%s bucket logs server access to the access-logs bucket under its own prefix', (_, id) => {
    expect(bucket(id).LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: bucketIds.accessLogs },
      LogFilePrefix: expect.stringMatching(/^[a-z]+\/$/),
    });
  });

  it('gives each data bucket a distinct access-log prefix', () => {
    const prefixes = dataBuckets.map(([, id]) => (bucket(id).LoggingConfiguration as { LogFilePrefix: string }).LogFilePrefix);
    expect(new Set(prefixes).size).toBe(3);
  });

  it('expires run work files after 14 days and their noncurrent versions after 1 day', () => {
    expect(rules(bucketIds.work)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Status: 'Enabled',
          ExpirationInDays: STORAGE_DEFAULTS.workFileRetentionDays,
          NoncurrentVersionExpiration: { NoncurrentDays: 1 },
        }),
      ]),
    );
    expect(STORAGE_DEFAULTS.workFileRetentionDays).toBe(14);
  });

  it.each(allBuckets)('%s bucket expires noncurrent versions, aborts stale multipart uploads and removes expired delete markers', (_, id) => {
    const list = rules(id);
    expect(list.some((rule) => rule.NoncurrentVersionExpiration !== undefined)).toBe(true);
    expect(list).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }),
        expect.objectContaining({ ExpiredObjectDeleteMarker: true, Status: 'Enabled' }),
      ]),
    );
  });

  it('keeps inputs and reports by default but expires access logs after a year', () => {
    for (const id of [bucketIds.input, bucketIds.reports]) {
      expect(rules(id).some((rule) => rule.ExpirationInDays !== undefined)).toBe(false);
    }
    expect(rules(bucketIds.accessLogs)).toEqual(
      expect.arrayContaining([expect.objectContaining({ ExpirationInDays: STORAGE_DEFAULTS.accessLogRetentionDays })]),
    );
  });
});

describe('tables', () => {
  const profileId = logicalId(storage.profileTable);
  const runsId = logicalId(storage.runsTable);
  const table = (id: string): Record<string, Json> => resources(template, 'AWS::DynamoDB::Table')[id].Properties;

  it('are exactly the profile and runs tables', () => {
    expect(Object.keys(resources(template, 'AWS::DynamoDB::Table')).sort()).toEqual([profileId, runsId].sort());
  });

  it.each([
    ['profile', profileId],
    ['runs', runsId],
  ])('%s table: on demand, point-in-time recovery, customer-managed KMS, deletion protection, retained', (_, id) => {
    expect(resources(template, 'AWS::DynamoDB::Table')[id].DeletionPolicy).toBe('Retain');
    expect(table(id).DeletionProtectionEnabled).toBe(true);
    expect(table(id).BillingMode).toBe('PAY_PER_REQUEST');
    expect(table(id).PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table(id).SSESpecification).toEqual({
      SSEEnabled: true,
      SSEType: 'KMS',
      KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
  });

  it('profile table: keys and the keys-only byRun index from table-schema.ts', () => {
    expect(table(profileId).KeySchema).toEqual([
      { AttributeName: PROFILE_TABLE_KEYS.partitionKey, KeyType: 'HASH' },
      { AttributeName: PROFILE_TABLE_KEYS.sortKey, KeyType: 'RANGE' },
    ]);
    expect(table(profileId).GlobalSecondaryIndexes).toEqual([
      {
        IndexName: PROFILE_BY_RUN_INDEX.name,
        KeySchema: [
          { AttributeName: PROFILE_BY_RUN_INDEX.partitionKey, KeyType: 'HASH' },
          { AttributeName: PROFILE_BY_RUN_INDEX.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ]);
  });

  it('runs table: runId key and the byRecency and byClientToken indexes from table-schema.ts', () => {
    expect(table(runsId).KeySchema).toEqual([{ AttributeName: RUNS_TABLE_KEYS.partitionKey, KeyType: 'HASH' }]);
    expect(table(runsId).GlobalSecondaryIndexes).toEqual(
      expect.arrayContaining([
        {
          IndexName: RUNS_BY_RECENCY_INDEX.name,
          KeySchema: [
            { AttributeName: RUNS_BY_RECENCY_INDEX.partitionKey, KeyType: 'HASH' },
            { AttributeName: RUNS_BY_RECENCY_INDEX.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
        {
          IndexName: RUNS_BY_CLIENT_TOKEN_INDEX.name,
          KeySchema: [{ AttributeName: RUNS_BY_CLIENT_TOKEN_INDEX.partitionKey, KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ]),
    );
    expect(table(runsId).GlobalSecondaryIndexes).toHaveLength(2);
  });
});

describe('tombstone salt secret', () => {
  const secretId = logicalId(storage.tombstoneSaltSecret);

  it('is one generated random string of >= 32 characters, encrypted with the stack\'s key', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    const secret = resources(template, 'AWS::SecretsManager::Secret')[secretId].Properties;
    expect(secret.KmsKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(secret.SecretString).toBeUndefined();
    const generated = secret.GenerateSecretString as Record<string, Json>;
    expect(generated.PasswordLength as number).toBeGreaterThanOrEqual(32);
    expect(generated.SecretStringTemplate).toBeUndefined();
    expect(generated.IncludeSpace).toBe(false);
  });

  it('is never rotated and is kept on stack deletion, even when the stack\'s storage is not', () => {
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
    expect(resources(template, 'AWS::SecretsManager::Secret')[secretId]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    // A throw-away stack (-c crm-merge:removalPolicy=destroy) deletes its tables, but still keeps the salt.
    const scratch = createTestApp({ [REMOVAL_POLICY_CONTEXT]: 'destroy' }).stack;
    const scratchTemplate = Template.fromStack(scratch);
    expect(resources(scratchTemplate, 'AWS::DynamoDB::Table')[logicalId(scratch.storage.profileTable)].DeletionPolicy).toBe('Delete');
    expect(resources(scratchTemplate, 'AWS::SecretsManager::Secret')[logicalId(scratch.storage.tombstoneSaltSecret)].DeletionPolicy).toBe('Retain');
  });

  it('is a stack output, for a CLI pointed at this stack', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: Json; Description: string }>;
    expect(outputs.TombstoneSaltSecretArn.Value).toEqual({ Ref: secretId });
    expect(outputs.TombstoneSaltSecretArn.Description).toContain('CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN');
  });
});

describe('stack outputs', () => {
  it('name the buckets, tables, state machine and key', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: Json }>;
    expect(outputs.InputBucketName.Value).toEqual({ Ref: bucketIds.input });
    expect(outputs.WorkBucketName.Value).toEqual({ Ref: bucketIds.work });
    expect(outputs.ReportsBucketName.Value).toEqual({ Ref: bucketIds.reports });
    expect(outputs.AccessLogsBucketName.Value).toEqual({ Ref: bucketIds.accessLogs });
    expect(outputs.ProfileTableName.Value).toEqual({ Ref: logicalId(storage.profileTable) });
    expect(outputs.RunsTableName.Value).toEqual({ Ref: logicalId(storage.runsTable) });
    expect(outputs.StateMachineArn.Value).toEqual({ Ref: logicalId(stack.pipeline.stateMachine) });
    expect(outputs.KmsKeyArn.Value).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
  });
});
