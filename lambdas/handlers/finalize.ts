import { finalizeRun } from '../pipeline/stages/finalize';
import { stageHandler } from './stage-handler';

export const handler = stageHandler('finalize', finalizeRun);
