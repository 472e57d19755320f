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
