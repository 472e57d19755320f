import { MappingError } from '../core/errors';
import { parseMapping, type SourceMapping } from '../core/model/mapping';
import type { SourceInput } from './contracts';
import { parseS3Uri, type ObjectRef, type ObjectStore } from '../storage/object-store';

const SOURCE_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;

export function objectRef(uri: string, what: string): ObjectRef {
  const ref = parseS3Uri(uri);
  if (!ref) throw new MappingError(`${what} must be an s3:// URI`);
  return ref;
}

export function assertSourceName(name: string): void {
  if (!SOURCE_NAME.test(name))
    throw new MappingError(`source name "${name}" must be 1-40 characters of a-z, 0-9, "_" or "-", starting with a letter or digit`);
}

/** Loads and validates the mapping of a source. */
export async function loadMapping(objects: ObjectStore, source: SourceInput): Promise<SourceMapping> {
  assertSourceName(source.name);
  const text = await objects.getText(objectRef(source.mappingUri, `mapping of source "${source.name}"`));
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new MappingError(`mapping of source "${source.name}" is not valid JSON`, { cause: error });
  }
  return parseMapping(document, `mapping of source "${source.name}"`);
}
