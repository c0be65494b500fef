// verify --report on the sandbox, opened in Debian's Chromium: several images, a node whose pull
// secret lacks the new mirror's credentials, and a proposed change compared with today. The page
// --report writes is the page `oc icsp report` draws from the run's own -o json document; the
// run's stdout and exit code are those of the same run without --report.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { browserSkipReason, launchChromium, watchedPage } from '../page/browser.js';
import { BIN, canRunSandbox, runVerify, sandbox, type Sandbox, suiteDir, useSandbox } from './helpers.js';

let s: Sandbox;
const work = suiteDir('oc-icsp-page');
useSandbox(
  work,
  [
    { name: 'worker-0', config: 'cluster' },
    { name: 'worker-1', config: 'cluster', credentials: false },
    { name: 'worker-2', config: 'cluster' },
  ],
  (created) => (s = created),
  // cat-1 is on no mirror.
  { catalog: { count: 3, missing: { open: [1], auth: [1], tls: [1] } } },
);

/** Onboarding a mirror that needs credentials for the sandbox's app, the source never contacted. */
function onboarding(): string {
  const path = join(work, 'onboard.yaml');
  writeFileSync(
    path,
    `apiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata: {name: onboard}\nspec:\n  imageDigestMirrors:\n  - source: ${s.image.split('@')[0]}\n    mirrors: [${s.registries.auth.host}/secure/team/app]\n    mirrorSourcePolicy: NeverContactSource\n`,
  );
  return path;
}

const browserSkip = browserSkipReason();

describe.skipIf(!canRunSandbox || browserSkip !== null)('verify --report, in Chromium', () => {
  it('draws the run: summary, names, a cell and its cause, the filter, the change; no request leaves the page', async () => {
    const args = [s.image, ...s.catalog, '--proposed', onboarding(), '--compare', '--check', 'manifest', '--timeout', '60s', '-o', 'json'];
    const pagePath = join(work, 'page.html');
    const withPage = runVerify(s, [...args, '--report', pagePath]);
    const without = runVerify(s, args);
    expect(withPage.code, withPage.stderr).toBe(1);
    expect(without.code).toBe(withPage.code);
    const doc = JSON.parse(withPage.stdout);
    // Each run names its own directory on the node (the proposal's registries.conf is there).
    const runDir = (text: string) => text.replace(/oc-icsp-[A-Za-z0-9]{6}\b/g, 'oc-icsp-RUN');
    const ran = doc.run;
    const withoutRun = (text: string) => ({ ...JSON.parse(runDir(text)), run: null });
    expect(withoutRun(withPage.stdout)).toEqual(withoutRun(without.stdout));
    expect(ran).toMatchObject({ client: 'oc', server: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+$/), plugin: expect.any(String) });

    // The page is the one `report` draws from the run's own document.
    const drawn = spawnSync(BIN, ['report', '-'], { input: withPage.stdout, encoding: 'utf8' });
    expect(drawn.status, drawn.stderr).toBe(0);
    const page = readFileSync(pagePath, 'utf8');
    expect(drawn.stdout).toBe(page);

    const browser = await launchChromium();
    try {
      const url = pathToFileURL(pagePath).href;
      const { page: tab, requests, violations } = await watchedPage(browser);
      await tab.goto(url);
      await tab.waitForFunction(() => document.documentElement.dataset.ready === 'true');
      expect(await tab.locator('h1#summary').textContent()).toBe(doc.summary);
      const columns = await tab.locator('th.col .names').allTextContents();
      expect(columns.join(' ')).toContain('worker-1');
      const rows = (await tab.locator('th.row').allTextContents()).join(' ');
      for (const image of [s.image, ...s.catalog]) expect(rows).toContain(image);

      // worker-1's cell for the app: the new mirror refused it (no credentials), today it was mirrored.
      const column = await tab.locator('th.col', { hasText: 'worker-1' }).getAttribute('data-c');
      const row = await tab.locator('tbody tr', { has: tab.locator('th.row', { hasText: s.image }) }).getAttribute('data-r');
      await tab.locator(`button.cell[data-r="${row}"][data-c="${column}"]`).click();
      const panel = tab.locator('#panel');
      expect(await panel.locator('h3 code').textContent()).toBe('mirror-unauthorized');
      expect(await panel.textContent()).toContain('today: mirrored');
      expect(await panel.locator('.hint').textContent()).toContain("add the mirror's credentials to the cluster pull secret");
      expect(await panel.locator('.attempts li').first().textContent()).toContain(`${s.registries.auth.host}/secure/team/app`);

      // The change and its rollout, and the regression beside today.
      const change = await tab.locator('#change').textContent();
      expect(change).toContain('applied: ImageDigestMirrorSet/onboard');
      expect(change).toMatch(/worker\s*reload/);
      expect(await tab.locator('#change tr.regression').count()).toBeGreaterThan(0);
      // The causes, each code once.
      const codes = await tab.locator('#causes li.cause h3 code').allTextContents();
      expect(codes).toContain('mirror-unauthorized');
      expect(new Set(codes).size).toBe(codes.length);

      await tab.locator('#filter').fill('worker-1');
      expect((await tab.locator('th.col:visible .names').allTextContents()).join(' ')).toContain('worker-1');
      expect(await tab.locator('th.col:visible').count()).toBe(1);
      expect(requests).toEqual([url]);
      expect(violations).toEqual([]);
    } finally {
      await browser.close();
    }
    expect(await sandbox.settled(s.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
  });
});
