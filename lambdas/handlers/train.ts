import { trainRunModel } from '../pipeline/stages/train';
import { stageHandler } from './stage-handler';

export const handler = stageHandler('train', trainRunModel);
