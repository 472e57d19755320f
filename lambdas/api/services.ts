import type { RunInput } from '../pipeline/contracts';
import type { PipelineDeps } from '../pipeline/deps';

/**
 * Starts background work. In AWS: Step Functions executions (the run state machine, the screening-job state
 * machine); on the local server: the same code in this process, in the background.
 */
export interface JobLauncher {
  /** Starts the pipeline for a run whose record already exists with status `running`. */
  startRun(input: RunInput): Promise<void>;
  /** Starts a screening job whose job file already exists with status `running`. */
  startScreenJob(jobId: string): Promise<void>;
}

/** What the route functions need. */
export interface ApiServices {
  deps: PipelineDeps;
  launcher: JobLauncher;
}
