// The CRI-O each release runs (test/sandbox/crio.ts crioProfile): 1.33 and 1.34 (4.20, 4.21) try
// a failed image pull again as an OCI artifact, over the same sources, and wrap the error;
// 1.35.1 and later (4.22) skip that after a network error. audit and --engine crictl must read
// one pull, its attempts once, and the image pull's own error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, canRunSandbox, envFor, type Sandbox, suiteDir, useSandbox } from './helpers.js';

const nodes = [{ name: 'worker-0', config: 'not-on-mirror', workloads: ['failed' as const] }];
let s420: Sandbox;
let s422: Sandbox;
useSandbox(suiteDir('oc-icsp-crio-420'), nodes, (s) => (s420 = s), { settings: { openshift: '4.20' } });
useSandbox(suiteDir('oc-icsp-crio-422'), nodes, (s) => (s422 = s), { settings: { openshift: '4.22' } });

const journal = (s: Sandbox) => readFileSync(join(s.dir, 'nodes', 'worker-0', 'journal.log'), 'utf8');
const audit = (s: Sandbox) => JSON.parse(spawnSync(BIN, ['audit', '--client', 'oc', '-o', 'json'], { encoding: 'utf8', env: envFor(s) }).stdout);

describe.skipIf(!canRunSandbox)('CRI-O of each release', () => {
  it('4.20 plays CRI-O 1.33: a failed pull goes over the sources again as an artifact; audit reads each request once, its attempts once', () => {
    expect(journal(s420)).toMatch(/Starting CRI-O, version: 1\.33\.\d+/);
    const text = journal(s420);
    // The back-off asks twice; each request goes over mirror and source twice (image, then artifact).
    expect(text.match(/Trying to access/g)).toHaveLength(8);
    const [node] = audit(s420).nodes;
    expect(node.pulls.map((p: { outcome: string; attempts: unknown[] }) => [p.outcome, p.attempts.length])).toEqual([
      ['failed', 2],
      ['open', 2],
    ]);
  });

  it('4.20, --engine crictl: the wrapped error is read as the image pull\'s own', () => {
    const r = spawnSync(BIN, ['verify', s420.image, '--engine', 'crictl', '--timeout', '30s', '-o', 'json'], { encoding: 'utf8', env: envFor(s420) });
    const [node] = JSON.parse(r.stdout).nodes;
    expect(node).toMatchObject({ verdict: 'mirror-failed', code: 'mirror-manifest-unknown', reason: { source: 'dns' } });
  });

  it('4.22 plays CRI-O 1.35: no artifact attempt after a network error, and no fall back said', () => {
    const text = journal(s422);
    expect(text).toMatch(/Starting CRI-O, version: 1\.35\.\d+/);
    expect(text).not.toContain('Falling back to pull');
    expect(text.match(/Trying to access/g)).toHaveLength(4);
  });
});
