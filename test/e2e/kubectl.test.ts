// The kubectl client path: no usable `kubectl debug`, so the plugin creates the pod, follows its
// logs and deletes it. Same verdicts as with oc, nothing left behind.
import { spawnSync, spawn } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, canRunSandbox, sandbox, type Sandbox, suiteDir, useSandbox, waitFor } from './helpers.js';

let s: Sandbox;
const work = suiteDir('oc-icsp-kubectl');
const kubectlOnly = join(work, 'bin');

useSandbox(work, [
  { name: 'mirrored', config: 'mirrored' },
  { name: 'with-credentials', config: 'needs-credentials' },
  { name: 'lagging', config: 'no-entry' },
  { name: 'pod-fails', config: 'mirrored', behaviour: 'pod-fails' },
  { name: 'hangs', config: 'mirrored', behaviour: 'hang' },
], (created) => {
  s = created;
  spawnSync('mkdir', ['-p', kubectlOnly]);
  symlinkSync(join(s.dir, 'bin', 'kubectl'), join(kubectlOnly, 'kubectl'));
});

// Only kubectl on PATH: the plugin falls back to it.
const env = () => ({ ...process.env, PATH: `${kubectlOnly}:/usr/local/bin:/usr/bin:/bin`, NO_COLOR: '1' });

describe.skipIf(!canRunSandbox)('kubectl fallback', () => {
  it('gives the same verdicts as oc and cleans up', () => {
    const run = spawnSync(BIN, ['verify', s.image, '--timeout', '8s', '-o', 'json'], { encoding: 'utf8', env: env() });
    expect(run.status).toBe(1);
    const doc = JSON.parse(run.stdout) as { warnings: string[]; nodes: { name: string; verdict: string; detail: string; pulledFrom: string | null }[] };
    expect(doc.nodes.map((n) => [n.name, n.verdict])).toEqual([
      ['mirrored', 'mirrored'],
      ['with-credentials', 'mirrored'],
      ['lagging', 'not-mirrored'],
      ['pod-fails', 'error'],
      ['hangs', 'error'],
    ]);
    expect(doc.nodes[3]!.detail).toMatch(/timed out after 8s; kubectl said: Container container-00 is unable to start due to an error: ImagePullBackOff: Back-off pulling image "registry\.redhat\.io\/rhel9\/support-tools"/);
    expect(doc.warnings.join('\n')).toMatch(/kubectl has no default node-debug image/);
    const events = sandbox.ledger(s.dir);
    expect(events.filter((e) => e.event === 'call').every((e) => e.client === 'kubectl')).toBe(true);
    expect(events.filter((e) => e.event === 'pod-created').every((e) => e.privileged === true)).toBe(true);
    expect(sandbox.leftovers(s.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
  });

  it('--image reaches the pod', () => {
    spawnSync(BIN, ['verify', s.image, '--nodes', 'mirrored', '--image', 'quay.io/tools/support:1'], { encoding: 'utf8', env: env() });
    expect(sandbox.ledger(s.dir).some((e) => e.event === 'pod-created' && e.image === 'quay.io/tools/support:1')).toBe(true);
  });

  it('Ctrl-C deletes the pods and the namespace', async () => {
    const before = sandbox.ledger(s.dir).length;
    const child = spawn(BIN, ['verify', s.image, '--nodes', 'hangs,pod-fails', '--timeout', '60s'], { env: env(), stdio: 'ignore' });
    await waitFor(() => sandbox.ledger(s.dir).slice(before).filter((e) => e.event === 'pod-created').length >= 2);
    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(sandbox.leftovers(s.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
  });
});
