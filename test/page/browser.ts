// The browser the page suites drive (scripts/chromium.mjs starts it), and a tab that records what
// the page asks of the network, each CSP violation and each dialog.
import type { Browser, Page } from 'playwright-core';
// @ts-expect-error plain JavaScript module shared with the page's bench and screenshot
import { browserSkipReason as skipReason, launchChromium as launch } from '../../scripts/chromium.mjs';

export const browserSkipReason = skipReason as () => string | null;
export const launchChromium = launch as () => Promise<Browser>;

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
