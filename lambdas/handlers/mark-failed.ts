import { markRunFailed } from '../pipeline/stages/finalize';
import { stageHandler } from './stage-handler';

export const handler = stageHandler('mark-failed', markRunFailed);
