import { ensureChromium } from './chromium';

/**
 * jest globalSetup: make sure Debian's Chromium is present before any worker starts, so the one-time install
 * (minutes on a fresh machine) happens once, up front, instead of inside a test's timeout.
 */
export default async function globalSetup(): Promise<void> {
  // The SDK warns, on any Node below 22, that its releases after January 2027 will need Node 22; the lockfile pins
  // releases that run on Node 20 (the README's floor), so in every test file's output the warning is only noise.
  // Set here, before the workers start, so they and the processes tests spawn inherit it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  ensureChromium();
}
