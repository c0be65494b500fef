// Debian's Chromium, driven by playwright-core (its own browser downloads are not reachable from
// these machines), for the page's tests, bench and screenshot. Started with the flags that keep
// it off the network by itself (background networking, component updates, sync, QUIC), so that
// every request seen is the page's; without its sandbox, which root cannot use (CI runs as root)
// and other users may lack the user namespaces for: it opens only pages the project made.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Why the browser cannot run here, or null. */
export const browserSkipReason = () => (existsSync(CHROMIUM) ? null : `${CHROMIUM} is not installed (Debian's chromium package; .ci/run installs it)`);

export function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}
