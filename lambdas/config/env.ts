import { z } from 'zod';
import { ConfigurationError } from '../core/errors';

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
  /** Per-deployment salt of erasure tombstone hashes; unset means the documented default. Never change it later. */
  CRM_MERGE_TOMBSTONE_SALT: z.string().min(16).optional(),
});

export type Environment = z.infer<typeof schema>;

export function readEnvironment(source: NodeJS.ProcessEnv = process.env): Environment {
  const result = schema.safeParse(source);
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
