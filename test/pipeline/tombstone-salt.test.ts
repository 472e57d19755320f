import { readEnvironment } from '../../lambdas/config/env';
import { ConfigurationError } from '../../lambdas/core/errors';
import { loadPipelineDeps, pipelineDepsFromEnvironment } from '../../lambdas/pipeline/deps-from-environment';
import { resolveTombstoneSalt, type SecretFetcher } from '../../lambdas/pipeline/tombstone-salt';
import { DEFAULT_TOMBSTONE_SALT, hashesOf, tombstoneSalt } from '../../lambdas/pipeline/tombstones';

/**
 * Where the tombstone salt comes from: CRM_MERGE_TOMBSTONE_SALT, or the Secrets Manager secret the deployed stack names
 * in CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN (infra: test/infra/functions.test.ts, api.test.ts, storage.test.ts).
 *
 * Secrets Manager itself is replaced by a typed fake at the `SecretFetcher` boundary (`(arn) => Promise<string>`): no
 * local Secrets Manager server is available to the test suite, and everything on this side of that one call (env
 * validation, caching, error handling, the salt reaching the hashes) runs for real. The real fetcher is a single
 * GetSecretValue call (lambdas/pipeline/tombstone-salt.ts), not exercised here.
 */

const BASE = {
  CRM_MERGE_INPUT_BUCKET: 'input',
  CRM_MERGE_WORK_BUCKET: 'work',
  CRM_MERGE_REPORTS_BUCKET: 'reports',
  CRM_MERGE_PROFILE_TABLE: 'profiles',
  CRM_MERGE_RUNS_TABLE: 'runs',
  AWS_REGION: 'eu-west-1',
};
let serial = 0;
/** A fresh secret ARN per test: the resolved salt is cached per process and ARN. */
const secretArn = (): string => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:crm-merge-tombstone-salt-${++serial}-AbCdEf`;
const SALT = 'k3Vq9ZrT2mWc8LxP5nYh4JdB7sFg6QaE'; // what Secrets Manager generates: 32+ alphanumerics

/** The fake Secrets Manager: answers `values[arn]`, counts calls, fails for an unknown ARN as GetSecretValue would. */
function fakeSecrets(values: Record<string, string>): SecretFetcher & { calls: string[] } {
  const calls: string[] = [];
  const fetch = async (arn: string): Promise<string> => {
    calls.push(arn);
    if (!(arn in values)) throw Object.assign(new Error(`Secrets Manager can't find the specified secret.`), { name: 'ResourceNotFoundException' });
    return values[arn];
  };
  return Object.assign(fetch, { calls });
}

describe('environment: the tombstone salt variables', () => {
  it('accepts the salt, the secret ARN, or neither', () => {
    expect(readEnvironment({ ...BASE, CRM_MERGE_TOMBSTONE_SALT: SALT }).CRM_MERGE_TOMBSTONE_SALT).toBe(SALT);
    const arn = secretArn();
    expect(readEnvironment({ ...BASE, CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN: arn }).CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN).toBe(arn);
    expect(readEnvironment({ ...BASE, CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN: 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:s-x1' })).toBeDefined();
    expect(readEnvironment({ ...BASE, CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN: 'arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:a/b_c' })).toBeDefined();
    const neither = readEnvironment(BASE);
    expect(neither.CRM_MERGE_TOMBSTONE_SALT).toBeUndefined();
    expect(neither.CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN).toBeUndefined();
  });

  it('refuses both at once: which salt would be meant is ambiguous', () => {
    const both = { ...BASE, CRM_MERGE_TOMBSTONE_SALT: SALT, CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN: secretArn() };
    expect(() => readEnvironment(both)).toThrow(ConfigurationError);
    expect(() => readEnvironment(both)).toThrow(/CRM_MERGE_TOMBSTONE_SALT or CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN, not both/);
  });

  it.each([
    ['a secret name', 'crm-merge/tombstone-salt'],
    ['another service', 'arn:aws:ssm:eu-west-1:123456789012:parameter/salt'],
    ['no account', 'arn:aws:secretsmanager:eu-west-1::secret:salt'],
    ['no region', 'arn:aws:secretsmanager::123456789012:secret:salt'],
    ['not a secret resource', 'arn:aws:secretsmanager:eu-west-1:123456789012:salt'],
    ['an empty name', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:'],
    ['an unresolved CDK token', '${Token[TOKEN.123]}'],
  ])('refuses a malformed secret ARN (%s)', (_, value) => {
    expect(() => readEnvironment({ ...BASE, CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN: value })).toThrow(ConfigurationError);
    expect(() => readEnvironment({ ...BASE, CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN: value })).toThrow(/CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN: must be a Secrets Manager secret ARN/);
  });
});

describe('resolving the salt', () => {
  it('uses CRM_MERGE_TOMBSTONE_SALT as given, without asking Secrets Manager', async () => {
    const secrets = fakeSecrets({});
    await expect(resolveTombstoneSalt(readEnvironment({ ...BASE, CRM_MERGE_TOMBSTONE_SALT: SALT }), secrets)).resolves.toBe(SALT);
    await expect(resolveTombstoneSalt(readEnvironment(BASE), secrets)).resolves.toBeUndefined();
    expect(secrets.calls).toEqual([]);
  });

  it('fetches the secret once per process and ARN, however many times dependencies are built', async () => {
    const arn = secretArn();
    const secrets = fakeSecrets({ [arn]: SALT });
    const env = readEnvironment({ ...BASE, CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN: arn });
    const [first, second] = await Promise.all([loadPipelineDeps(env, {}, secrets), loadPipelineDeps(env, {}, secrets)]);
    const third = await loadPipelineDeps(env, {}, secrets);
    expect([first, second, third].map((deps) => deps.settings.tombstoneSalt)).toEqual([SALT, SALT, SALT]);
    expect(secrets.calls).toEqual([arn]);
  });

  it('hashes with the secret\'s value, not the public default', async () => {
    const arn = secretArn();
    const deps = await loadPipelineDeps(readEnvironment({ ...BASE, CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN: arn }), {}, fakeSecrets({ [arn]: SALT }));
    expect(tombstoneSalt(deps)).toBe(SALT);
    const keys = { emails: ['someone@example.com'] };
    expect(hashesOf(tombstoneSalt(deps), keys)).toEqual(hashesOf(SALT, keys));
    expect(hashesOf(tombstoneSalt(deps), keys)).not.toEqual(hashesOf(DEFAULT_TOMBSTONE_SALT, keys));
  });

  it('fails with a ConfigurationError naming the ARN when the secret cannot be read, and tries again next time', async () => {
    const arn = secretArn();
    const env = readEnvironment({ ...BASE, CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN: arn });
    const missing = fakeSecrets({});
    const error = await loadPipelineDeps(env, {}, missing).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error?.message).toContain(arn);
    expect(error?.message).toContain('ResourceNotFoundException');
    // Not cached: once the secret is readable (a permission fixed, a replica arrived), the next build succeeds.
    const present = fakeSecrets({ [arn]: SALT });
    await expect(loadPipelineDeps(env, {}, present)).resolves.toMatchObject({ settings: { tombstoneSalt: SALT } });
    expect(present.calls).toEqual([arn]);
  });

  it('refuses a secret value too short to be a salt, without quoting it', async () => {
    const arn = secretArn();
    const env = readEnvironment({ ...BASE, CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN: arn });
    const error = await resolveTombstoneSalt(env, fakeSecrets({ [arn]: 'tooshort' })).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error?.message).toMatch(/shorter than 16 characters/);
    expect(error?.message).not.toContain('tooshort');
  });

  it('the synchronous builder refuses a secret ARN it has not been given the salt of, rather than use the default salt', () => {
    const env = readEnvironment({ ...BASE, CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN: secretArn() });
    expect(() => pipelineDepsFromEnvironment(env)).toThrow(/loadPipelineDeps/);
    expect(pipelineDepsFromEnvironment(env, { tombstoneSalt: SALT }).settings.tombstoneSalt).toBe(SALT);
    // Without either variable nothing changes: the documented default applies.
    expect(tombstoneSalt(pipelineDepsFromEnvironment(readEnvironment(BASE)))).toBe(DEFAULT_TOMBSTONE_SALT);
  });
});
