import { writeReport } from '../pipeline/stages/report';
import { stageHandler } from './stage-handler';

export const handler = stageHandler('report', writeReport);
