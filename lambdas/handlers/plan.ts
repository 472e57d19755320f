import { planPartitions } from '../pipeline/stages/plan';
import { stageHandler } from './stage-handler';

export const handler = stageHandler('plan', planPartitions);
