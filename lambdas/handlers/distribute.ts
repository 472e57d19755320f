import { distributeSource } from '../pipeline/stages/distribute';
import { stageHandler } from './stage-handler';

export const handler = stageHandler('distribute', distributeSource);
