import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { ConfigurationError } from '../core/errors';
import type { RunInput } from '../pipeline/contracts';
import { LaunchError } from './runs';
import type { JobLauncher } from './services';

/**
 * The API's variables beyond lambdas/config/env.ts, set on the api function by infra/constructs/run-api.ts: the
 * state machines it starts.
 */
const apiEnvironment = z.object({
  /** The run state machine (infra/constructs/pipeline-state-machine.ts): input `RunInput`. */
  CRM_MERGE_STATE_MACHINE_ARN: z.string().min(1),
  /** The screening-job state machine (infra/constructs/run-api.ts): input `{ jobId }`. */
  CRM_MERGE_SCREEN_STATE_MACHINE_ARN: z.string().min(1),
  AWS_REGION: z.string().min(1).default('us-east-1'),
});
export type ApiEnvironment = z.infer<typeof apiEnvironment>;

export function readApiEnvironment(source: NodeJS.ProcessEnv = process.env): ApiEnvironment {
  const result = apiEnvironment.safeParse(source);
  if (!result.success)
    throw new ConfigurationError(`invalid environment: ${result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return result.data;
}

const errorName = (error: unknown): string => (error instanceof Error ? error.name : 'unknown');

/**
 * Starts Step Functions executions. The execution name is the run id (or job id), so a repeated start of the same
 * run is refused by Step Functions itself (ExecutionAlreadyExists, treated as already started). The input holds only
 * ids and S3 URIs, never customer values (execution history is not a place for PII).
 */
export class StepFunctionsLauncher implements JobLauncher {
  constructor(
    private readonly client: SFNClient,
    private readonly env: Pick<ApiEnvironment, 'CRM_MERGE_STATE_MACHINE_ARN' | 'CRM_MERGE_SCREEN_STATE_MACHINE_ARN'>,
  ) {}

  static fromEnvironment(env: ApiEnvironment): StepFunctionsLauncher {
    return new StepFunctionsLauncher(new SFNClient({ region: env.AWS_REGION }), env);
  }

  private async start(stateMachineArn: string, name: string, input: unknown, what: string): Promise<void> {
    try {
      await this.client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
    } catch (error) {
      if (errorName(error) === 'ExecutionAlreadyExists') return;
      console.error(JSON.stringify({ level: 'ERROR', event: 'StartExecution failed', what, name, error: errorName(error) }));
      throw new LaunchError(what);
    }
  }

  startRun(input: RunInput): Promise<void> {
    return this.start(this.env.CRM_MERGE_STATE_MACHINE_ARN, input.runId, input, `run ${input.runId}`);
  }

  startScreenJob(jobId: string): Promise<void> {
    return this.start(this.env.CRM_MERGE_SCREEN_STATE_MACHINE_ARN, jobId, { jobId }, `screening job ${jobId}`);
  }
}
