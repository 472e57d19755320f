import { routeSource } from '../pipeline/stages/route';
import { stageHandler } from './stage-handler';

export const handler = stageHandler('route', routeSource);
