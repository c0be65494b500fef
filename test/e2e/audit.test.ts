// audit against the sandbox's CRI-O journals: earlier workload pulls made through each node's
// CRI-O (real podman with CRI-O's loaded configuration): one served by a mirror, one silent
// fallback to the source, one tag pull under digest-only policies, one that failed on every mirror.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { browserSkipReason, launchChromium, watchedPage } from '../page/browser.js';
import { BIN, canRunSandbox, envFor, requests, sandbox, type Sandbox, suiteDir, useSandbox } from './helpers.js';

let s: Sandbox;
const work = suiteDir('oc-icsp-audit');
// Each answer of the kubelet's journal endpoint is cut at its deadline, here 0.5 s at 400 lines a
// second: a node with 600 lines of a busy CRI-O needs several answers.
useSandbox(work, [
  { name: 'worker-0', config: 'cluster', credentials: false, workloads: ['mirrored', 'fallback', 'tag'] },
  { name: 'worker-1', config: 'not-on-mirror', workloads: ['failed'] },
  { name: 'worker-2', config: 'cluster' },
  { name: 'busy', config: 'cluster', journalNoise: 600, workloads: ['replicas'] },
], (created) => {
  s = created;
}, { settings: { journalDeadlineMs: 500, journalLinesPerSecond: 400 } });

const audit = (args: string[]) => spawnSync(BIN, ['audit', ...args], { encoding: 'utf8', env: envFor(s) });

describe.skipIf(!canRunSandbox)('audit', () => {
  it('finds exactly the silent fallback, the tag pull and the pull that failed on every mirror', () => {
    const r = audit(['--nodes', 'worker-0,worker-1,worker-2', '-o', 'json']);
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(Date.parse(doc.until) - Date.parse(doc.since)).toBe(86_400_000);
    expect(doc.findings.map((f: { node: string; kind: string; image: string }) => [f.node, f.kind, f.image])).toEqual([
      ['worker-0', 'silent-fallback', s.fallbackImage],
      ['worker-0', 'tag-under-digest-only', s.tagImage],
      ['worker-1', 'failed-on-every-mirror', s.image],
    ]);
    const w0 = doc.nodes.find((n: { name: string }) => n.name === 'worker-0');
    expect(w0.pulls.map((p: { image: string; outcome: string; mirror: boolean | null }) => [p.image, p.outcome, p.mirror])).toEqual([
      [s.image, 'succeeded', true],
      [s.fallbackImage, 'succeeded', false],
      [s.tagImage, 'open', null],
    ]);
    expect(w0.pulls[0].servedBy).toBe(`${s.registries.open.host}/mirror/team/app@${s.digest}`);
    expect(doc.nodes.find((n: { name: string }) => n.name === 'worker-2').pulls).toEqual([]);
    // CRI-O 1.30 tries each source twice for one pull; the second pass is not new attempts.
    const w1 = doc.nodes.find((n: { name: string }) => n.name === 'worker-1');
    expect(w1.pulls.map((p: { outcome: string; attempts: unknown[] }) => [p.outcome, p.attempts.length])).toEqual([['failed', 2], ['open', 2]]);
  });

  it.skipIf(browserSkipReason() !== null)('--report: the page has the findings per node and image, and each cell its pull', async () => {
    const pagePath = join(work, 'audit.html');
    const r = audit(['--nodes', 'worker-0,worker-1,worker-2', '--report', pagePath]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain(`the page: ${pagePath}`);
    const page = readFileSync(pagePath, 'utf8');
    expect(page).toContain('<p class="kicker">oc icsp audit</p>');
    const browser = await launchChromium();
    try {
      const { page: tab, requests: asked } = await watchedPage(browser);
      const url = pathToFileURL(pagePath).href;
      await tab.goto(url);
      await tab.waitForFunction(() => document.documentElement.dataset.ready === 'true');
      expect(await tab.locator('h1#summary').textContent()).toMatch(/^3 node\(s\), \d+ pull\(s\) since \d{4}-\d\d-\d\dT[\d:.]+Z, 3 finding\(s\)$/);
      expect(await tab.locator('#findings tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent)))).toEqual([
        ['worker-0', s.fallbackImage, 'silent-fallback'],
        ['worker-0', s.tagImage, 'tag-under-digest-only'],
        ['worker-1', s.image, 'failed-on-every-mirror'],
      ]);
      // worker-0's fallback: served by the source, its finding the cell's code.
      const column = await tab.locator('th.col', { hasText: 'worker-0' }).getAttribute('data-c');
      const row = await tab.locator('tbody tr', { has: tab.locator('th.row', { hasText: s.fallbackImage }) }).getAttribute('data-r');
      await tab.locator(`button.cell[data-r="${row}"][data-c="${column}"]`).click();
      expect(await tab.locator('#panel h3').textContent()).toBe('↷ source silent-fallback');
      // A pull with no result whose finding is that every mirror failed reads as bad, not as nothing.
      const w1 = await tab.locator('th.col', { hasText: 'worker-1' }).getAttribute('data-c');
      const failedRow = await tab.locator('tbody tr', { has: tab.locator('th.row', { hasText: s.image }) }).getAttribute('data-r');
      const failed = tab.locator(`button.cell[data-r="${failedRow}"][data-c="${w1}"]`);
      expect([await failed.getAttribute('class'), await failed.getAttribute('title')]).toEqual(['cell tone-bad', 'failed-on-every-mirror']);
      expect(asked).toEqual([url]);
    } finally {
      await browser.close();
    }
  });

  it('two replicas pulling at once are one pull that served both; a journal cut at the deadline is read in slices', () => {
    const before = sandbox.ledger(s.dir).length;
    const r = audit(['--nodes', 'busy', '-o', 'json']);
    expect(r.status).toBe(0);
    const [busy] = JSON.parse(r.stdout).nodes;
    expect(busy.complete).toBe(true);
    expect(busy.pulls.map((p: { outcome: string; servedBy: string }) => [p.outcome, p.servedBy])).toEqual([
      ['succeeded', `${s.registries.open.host}/mirror/team/app@${s.digest}`],
      ['succeeded', `${s.registries.open.host}/mirror/team/app@${s.digest}`],
    ]);
    expect(requests(s, before).filter((q) => q.path === '/api/v1/nodes/busy/proxy/logs/journal').length).toBeGreaterThanOrEqual(3);
  });

  it('a journal not read to the end is said to be incomplete, and is no "no findings"', () => {
    const r = audit(['--nodes', 'busy', '--timeout', '1s']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^busy: journal incomplete: read (only up to \S+|not at all), not to \S+; the kubelet cuts each answer at 30 s/m);
  });

  it('--since takes a duration or a UTC time, and names both forms when it is neither', () => {
    const r = audit(['--since', 'yesterday']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('error: --since "yesterday" is neither a duration (24h, 90m, 2d) nor a UTC time (2026-11-30 03:00:00, 2026-11-30T03:00:00Z)\n');
    expect(audit(['--nodes', 'worker-2', '--since', new Date(Date.now() - 3_600_000).toISOString()]).status).toBe(0);
  });

  it('reads the journals through oc adm node-logs, read-only: no namespace, no pod', () => {
    const before = sandbox.ledger(s.dir).length;
    audit([]);
    const events = sandbox.ledger(s.dir).slice(before);
    expect(events.filter((e) => e.event !== 'request')).toEqual([]);
    // The kubelet's journal endpoint of each node, read in parallel: any order.
    const journals = requests(s, before).filter((r) => r.path.endsWith('/proxy/logs/journal'));
    expect([...new Set(journals.map((r) => r.path))].sort()).toEqual(['busy', 'worker-0', 'worker-1', 'worker-2'].map((n) => `/api/v1/nodes/${n}/proxy/logs/journal`));
    expect(new Set(requests(s, before).map((r) => r.method))).toEqual(new Set(['GET']));
  });

  it('a filter keeps the pulls of one image or repository prefix; exit 0 without findings', () => {
    const r = audit([s.image, '--nodes', 'worker-0', '-o', 'json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).nodes[0].pulls.map((p: { image: string }) => p.image)).toEqual([s.image]);
  });

  it('a table and the findings under it', () => {
    const r = audit(['--since', '3h', '--nodes', 'worker-0,worker-1,worker-2']);
    expect(r.stdout).toMatch(/^NODE +IMAGE +PULLS +LAST SERVED BY +SOURCE +AGE\n/);
    // The digest by its first 12 digits, the source without it, the time as an age.
    expect(r.stdout).toMatch(new RegExp(`\nworker-0 +registry\\.sandbox\\.invalid/team/app@${s.digest.slice(0, 19)} +1 +mirror +${s.registries.open.host}/mirror/team/app +\\d+s\n`));
    expect(r.stdout).toContain(`worker-0: silent-fallback: ${s.fallbackImage}: served by the source after 1 mirror(s) failed (${s.registries.auth.host}), although ImageDigestMirrorSet/sandbox-fallback covers it`);
    expect(r.stderr).toMatch(/3 node\(s\), \d+ pull\(s\) since 3h, 3 finding\(s\)\n$/);
  });

  it('kubectl has no node-logs: audit says to use oc', () => {
    const r = audit(['--client', spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim()]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('error: audit reads node journals with `oc adm node-logs`, which kubectl lacks: run it with oc (--client oc)\n');
  });
});
