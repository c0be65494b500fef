// audit against the sandbox's CRI-O journals: earlier workload pulls made through each node's
// CRI-O (real podman with CRI-O's loaded configuration): one served by a mirror, one silent
// fallback to the source, one tag pull under digest-only policies, one that failed on every mirror.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, canRunSandbox, envFor, requests, sandbox, type Sandbox, suiteDir, useSandbox } from './helpers.js';

let s: Sandbox;
const work = suiteDir('oc-icsp-audit');
useSandbox(work, [
  { name: 'worker-0', config: 'cluster', credentials: false, workloads: ['mirrored', 'fallback', 'tag'] },
  { name: 'worker-1', config: 'not-on-mirror', workloads: ['failed'] },
  { name: 'worker-2', config: 'cluster' },
], (created) => {
  s = created;
});

const audit = (args: string[]) => spawnSync(BIN, ['audit', ...args], { encoding: 'utf8', env: envFor(s) });

describe.skipIf(!canRunSandbox)('audit', () => {
  it('finds exactly the silent fallback, the tag pull and the pull that failed on every mirror', () => {
    const r = audit(['-o', 'json']);
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.since).toBe('-86400s');
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
  });

  it('reads the journals through oc adm node-logs, read-only: no namespace, no pod', () => {
    const before = sandbox.ledger(s.dir).length;
    audit([]);
    const events = sandbox.ledger(s.dir).slice(before);
    expect(events.filter((e) => e.event !== 'request')).toEqual([]);
    // The kubelet's journal endpoint of each node, read in parallel: any order.
    const journals = requests(s, before).filter((r) => r.path.endsWith('/proxy/logs/journal'));
    expect([...new Set(journals.map((r) => r.path))].sort()).toEqual(['worker-0', 'worker-1', 'worker-2'].map((n) => `/api/v1/nodes/${n}/proxy/logs/journal`));
    expect(new Set(requests(s, before).map((r) => r.method))).toEqual(new Set(['GET']));
  });

  it('a filter keeps the pulls of one image or repository prefix; exit 0 without findings', () => {
    const r = audit([s.image, '--nodes', 'worker-0', '-o', 'json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).nodes[0].pulls.map((p: { image: string }) => p.image)).toEqual([s.image]);
  });

  it('a table and the findings under it', () => {
    const r = audit(['--since', '3h']);
    expect(r.stdout).toMatch(/^NODE +IMAGE +PULLS +LAST SERVED BY +SOURCE +WHEN\n/);
    expect(r.stdout).toContain(`worker-0: silent-fallback: ${s.fallbackImage}: served by the source after 1 mirror(s) failed (${s.registries.auth.host}), although ImageDigestMirrorSet/sandbox-fallback covers it`);
    expect(r.stderr).toMatch(/3 node\(s\), \d+ pull\(s\) since 3h, 3 finding\(s\)\n$/);
  });

  it('kubectl has no node-logs: audit says to use oc', () => {
    const r = audit(['--client', join(s.dir, 'bin', 'kubectl')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('error: audit reads node journals with `oc adm node-logs`, which kubectl lacks: run it with oc (--client oc)\n');
  });
});
