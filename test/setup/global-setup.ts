import { ensureChromium } from './chromium';

/**
 * jest globalSetup: make sure Debian's Chromium is present before any worker starts, so the one-time install
 * (minutes on a fresh machine) happens once, up front, instead of inside a test's timeout.
 */
export default async function globalSetup(): Promise<void> {
  ensureChromium();
}
