import { extname } from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * Starts a worker thread on a module file: compiled JavaScript (or a Lambda's bundle) directly; TypeScript sources
 * (tsx, jest) by registering tsx's CommonJS hooks in the worker first, since Node 20 does not apply the parent's
 * --import loader to a worker's entry file.
 */
export function spawnWorker(file: string, workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  if (extname(file) === '.ts') {
    // Built from parts so a bundler (a Lambda's esbuild) leaves it alone: a bundle never loads TypeScript sources.
    const tsx = require.resolve(['tsx', 'cjs', 'api'].join('/'));
    const code = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(file)});`;
    return new Worker(code, { eval: true, workerData, resourceLimits });
  }
  return new Worker(file, { workerData, resourceLimits });
}
