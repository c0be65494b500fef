// The page in a real browser: a document given to `oc icsp report` (the built binary), opened in
// Debian's Chromium from a file. Hostile strings in node names, messages and hints show as text;
// the script runs (its hash matches the policy) and asks the network for nothing; a cell selected
// shows its cause; the filter keeps a node's column. The sandbox's own run: test/e2e/page.test.ts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDocumentObject } from '../../src/report/verify-report.js';
import { twoImagesRun } from '../report/real-results.js';
import { browserSkipReason, launchChromium, watchedPage } from './browser.js';

const BIN = join(process.cwd(), 'dist/oc-icsp');
const EVIL = `<img src=x onerror="document.title='pwned'"></script><script>alert(1)</script>"'&`;
const skip = browserSkipReason();

describe.skipIf(skip !== null)('the page in Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oc-icsp-page-'));
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The document with hostile strings where the cluster and registries put text, drawn by `report`. */
  async function hostilePage(): Promise<string> {
    const doc = JSON.parse(JSON.stringify(verifyDocumentObject(await twoImagesRun(), { client: 'oc', context: EVIL, server: EVIL, plugin: '0.1.0', startedAt: '2026-12-07T08:00:00.000Z', finishedAt: '2026-12-07T08:00:09.000Z' })));
    doc.nodeSets = doc.nodeSets.map((set: string[]) => set.map((n) => (n === 'worker-3' ? `worker-3${EVIL}` : n)));
    for (const o of doc.images[0].outcomes) {
      o.detail = `${o.detail} ${EVIL}`;
      o.hint = `${EVIL} hint`;
      for (const a of o.attempts) a.message = `${EVIL} message`;
    }
    const docPath = join(dir, 'hostile.json');
    writeFileSync(docPath, JSON.stringify(doc));
    const r = spawnSync(BIN, ['report', docPath], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const pagePath = join(dir, 'hostile.html');
    writeFileSync(pagePath, r.stdout);
    return pathToFileURL(pagePath).href;
  }

  it('shows hostile strings as text, runs its own script only, and makes no request', async () => {
    const url = await hostilePage();
    const { page, requests, violations, dialogs, close } = await watchedPage(browser);
    await page.goto(url);
    await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.title()).not.toBe('pwned');
    expect(await page.locator('th.col').first().textContent()).toContain(`worker-3${EVIL}`);
    expect(await page.locator('footer').textContent()).toContain(`${EVIL} at ${EVIL}`);
    // The cell of worker-3 for the first image: its hint and attempts' messages, as text.
    await page.locator('button.cell[data-r="1"][data-c="0"]').click();
    const panel = page.locator('#panel');
    await expect.poll(() => panel.isVisible()).toBe(true);
    expect(await panel.locator('.hint').textContent()).toBe(`hint: ${EVIL} hint`);
    expect(await panel.locator('.attempts .message').first().textContent()).toBe(`${EVIL} message`);
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(violations).toEqual([]);
    expect(requests).toEqual([url]);
    await close();
  });

  it('selects a cell and shows its cause; filters by a node name', async () => {
    const url = await hostilePage();
    const { page, requests, close } = await watchedPage(browser);
    await page.goto(url);
    await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
    await page.locator('button.cell[data-r="0"][data-c="1"]').click();
    const panel = page.locator('#panel');
    expect(await panel.locator('h3 code').textContent()).toBe('mirror-manifest-unknown');
    expect(await panel.textContent()).toContain('3 nodes');
    // Arrow keys move between cells; Enter selects.
    await page.locator('button.cell[data-r="0"][data-c="0"]').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => [document.activeElement?.getAttribute('data-r'), document.activeElement?.getAttribute('data-c')])).toEqual(['1', '1']);
    await page.keyboard.press('Enter');
    expect(await panel.locator('h3 code').textContent()).toBe('served-by-mirror');
    await page.keyboard.press('Escape');
    expect(await panel.isHidden()).toBe(true);
    await page.locator('button.cell[data-r="0"][data-c="1"]').click();
    // Selected again: closed.
    await page.locator('button.cell[data-r="0"][data-c="1"]').click();
    expect(await panel.isHidden()).toBe(true);
    await page.locator('#filter').fill('worker-1');
    expect(await page.locator('th.col:visible').count()).toBe(1);
    expect(await page.locator('th.col:visible').textContent()).toContain('worker-[0-2]');
    expect(await page.locator('#filter-count').textContent()).toBe('1 of 2 node groups, 2 of 2 image rows');
    await page.locator('#filter').fill('team/db');
    expect(await page.locator('th.col:visible').count()).toBe(2);
    expect(await page.locator('tbody tr:visible').count()).toBe(1);
    await page.locator('#filter').fill('no-such-name');
    expect(await page.locator('#filter-count').textContent()).toBe('no node or image name matches');
    expect(requests).toEqual([url]);
    await close();
  });

  it('reads without its script: the summary and the causes are there', async () => {
    const url = await hostilePage();
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(url);
    expect(await page.locator('h1#summary').textContent()).toBe('2 images x 4 nodes: 0 served by a mirror on every node');
    expect(await page.locator('#causes li.cause h3 code').allTextContents()).toEqual(['mirror-manifest-unknown', 'mirror-unauthorized']);
    expect(await page.evaluate(() => document.documentElement.dataset.ready)).toBeUndefined();
    await context.close();
  });

  it('prints on A4', async () => {
    const url = await hostilePage();
    const { page, close } = await watchedPage(browser);
    await page.goto(url);
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // One A4 page for this small run: /Type /Page entries counted.
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length).toBeGreaterThanOrEqual(1);
    await close();
  });
});
