// `node scripts/page-screenshot.mjs`: the screenshot in docs/ (README, "The page"), made from a
// real sandbox run: several images, a node whose pull secret lacks the new mirror's credentials,
// and a proposed change compared with today; the page opened in Debian's Chromium, one cell
// selected. Root (the sandbox) and /usr/bin/chromium are needed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchChromium } from './chromium.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'docs/report-page.png');
const { buildAll, buildSandbox } = await import('./build.mjs');
await buildAll();
await buildSandbox(join(root, 'dist/sandbox'));
const { clientEnv, createSandbox, destroySandbox } = await import('../dist/sandbox/sandbox.mjs');

const work = mkdtempSync(join(tmpdir(), 'oc-icsp-screenshot-'));
const nodes = [
  { name: 'worker-0', config: 'cluster' },
  { name: 'worker-1', config: 'cluster', credentials: false },
  { name: 'worker-2', config: 'cluster' },
  { name: 'worker-3', config: 'cluster' },
];
const s = await createSandbox(join(work, 'sandbox'), nodes, { catalog: { count: 4, missing: { open: [1], auth: [1], tls: [1] } } });
try {
  const change = join(work, 'onboard.yaml');
  writeFileSync(
    change,
    `apiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata: {name: onboard}\nspec:\n  imageDigestMirrors:\n  - source: ${s.image.split('@')[0]}\n    mirrors: [${s.registries.auth.host}/secure/team/app]\n    mirrorSourcePolicy: NeverContactSource\n`,
  );
  const page = join(work, 'page.html');
  const run = spawnSync(join(root, 'dist/oc-icsp'), ['verify', s.image, ...s.catalog, '--proposed', change, '--compare', '--check', 'manifest', '--report', page], { env: clientEnv(s), encoding: 'utf8' });
  process.stderr.write(run.stderr);
  process.stdout.write(run.stdout);
  const browser = await launchChromium();
  try {
    const tab = await browser.newPage({ viewport: { width: 1280, height: 1000 }, deviceScaleFactor: 1 });
    await tab.goto(pathToFileURL(page).href);
    await tab.waitForFunction("document.documentElement.dataset.ready === 'true'");
    const column = await tab.locator('th.col', { hasText: 'worker-1' }).getAttribute('data-c');
    const row = await tab.locator('tbody tr', { has: tab.locator('th.row', { hasText: s.image }) }).getAttribute('data-r');
    await tab.locator(`button.cell[data-r="${row}"][data-c="${column}"]`).click();
    await tab.screenshot({ path: out, fullPage: true });
    console.error(`wrote ${out}`);
  } finally {
    await browser.close();
  }
} finally {
  destroySandbox(s);
  rmSync(work, { recursive: true, force: true });
}
