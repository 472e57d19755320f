import { Readable } from 'node:stream';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  PutObjectCommand,
  type GetObjectCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Environment } from '../config/env';
import { CrmMergeError, NotFoundError } from '../core/errors';
import { awsErrorName, awsHttpStatus, createS3Client, sseParams, StorageError, type ClientOptions } from './clients';
import { uploadStream } from './multipart-upload';
import { s3Uri, type ObjectRef, type ObjectStore, type StreamBuffering } from './object-store';

/** The longest a presigned URL may live: reports are shared briefly, never as standing links. */
export const MAX_PRESIGN_SECONDS = 900;

/** A presigned URL was asked for with an expiry outside (0, 900] seconds. */
export class PresignExpiryError extends CrmMergeError {}

export interface S3ObjectStoreOptions {
  /** KMS key for SSE-KMS on every put (`CRM_MERGE_KMS_KEY_ID`). */
  kmsKeyId?: string;
  /** Multipart part size for `putStream` (>= 5 MiB). Default 8 MiB. */
  partSizeBytes?: number;
  /** Parts uploaded in parallel by `putStream`. Default 4. */
  queueSize?: number;
  /** Passes of DeleteObjects over keys S3 reported as not deleted, before giving up. Default 3. */
  deleteAttempts?: number;
}

/**
 * `ObjectStore` on S3 (AWS or s3rver). Retries: every single call goes through the SDK's standard retry strategy
 * (`maxAttempts` on the client, see `ClientOptions`), so a failed UploadPart is retried on its own without
 * restarting the upload; when a part still fails, `uploadStream` aborts the multipart upload so no orphan parts are
 * billed.
 * DeleteObjects reports per-key failures in a 200 response, which the SDK cannot retry: those keys are re-sent here.
 */
export class S3ObjectStore implements ObjectStore {
  private readonly partSizeBytes: number;
  private readonly queueSize: number;
  private readonly deleteAttempts: number;

  constructor(
    private readonly client: S3Client,
    private readonly options: S3ObjectStoreOptions = {},
  ) {
    this.partSizeBytes = options.partSizeBytes ?? 8 * 1024 * 1024;
    this.queueSize = options.queueSize ?? 4;
    this.deleteAttempts = options.deleteAttempts ?? 3;
  }

  static fromEnvironment(env: Environment, clientOptions?: ClientOptions): S3ObjectStore {
    return new S3ObjectStore(createS3Client(env, clientOptions), { kmsKeyId: env.CRM_MERGE_KMS_KEY_ID });
  }

  async getText(ref: ObjectRef): Promise<string> {
    const body = await this.getBody(ref);
    return this.guard('GetObject', ref, () => body.transformToString('utf-8'));
  }

  async getBytes(ref: ObjectRef): Promise<Uint8Array> {
    const body = await this.getBody(ref);
    return this.guard('GetObject', ref, () => body.transformToByteArray());
  }

  async getStream(ref: ObjectRef): Promise<Readable> {
    const body = await this.getBody(ref);
    // In Node the SDK body is an http.IncomingMessage (a Readable) with mixins; anything else means a non-Node runtime.
    if (!(body instanceof Readable)) {
      throw new StorageError('GetObject', `${s3Uri(ref)}: response body is not a Node stream`);
    }
    return body;
  }

  async putText(ref: ObjectRef, body: string, contentType = 'text/plain; charset=utf-8'): Promise<void> {
    await this.putBytes(ref, Buffer.from(body, 'utf-8'), contentType);
  }

  async putBytes(ref: ObjectRef, body: Uint8Array, contentType = 'application/octet-stream'): Promise<void> {
    await this.guard('PutObject', ref, () =>
      this.client.send(
        new PutObjectCommand({
          Bucket: ref.bucket,
          Key: ref.key,
          Body: body,
          ContentType: contentType,
          ...sseParams(this.options.kmsKeyId),
        }),
      ),
    );
  }

  async putStream(ref: ObjectRef, body: Readable, contentType = 'application/octet-stream', buffering?: StreamBuffering): Promise<void> {
    await this.guard('Upload', ref, () =>
      uploadStream(this.client, ref, body, {
        partSizeBytes: buffering?.partSizeBytes ?? this.partSizeBytes,
        queueSize: buffering?.queueSize ?? this.queueSize,
        contentType,
        objectParams: sseParams(this.options.kmsKeyId),
      }),
    );
  }

  async exists(ref: ObjectRef): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
      return true;
    } catch (error) {
      // HEAD responses have no body, so the SDK can only report "NotFound" / a bare 404.
      if (awsErrorName(error) === 'NotFound' || awsErrorName(error) === 'NoSuchKey' || awsHttpStatus(error) === 404) {
        return false;
      }
      throw wrap('HeadObject', ref, error);
    }
  }

  /**
   * Uses ListObjects (v1, Marker = last key) rather than ListObjectsV2: s3rver 3.7.1 builds v2 continuation tokens
   * with DES, which OpenSSL 3 (Node >= 17) no longer provides, so every truncated v2 page fails with InternalError.
   * v1 is fully supported by S3 and pages the same way, so one code path serves both.
   */
  async list(bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let marker: string | undefined;
    for (;;) {
      const page = await this.guard('ListObjects', { bucket, key: prefix }, () =>
        this.client.send(new ListObjectsCommand({ Bucket: bucket, Prefix: prefix, Marker: marker })),
      );
      const pageKeys = (page.Contents ?? []).flatMap((object) => (object.Key === undefined ? [] : [object.Key]));
      keys.push(...pageKeys);
      // Without a delimiter S3 sends no NextMarker: the last key of the page is the marker.
      const nextMarker = page.NextMarker ?? pageKeys[pageKeys.length - 1];
      if (!page.IsTruncated || nextMarker === undefined || nextMarker === marker) break;
      marker = nextMarker;
    }
    // S3 already returns UTF-8 byte order; sorting makes the contract hold for any S3-compatible server too.
    return keys.sort(compareUtf8);
  }

  async deletePrefix(bucket: string, prefix: string): Promise<number> {
    const keys = await this.list(bucket, prefix);
    let deleted = 0;
    for (let start = 0; start < keys.length; start += 1000) {
      deleted += await this.deleteBatch(bucket, keys.slice(start, start + 1000));
    }
    return deleted;
  }

  async presignGet(ref: ObjectRef, expiresInSeconds: number): Promise<string> {
    if (!Number.isInteger(expiresInSeconds) || expiresInSeconds <= 0 || expiresInSeconds > MAX_PRESIGN_SECONDS) {
      throw new PresignExpiryError(
        `presigned URLs expire after 1 to ${MAX_PRESIGN_SECONDS} whole seconds, got ${expiresInSeconds}`,
      );
    }
    return this.guard('PresignGetObject', ref, () =>
      getSignedUrl(this.client, new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }), {
        expiresIn: expiresInSeconds,
      }),
    );
  }

  private async getBody(ref: ObjectRef): Promise<NonNullable<GetObjectCommandOutput['Body']>> {
    const output = await this.guard('GetObject', ref, () =>
      this.client.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key })),
    );
    if (!output.Body) throw new StorageError('GetObject', `${s3Uri(ref)}: empty response body`);
    return output.Body;
  }

  /** One DeleteObjects call per pass; keys S3 reports in `Errors` are re-sent, up to `deleteAttempts` passes. */
  private async deleteBatch(bucket: string, keys: string[]): Promise<number> {
    let pending = keys;
    let deleted = 0;
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      const output = await this.guard('DeleteObjects', { bucket, key: pending[0] }, () =>
        this.client.send(
          new DeleteObjectsCommand({
            Bucket: bucket,
            Delete: { Objects: pending.map((Key) => ({ Key })), Quiet: true },
          }),
        ),
      );
      const failed = new Set((output.Errors ?? []).map((entry) => entry.Key).filter((key) => key !== undefined));
      deleted += pending.length - failed.size;
      pending = pending.filter((key) => failed.has(key));
      if (pending.length > 0 && attempt >= this.deleteAttempts) {
        const codes = [...new Set((output.Errors ?? []).map((entry) => entry.Code ?? 'unknown'))].join(', ');
        throw new StorageError('DeleteObjects', `${pending.length} object(s) in ${bucket} not deleted (${codes})`);
      }
    }
    return deleted;
  }

  /** Runs an SDK call and turns its failure into a typed error. */
  private async guard<T>(operation: string, ref: ObjectRef, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw wrap(operation, ref, error);
    }
  }
}

/** Typed error for a failed call: bucket and key are named (they are paths, not customer data), contents never are. */
function wrap(operation: string, ref: ObjectRef, error: unknown): Error {
  if (error instanceof CrmMergeError) return error;
  const name = awsErrorName(error) ?? 'UnknownError';
  if (name === 'NoSuchKey' || name === 'NotFound') {
    return new NotFoundError(`${operation}: ${s3Uri(ref)} does not exist`, { cause: error });
  }
  if (name === 'NoSuchBucket') {
    return new NotFoundError(`${operation}: bucket ${ref.bucket} does not exist`, { cause: error });
  }
  const status = awsHttpStatus(error);
  return new StorageError(operation, `${s3Uri(ref)} failed: ${name}${status ? ` (HTTP ${status})` : ''}`, {
    cause: error,
  });
}

/** Orders strings by their UTF-8 bytes, the order S3 lists keys in (differs from UTF-16 order above U+FFFF). */
function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf-8'), Buffer.from(b, 'utf-8'));
}
