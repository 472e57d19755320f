import { z } from 'zod';
import { ConfigurationError } from '../core/errors';

/** A Secrets Manager secret ARN: arn:<partition>:secretsmanager:<region>:<12-digit account>:secret:<name>. */
export const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z]{2}(-[a-z]+)+-\d+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;

/**
 * Runtime configuration, read once from the environment and validated. The same variables configure a Lambda
 * (set by the CDK stack) and the CLI (set by the embedded default or by the user for a deployed stack).
 */
const schema = z.object({
  CRM_MERGE_INPUT_BUCKET: z.string().min(1),
  CRM_MERGE_WORK_BUCKET: z.string().min(1),
  CRM_MERGE_REPORTS_BUCKET: z.string().min(1),
  CRM_MERGE_PROFILE_TABLE: z.string().min(1),
  CRM_MERGE_RUNS_TABLE: z.string().min(1),
  /** Optional KMS key id for SSE-KMS on objects written by crm-merge (set in AWS). */
  CRM_MERGE_KMS_KEY_ID: z.string().optional(),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  /** Endpoint overrides: set to the loopback servers on a laptop, unset in AWS. */
  CRM_MERGE_S3_ENDPOINT: z.string().url().optional(),
  CRM_MERGE_DYNAMODB_ENDPOINT: z.string().url().optional(),
  /** Records older than this many days (last activity anywhere) are flagged stale. */
  CRM_MERGE_STALE_AFTER_DAYS: z.coerce.number().int().positive().default(730),
  /** Row workers per ingest job besides its own thread (see PipelineSettings.ingestThreads); 0 for none. */
  CRM_MERGE_INGEST_THREADS: z.coerce.number().int().min(0).max(16).default(0),
  /**
   * Per-deployment salt of erasure tombstone hashes, given directly; unset (and no secret below) means the documented
   * default. Never change it later.
   */
  CRM_MERGE_TOMBSTONE_SALT: z.string().min(16).optional(),
  /**
   * The same salt held in a Secrets Manager secret (the stack's TombstoneSaltSecretArn output): the functions of a
   * deployed stack, and a CLI pointed at it, fetch it once per process (lambdas/pipeline/tombstone-salt.ts). Either
   * this or CRM_MERGE_TOMBSTONE_SALT, never both.
   */
  CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN: z
    .string()
    .regex(SECRET_ARN, 'must be a Secrets Manager secret ARN (arn:<partition>:secretsmanager:<region>:<account>:secret:<name>)')
    .optional(),
});

export type Environment = z.infer<typeof schema>;

/** The schema with the rules across variables. */
const validated = schema.refine(
  (env) => env.CRM_MERGE_TOMBSTONE_SALT === undefined || env.CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN === undefined,
  { message: 'set CRM_MERGE_TOMBSTONE_SALT or CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN, not both', path: ['CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN'] },
);

export function readEnvironment(source: NodeJS.ProcessEnv = process.env): Environment {
  const result = validated.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigurationError(`invalid environment: ${problems.join('; ')}`);
  }
  return result.data;
}

let cached: Environment | undefined;

/** The process environment, validated on first use and then reused (handlers call this once per cold start). */
export function environment(): Environment {
  cached ??= readEnvironment();
  return cached;
}
