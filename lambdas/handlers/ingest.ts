import { ingestSource } from '../pipeline/stages/ingest';
import { stageHandler } from './stage-handler';

export const handler = stageHandler('ingest', ingestSource);
