import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

/** Debian's Chromium: the only browser the tests use (never a browser downloaded from elsewhere). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

const APT_TIMEOUT_MS = 15 * 60 * 1000;
const MANUAL = 'Install it by hand with: sudo apt-get update && sudo apt-get install -y chromium';

/** What ensureChromium needs from the machine; the tests substitute a fake to cover the install and failure paths. */
export interface ChromiumSystem {
  isExecutable(path: string): boolean;
  isRoot(): boolean;
  /** Runs a command to completion; returns a description of the failure, or null on success. */
  run(command: string, args: readonly string[]): string | null;
  log(message: string): void;
}

export const realSystem: ChromiumSystem = {
  isExecutable(path) {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
  isRoot: () => typeof process.getuid === 'function' && process.getuid() === 0,
  run(command, args) {
    // Output goes to the terminal so a slow install is visibly progressing, not a hung test run.
    const result = spawnSync(command, args, {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      timeout: APT_TIMEOUT_MS,
    });
    if (result.error) return `could not run: ${result.error.message}`;
    if (result.signal) return `stopped by ${result.signal}`;
    return result.status === 0 ? null : `exited with status ${result.status}`;
  },
  log: (message) => process.stderr.write(`${message}\n`),
};

/**
 * Returns the path of Debian's Chromium, installing the `chromium` package when it is missing with
 * `apt-get update && apt-get install -y chromium` (through `sudo -n` when not root). Never downloads a browser
 * from anywhere else (no `playwright install`). Throws with what to do by hand when the install is impossible
 * (no apt-get, not root and no sudo, no network). Synchronous and quick when Chromium is already there, so both
 * jest's globalSetup and the browser test can call it.
 */
export function ensureChromium(system: ChromiumSystem = realSystem): string {
  if (system.isExecutable(CHROMIUM_PATH)) return CHROMIUM_PATH;
  if (!system.isExecutable('/usr/bin/apt-get'))
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH} and apt-get is not available, so Debian's chromium package cannot be installed. ${MANUAL}`);
  const root = system.isRoot();
  if (!root && !system.isExecutable('/usr/bin/sudo'))
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}; installing it needs root and sudo is not available. ${MANUAL}`);
  const apt = (args: string[]): string | null => (root ? system.run('apt-get', args) : system.run('sudo', ['-n', 'apt-get', ...args]));

  system.log(`Chromium not found at ${CHROMIUM_PATH}: installing Debian's chromium package with apt-get (this takes a few minutes)...`);
  const updateFailure = apt(['update']);
  if (updateFailure) throw new Error(`Could not install Chromium: apt-get update ${updateFailure}. ${MANUAL}`);
  const installFailure = apt(['install', '-y', 'chromium']);
  if (installFailure) throw new Error(`Could not install Chromium: apt-get install -y chromium ${installFailure}. ${MANUAL}`);
  if (!system.isExecutable(CHROMIUM_PATH)) throw new Error(`apt-get installed chromium but ${CHROMIUM_PATH} is still missing. ${MANUAL}`);
  return CHROMIUM_PATH;
}
