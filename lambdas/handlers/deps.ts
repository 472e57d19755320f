import { environment } from '../config/env';
import type { PipelineDeps } from '../pipeline/deps';
import { loadPipelineDeps } from '../pipeline/deps-from-environment';

let pending: Promise<PipelineDeps> | undefined;

/**
 * The pipeline dependencies of this Lambda process, built once per cold start from the validated environment (and the
 * tombstone salt secret, when the stack set CRM_MERGE_TOMBSTONE_SALT_SECRET_ARN). A failed build (the secret not
 * readable yet) is not kept: the next invocation tries again.
 */
export function handlerDeps(): Promise<PipelineDeps> {
  pending ??= loadPipelineDeps(environment()).catch((error: unknown) => {
    pending = undefined;
    throw error;
  });
  return pending;
}
