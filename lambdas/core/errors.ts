/**
 * Typed errors: every error crm-merge raises on purpose has a stable `name` callers can branch on,
 * and keeps the underlying error as `cause`. Messages never contain customer values (PII).
 */
export class CrmMergeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A mapping file is malformed or names columns the input does not have. Raised before any work starts. */
export class MappingError extends CrmMergeError {}

/** An input file cannot be read as CSV at all (empty, undecodable, unterminated quote at end of file). */
export class InputFileError extends CrmMergeError {}

/** Configuration (environment, CLI flags) is missing or invalid. */
export class ConfigurationError extends CrmMergeError {}

/** A requested run, profile or report does not exist. */
export class NotFoundError extends CrmMergeError {}

/** A pipeline stage failed; `stage` says which. */
export class StageError extends CrmMergeError {
  constructor(
    readonly stage: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${stage}: ${message}`, options);
  }
}

/**
 * A description of any thrown value that is safe to log, to store in the runs table and to hand to Step Functions.
 * A CrmMergeError's message is kept (by contract it never holds customer values); any other error is reduced to its
 * name, HTTP status (AWS SDK errors) and the place it was thrown, because its message may quote data: Node's
 * JSON.parse, for one, quotes the text it failed on ("Unexpected token … "jane@x.com…" is not valid JSON").
 */
export function safeErrorMessage(error: unknown): string {
  if (error instanceof CrmMergeError) return error.message;
  if (!(error instanceof Error)) return `non-error value thrown (${typeof error})`;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const where = thrownAt(error.stack);
  return `${error.name}${status ? ` (HTTP ${status})` : ''}${where ? ` at ${where}` : ''} (message withheld: it may quote input data)`;
}

/** "lambdas/pipeline/ndjson.ts:20" from the first stack frame; frame lines hold paths, never the message. */
function thrownAt(stack: string | undefined): string | null {
  for (const line of (stack ?? '').split('\n')) {
    const frame = /^\s+at (?:.*\()?(.+?):(\d+):\d+\)?$/.exec(line);
    if (!frame) continue;
    const path = frame[1].replace(/\\/g, '/');
    const inProject = /(?:^|\/)((?:lambdas|cli|scripts|infra)\/.+)$/.exec(path);
    return `${inProject ? inProject[1] : path.split('/').slice(-2).join('/')}:${frame[2]}`;
  }
  return null;
}
