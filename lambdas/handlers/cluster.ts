import { clusterRun } from '../pipeline/stages/cluster';
import { stageHandler } from './stage-handler';

export const handler = stageHandler('cluster', clusterRun);
