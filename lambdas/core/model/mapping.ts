import { z } from 'zod';
import { MappingError } from '../errors';

/**
 * A mapping file says which column of one company's export holds what. It is validated twice:
 * its own shape when loaded (`parseMapping`), and its column names against the file's header before any row is read
 * (`mappedColumns` + `assertColumnsExist`).
 *
 * Date formats use tokens YYYY, YY, MM, M, DD, D, MMM (Jan), with any separator, e.g. "MM/DD/YYYY", "YYYYMMDD",
 * "DD.MM.YYYY", or "ISO" (YYYY-MM-DD with optional time).
 */

const column = z.string().min(1);
const columns = z.union([column, z.array(column).min(1)]);
const datedColumn = z.object({ column, format: z.string().min(1) }).strict();

export const sourceMappingSchema = z
  .object({
    /** Company this source belongs to, e.g. "A". Sources of the same company are that company's systems. */
    company: z.string().min(1),
    /** Column delimiter; "auto" sniffs comma, semicolon, tab and pipe from the header. */
    delimiter: z.union([z.literal('auto'), z.string().length(1)]).default('auto'),
    /** Text encoding; "auto" detects a UTF-8 BOM, valid UTF-8, else Windows-1252. */
    encoding: z.enum(['auto', 'utf-8', 'windows-1252', 'latin1']).default('auto'),
    /** Trim spaces around values (FEBRL separates values by ", "). */
    trim: z.boolean().default(true),
    /** Default region for phone numbers written without a country code (ISO 3166 alpha-2). */
    phoneRegion: z.string().length(2).default('US'),
    columns: z
      .object({
        id: column,
        firstName: column.optional(),
        middleName: column.optional(),
        lastName: column.optional(),
        /** A single name column: "First Middle Last", "LAST, First M.", with honorifics and suffixes. */
        fullName: column.optional(),
        nameSuffix: column.optional(),
        email: columns.optional(),
        phone: columns.optional(),
        /** One-line address: "12 Main Street Apt 4, Springfield, IL 62704". */
        addressLine: column.optional(),
        /** Split address parts; line1 may hold "12 Main Street" when number/street are not separate. */
        address: z
          .object({
            line1: column.optional(),
            line2: column.optional(),
            number: column.optional(),
            street: column.optional(),
            unit: column.optional(),
            city: column.optional(),
            state: column.optional(),
            postcode: column.optional(),
          })
          .strict()
          .optional(),
        dateOfBirth: datedColumn.optional(),
        customerSince: datedColumn.optional(),
        lastActivity: datedColumn.optional(),
        status: z
          .object({ column, endedValues: z.array(z.string()).min(1) })
          .strict()
          .optional(),
        products: z
          .object({ column, delimiter: z.string().min(1).default(';') })
          .strict()
          .optional(),
        consent: z
          .object({
            column,
            /** "opt-in": a true value means the person agreed to email; "opt-out": a true value means do not email. */
            polarity: z.enum(['opt-in', 'opt-out']),
            trueValues: z.array(z.string()).default(['y', 'yes', 'true', '1', 't']),
            falseValues: z.array(z.string()).default(['n', 'no', 'false', '0', 'f']),
            date: datedColumn.optional(),
          })
          .strict()
          .optional(),
        /** Other identifiers both companies may share (national id, loyalty number): name -> column. */
        identifiers: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), column).optional(),
      })
      .strict()
      .refine((c) => c.fullName !== undefined || c.firstName !== undefined || c.lastName !== undefined, {
        message: 'columns must name fullName, or firstName and/or lastName',
      }),
  })
  .strict();

export type SourceMapping = z.infer<typeof sourceMappingSchema>;
export type DatedColumn = z.infer<typeof datedColumn>;

/** Validates a parsed mapping document; errors list every problem with its JSON path. */
export function parseMapping(document: unknown, label = 'mapping'): SourceMapping {
  const result = sourceMappingSchema.safeParse(document);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new MappingError(`${label} is invalid: ${problems.join('; ')}`);
  }
  return result.data;
}

/** Every column name the mapping refers to, in a stable order. */
export function mappedColumns(mapping: SourceMapping): string[] {
  const c = mapping.columns;
  const names: string[] = [c.id];
  const add = (value: string | string[] | undefined): void => {
    if (value === undefined) return;
    for (const name of Array.isArray(value) ? value : [value]) if (!names.includes(name)) names.push(name);
  };
  add(c.firstName);
  add(c.middleName);
  add(c.lastName);
  add(c.fullName);
  add(c.nameSuffix);
  add(c.email);
  add(c.phone);
  add(c.addressLine);
  if (c.address) for (const part of Object.values(c.address)) add(part);
  add(c.dateOfBirth?.column);
  add(c.customerSince?.column);
  add(c.lastActivity?.column);
  add(c.status?.column);
  add(c.products?.column);
  add(c.consent?.column);
  add(c.consent?.date?.column);
  if (c.identifiers) for (const name of Object.values(c.identifiers)) add(name);
  return names;
}

/** Throws a MappingError naming every mapped column missing from the header. */
export function assertColumnsExist(mapping: SourceMapping, header: readonly string[], label = 'mapping'): void {
  const present = new Set(header);
  const missing = mappedColumns(mapping).filter((name) => !present.has(name));
  if (missing.length > 0) {
    throw new MappingError(
      `${label} names ${missing.length === 1 ? 'a column' : 'columns'} the file does not have: ${missing
        .map((m) => JSON.stringify(m))
        .join(', ')}; the header has: ${header.map((h) => JSON.stringify(h)).join(', ')}`,
    );
  }
}
