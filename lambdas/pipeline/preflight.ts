import { readCsv } from '../core/ingest/csv-reader';
import { assertColumnsExist } from '../core/model/mapping';
import { InputFileError, MappingError } from '../core/errors';
import type { SourceInput } from './contracts';
import type { PipelineDeps } from './deps';
import { assertSourceName, loadMapping, objectRef } from './source-mapping';

/**
 * Checks every source before any work starts: unique valid names, a valid mapping, and every mapped column present
 * in the file's header. Reads only the start of each file.
 */
export async function preflightSources(deps: PipelineDeps, sources: readonly SourceInput[]): Promise<void> {
  if (sources.length < 2) throw new MappingError('a merge needs at least two sources');
  const names = new Set<string>();
  for (const source of sources) {
    assertSourceName(source.name);
    if (names.has(source.name)) throw new MappingError(`source name "${source.name}" is given twice`);
    names.add(source.name);
  }
  for (const source of sources) {
    const mapping = await loadMapping(deps.objects, source);
    const stream = await deps.objects.getStream(objectRef(source.uri, `input of source "${source.name}"`));
    try {
      for await (const event of readCsv(stream, mapping)) {
        if (event.kind === 'header') assertColumnsExist(mapping, event.columns, `mapping of source "${source.name}"`);
        break;
      }
    } catch (error) {
      // The reader's message says what is wrong ("file is empty"); with several sources the user needs to know where.
      if (error instanceof InputFileError) throw new InputFileError(`input of source "${source.name}": ${error.message}`, { cause: error });
      throw error;
    } finally {
      stream.destroy();
    }
  }
}
