import { publishChunk } from '../pipeline/stages/publish';
import { stageHandler } from './stage-handler';

export const handler = stageHandler('publish', publishChunk);
