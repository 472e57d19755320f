import { scorePartition } from '../pipeline/stages/score';
import { stageHandler } from './stage-handler';

export const handler = stageHandler('score', scorePartition);
