import { comparePartition } from '../pipeline/stages/compare';
import { stageHandler } from './stage-handler';

export const handler = stageHandler('compare', comparePartition);
