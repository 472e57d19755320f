import { CrmMergeError, safeErrorMessage, StageError } from '../core/errors';
import type { StageName } from '../pipeline/contracts';
import type { PipelineDeps } from '../pipeline/deps';
import { handlerDeps } from './deps';

/**
 * Wraps a stage function as a Lambda handler: dependencies are built once per cold start from the validated
 * environment; the log line carries the stage, run id and duration, never the event's customer data (there is none:
 * payloads hold only keys and counts).
 */
export function stageHandler<E extends { runId: string }, R>(
  stage: StageName,
  run: (deps: PipelineDeps, event: E) => Promise<R>,
): (event: E) => Promise<R> {
  return async (event: E) => {
    const deps = await handlerDeps();
    const started = Date.now();
    try {
      const result = await run(deps, event);
      console.log(JSON.stringify({ level: 'INFO', stage, runId: event.runId, ms: Date.now() - started }));
      return result;
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      console.error(JSON.stringify({ level: 'ERROR', stage, runId: event.runId, error: name, ms: Date.now() - started }));
      // Step Functions keeps a failed task's error message and stack in the execution history (and hands them to
      // MarkFailed as the Cause). A foreign error's message may quote input data (JSON.parse quotes what it failed
      // on), so such an error leaves as a StageError whose message and stack carry no customer values.
      throw error instanceof CrmMergeError ? error : new StageError(stage, safeErrorMessage(error));
    }
  };
}
