import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Environment } from '../config/env';
import { CrmMergeError } from '../core/errors';

/**
 * AWS SDK clients built from an `Environment`.
 *
 * - In AWS (no endpoint variables) the clients are plain: region from the environment, the default credential chain.
 * - With `CRM_MERGE_S3_ENDPOINT` / `CRM_MERGE_DYNAMODB_ENDPOINT` set the clients talk to that endpoint. When the
 *   endpoint is a loopback address (the embedded s3rver / dynalite) static local credentials are used, so a laptop
 *   without any AWS profile works; a non-loopback override (a VPC endpoint, say) keeps the default credential chain.
 */

/** The credentials s3rver accepts (it verifies signatures against this fixed pair). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
/** dynalite ignores credentials, but the SDK still signs, so it needs some. */
const DYNALITE_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export interface ClientOptions {
  /**
   * Total attempts per request, handled by the SDK's standard retry strategy (exponential backoff with jitter on
   * throttling, 5xx and network errors). This is how partial failures of single calls (one UploadPart of a
   * multipart upload, one GetObject) are retried. Default 3 (the SDK default).
   */
  maxAttempts?: number;
}

/** A storage operation failed; `operation` names the SDK call, never customer data. */
export class StorageError extends CrmMergeError {
  constructor(
    readonly operation: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${operation}: ${message}`, options);
  }
}

export function isLoopbackEndpoint(endpoint: string): boolean {
  const host = new URL(endpoint).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function createS3Client(env: Environment, options: ClientOptions = {}): S3Client {
  const endpoint = env.CRM_MERGE_S3_ENDPOINT;
  if (!endpoint) {
    return new S3Client({ region: env.AWS_REGION, maxAttempts: options.maxAttempts });
  }
  return new S3Client({
    region: env.AWS_REGION,
    endpoint,
    // s3rver only understands path-style addressing (no wildcard DNS for bucket subdomains on 127.0.0.1).
    forcePathStyle: true,
    // s3rver 3.7.1 does not decode aws-chunked bodies: with the SDK default (WHEN_SUPPORTED) stream uploads carry a
    // trailing CRC32 in aws-chunked framing and s3rver stores the framing as object content.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials: isLoopbackEndpoint(endpoint) ? S3RVER_CREDENTIALS : undefined,
    maxAttempts: options.maxAttempts,
  });
}

export function createDynamoClient(env: Environment, options: ClientOptions = {}): DynamoDBClient {
  const endpoint = env.CRM_MERGE_DYNAMODB_ENDPOINT;
  return new DynamoDBClient({
    region: env.AWS_REGION,
    endpoint,
    credentials: endpoint && isLoopbackEndpoint(endpoint) ? DYNALITE_CREDENTIALS : undefined,
    maxAttempts: options.maxAttempts,
  });
}

/** Wraps a DynamoDB client; `undefined` attributes are dropped rather than rejected (optional fields). */
export function createDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
    unmarshallOptions: { wrapNumbers: false },
  });
}

/**
 * Server-side-encryption parameters for every object crm-merge writes: SSE-KMS with the stack's key when
 * `CRM_MERGE_KMS_KEY_ID` is set, otherwise nothing (the bucket default applies).
 */
export interface SseParams {
  ServerSideEncryption?: 'aws:kms';
  SSEKMSKeyId?: string;
}

export function sseParams(kmsKeyId: string | undefined): SseParams {
  return kmsKeyId ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: kmsKeyId } : {};
}

/** The SDK error name (`NoSuchKey`, `ConditionalCheckFailedException`...), if the value looks like an SDK error. */
export function awsErrorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/** HTTP status of an SDK service error, if any. */
export function awsHttpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('$metadata' in error)) return undefined;
  const metadata = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
  return metadata?.httpStatusCode;
}
