import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Environment } from '../config/env';
import { ConfigurationError } from '../core/errors';

/**
 * Where the tombstone salt (tombstones.ts) comes from at the edge of the system: CRM_MERGE_TOMBSTONE_SALT as given, or
 * the value of the Secrets Manager secret CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN names (what a deployed stack sets, and a
 * CLI pointed at it). Resolved where dependencies are built (deps-from-environment.ts), so the hashing code stays pure:
 * it only ever sees `settings.tombstoneSalt`.
 */

/** Reads a secret's string value by ARN: the one boundary to Secrets Manager, injectable so tests need no AWS. */
export type SecretFetcher = (arn: string) => Promise<string>;

/** The salt's minimum length, as for CRM_MERGE_TOMBSTONE_SALT (env.ts). */
export const MIN_SALT_LENGTH = 16;

/** GetSecretValue with the default credential chain, in the secret's own region (taken from its ARN). */
export function secretsManagerFetcher(): SecretFetcher {
  const clients = new Map<string, SecretsManagerClient>();
  return async (arn) => {
    const region = arn.split(':')[3];
    let client = clients.get(region);
    if (!client) clients.set(region, (client = new SecretsManagerClient({ region })));
    const out = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    if (out.SecretString === undefined) throw new ConfigurationError(`tombstone salt secret ${arn} has no string value`);
    return out.SecretString;
  };
}

const fetched = new Map<string, Promise<string>>();

/**
 * The salt the environment names, or undefined when it names none (DEFAULT_TOMBSTONE_SALT then applies). A secret is
 * fetched once per process and ARN (a Lambda cold start, a CLI command); a failed fetch is not cached, so the next
 * invocation tries again. Errors name the ARN and the SDK error, never a salt.
 */
export async function resolveTombstoneSalt(
  env: Pick<Environment, 'CRM_MERGE_TOMBSTONE_SALT' | 'CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN'>,
  fetchSecret: SecretFetcher = secretsManagerFetcher(),
): Promise<string | undefined> {
  const arn = env.CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN;
  if (arn === undefined) return env.CRM_MERGE_TOMBSTONE_SALT;
  if (env.CRM_MERGE_TOMBSTONE_SALT !== undefined)
    throw new ConfigurationError('set CRM_MERGE_TOMBSTONE_SALT or CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN, not both');
  let pending = fetched.get(arn);
  if (!pending) {
    pending = fetchSecret(arn).then(
      (value) => {
        if (value.length < MIN_SALT_LENGTH)
          throw new ConfigurationError(`tombstone salt secret ${arn}: the value is shorter than ${MIN_SALT_LENGTH} characters`);
        return value;
      },
      (error: unknown) => {
        if (error instanceof ConfigurationError) throw error;
        // The SDK's error (AccessDenied, ResourceNotFound, a KMS refusal) names the secret and the caller, never its value.
        const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        throw new ConfigurationError(`cannot read the tombstone salt secret ${arn} (CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN): ${reason}`, { cause: error });
      },
    );
    fetched.set(arn, pending);
    pending.catch(() => fetched.delete(arn));
  }
  return pending;
}
