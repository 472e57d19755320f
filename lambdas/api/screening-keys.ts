/**
 * Where screening jobs live in the work bucket (a light module: the CDK stack imports it for the grants). The work
 * bucket's lifecycle rule expires these files with the run work files.
 */
export const screeningKeys = {
  prefix: 'screening/',
  job: (jobId: string) => `screening/${jobId}/job.json`,
  result: (jobId: string) => `screening/${jobId}/result.csv`,
};
