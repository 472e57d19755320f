import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

/** Debian's Chromium: the only browser the tests use (never a browser downloaded from elsewhere). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

const isExecutable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

const APT_TIMEOUT_MS = 15 * 60 * 1000;

function run(command: string, args: readonly string[]): SpawnSyncReturns<Buffer> {
  // Output goes to the terminal so a slow install is visibly progressing, not a hung test run.
  return spawnSync(command, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    timeout: APT_TIMEOUT_MS,
  });
}

function describeFailure(step: string, result: SpawnSyncReturns<Buffer>): string {
  if (result.error) return `${step} could not run: ${result.error.message}`;
  if (result.signal) return `${step} was stopped by ${result.signal}`;
  return `${step} exited with status ${result.status}`;
}

/**
 * Returns the path of Debian's Chromium, installing the `chromium` package with apt-get when it is missing
 * (`apt-get update && apt-get install -y chromium`; through `sudo -n` when not root). Throws with what to do by
 * hand when that is impossible (no apt-get, no root, no network). Synchronous: jest's globalSetup and the browser
 * test both call it, and it returns at once when Chromium is already there.
 */
export function ensureChromium(): string {
  if (isExecutable(CHROMIUM_PATH)) return CHROMIUM_PATH;
  const manual = `Install it by hand with: sudo apt-get update && sudo apt-get install -y chromium`;
  if (!isExecutable('/usr/bin/apt-get'))
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH} and apt-get is not available (the browser test needs Debian's chromium package). ${manual}`);
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const prefix: string[] = root ? [] : ['sudo', '-n'];
  if (!root && !isExecutable('/usr/bin/sudo'))
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}; installing it needs root and sudo is not available. ${manual}`);
  process.stderr.write(`Chromium not found at ${CHROMIUM_PATH}: installing Debian's chromium package with apt-get...\n`);
  const apt = (args: string[]): SpawnSyncReturns<Buffer> =>
    root ? run('apt-get', args) : run(prefix[0], [...prefix.slice(1), 'apt-get', ...args]);
  const update = apt(['update']);
  if (update.status !== 0) throw new Error(`Could not install Chromium: apt-get update failed (${describeFailure('apt-get update', update)}). ${manual}`);
  const install = apt(['install', '-y', 'chromium']);
  if (install.status !== 0)
    throw new Error(`Could not install Chromium: apt-get install failed (${describeFailure('apt-get install -y chromium', install)}). ${manual}`);
  if (!isExecutable(CHROMIUM_PATH)) throw new Error(`apt-get installed chromium but ${CHROMIUM_PATH} is still missing. ${manual}`);
  return CHROMIUM_PATH;
}
