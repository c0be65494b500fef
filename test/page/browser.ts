// Debian's Chromium, driven by playwright-core (its own browser downloads are not reachable from
// these machines). Started with the flags that keep it off the network by itself (background
// networking, component updates, sync), so that every request a test sees is the page's.
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Why the browser suites cannot run here, or null. */
export const browserSkipReason = (): string | null => (existsSync(CHROMIUM) ? null : `${CHROMIUM} is not installed (Debian's chromium package; .ci/run installs it)`);

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      // Root cannot use Chromium's sandbox (CI runs as root), and other users may lack the user
      // namespaces it needs; the tests open only pages they made themselves.
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** A page that records every request it makes, every CSP violation and every dialog. */
export async function watchedPage(browser: Browser): Promise<{ page: Page; requests: string[]; violations: string[]; dialogs: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const requests: string[] = [];
  const violations: string[] = [];
  const dialogs: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return { page, requests, violations, dialogs, close: () => context.close() };
}
