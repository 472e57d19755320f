import { z } from 'zod';
import { badRequest } from './http';

/**
 * Request bodies, as zod schemas: the router validates with them (messages name the field), and the CDK stack turns
 * the same schemas into API Gateway models (JSON Schema draft 4, {@link bodyJsonSchema}), so a request the gateway
 * lets through is one the route accepts. Cross-field rules ("exactly one of …") and sizes answered with 413 are
 * checked by the routes, not here.
 */

/** `s3://bucket/key`: bucket names as S3 allows them, any key. */
export const S3_URI_PATTERN = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+$/;
/** Source names, as lambdas/pipeline/source-mapping.ts accepts them. */
export const SOURCE_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}$/;
/** Idempotency tokens: 1-64 characters, safe in logs and DynamoDB keys. */
export const CLIENT_TOKEN_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

const s3Uri = z.string().max(1024).regex(S3_URI_PATTERN, { error: 'must be an s3:// URI (s3://bucket/key)' });

export const createRunBody = z
  .object({
    sources: z
      .array(
        z
          .object({
            name: z.string().regex(SOURCE_NAME_PATTERN, {
              error: 'must be 1-40 characters of a-z, 0-9, "_" or "-", starting with a letter or digit',
            }),
            uri: s3Uri,
            mappingUri: s3Uri,
          })
          .strict(),
      )
      .min(2, { error: 'a merge needs at least two sources' })
      .max(20, { error: 'at most 20 sources per run' }),
    clientToken: z
      .string()
      .regex(CLIENT_TOKEN_PATTERN, { error: 'must be 1-64 characters of A-Z, a-z, 0-9, ".", "_", ":" or "-"' })
      .optional(),
  })
  .strict();
export type CreateRunBody = z.infer<typeof createRunBody>;

export const MAX_SEARCH_RESULTS = 50;

export const searchProfilesBody = z
  .object({
    email: z.string().min(1).max(320).optional(),
    phone: z.string().min(1).max(40).optional(),
    name: z.string().min(1).max(200).optional(),
    postcode: z.string().min(1).max(20).optional(),
    phoneRegion: z.string().regex(/^[A-Z]{2}$/, { error: 'must be a two-letter ISO country code, e.g. US' }).optional(),
    limit: z.number().int().min(1).max(MAX_SEARCH_RESULTS).optional(),
  })
  .strict();
export type SearchProfilesBody = z.infer<typeof searchProfilesBody>;

/** POST /profiles/forget: exactly one of email, phone or id (checked by the route). */
export const forgetBody = z
  .object({
    email: z.string().min(1).max(320).optional(),
    phone: z.string().min(1).max(40).optional(),
    /** A profile id: "P" and 16 hex digits. */
    id: z.string().regex(/^P[0-9a-f]{16}$/, { error: 'must be a profile id ("P" and 16 hex digits)' }).optional(),
    phoneRegion: z.string().regex(/^[A-Z]{2}$/, { error: 'must be a two-letter ISO country code, e.g. US' }).optional(),
  })
  .strict();
export type ForgetBody = z.infer<typeof forgetBody>;

const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const screenBody = z
  .object({
    /** switch | winback | offer:PRODUCT (default switch). */
    campaign: z.string().min(1).max(100).optional(),
    /** An inline mapping document (the shape of a mapping file); validated by parseMapping. */
    mapping: z.record(z.string(), z.unknown()).optional(),
    mappingUri: s3Uri.optional(),
    /** A small list as JSON rows (column -> value). */
    rows: z.array(z.record(z.string(), cell)).optional(),
    /** A small list as CSV text, header first. */
    csv: z.string().optional(),
    /** A list of any size in S3: screened as a job. */
    listUri: s3Uri.optional(),
  })
  .strict();
export type ScreenBody = z.infer<typeof screenBody>;

/** The JSON bodies by route id. */
export const BODY_SCHEMAS = {
  createRun: createRunBody,
  searchProfiles: searchProfilesBody,
  forgetPerson: forgetBody,
  screenList: screenBody,
} as const;

/** A body schema as JSON Schema draft 4 (API Gateway models), without `$schema` (API Gateway sets it). */
export function bodyJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _schema, ...rest } = z.toJSONSchema(schema, { target: 'draft-4', unrepresentable: 'any' }) as Record<string, unknown>;
  void _schema;
  return rest;
}

/** `sources[0].uri` from zod's path. */
export function fieldName(path: readonly PropertyKey[]): string {
  let name = '';
  for (const part of path) name += typeof part === 'number' ? `[${part}]` : `${name === '' ? '' : '.'}${String(part)}`;
  return name;
}

/** Parses `value` with `schema`, or throws a 400 naming the first offending field (and how many more there are). */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, what = 'body'): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const [first] = result.error.issues;
  let field = fieldName(first.path);
  let message = first.message;
  if (first.code === 'unrecognized_keys') {
    field = fieldName([...first.path, first.keys[0]]);
    message = 'is not a known field';
  } else if (first.code === 'invalid_type' && / received undefined$/.test(first.message)) {
    // zod's "Invalid input: expected array, received undefined" for a field that is simply missing.
    message = `is required (${first.expected})`;
  }
  const more = result.error.issues.length - 1;
  const where = field === '' ? what : field;
  throw badRequest(`${where}: ${message}${more > 0 ? ` (and ${more} more problem${more === 1 ? '' : 's'})` : ''}`, where);
}

/** A whole-number query parameter within bounds, or its default. */
export function intParam(query: Record<string, string>, name: string, min: number, max: number, fallback: number): number {
  const raw = query[name];
  if (raw === undefined) return fallback;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < min || Number(raw) > max)
    throw badRequest(`${name}: must be a whole number from ${min} to ${max}`, name);
  return Number(raw);
}
