// The kubectl client path, with the machine's real kubectl against the sandbox's API server: no
// usable `kubectl debug`, so the plugin creates the pod, waits for its container, follows its logs
// and deletes it. Same verdicts as with oc, nothing left behind.
import { spawnSync, spawn } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, canRunSandbox, envFor, requests, sandbox, type Sandbox, suiteDir, useSandbox, waitFor } from './helpers.js';

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
  symlinkSync(spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim(), join(kubectlOnly, 'kubectl'));
});

// Only kubectl on PATH: the plugin falls back to it.
const env = () => ({ ...envFor(s), PATH: `${kubectlOnly}:/usr/local/bin:/usr/bin:/bin` });

describe.skipIf(!canRunSandbox)('kubectl fallback', () => {
  it('gives the same verdicts as oc and cleans up', async () => {
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
    // A container that cannot start is a verdict at once, not a wait for the timeout.
    expect(doc.nodes[3]!.detail).toMatch(/^Container container-00 is unable to start due to an error: (ErrImagePull|ImagePullBackOff): /);
    expect(doc.warnings.join('\n')).toMatch(/kubectl has no default node-debug image/);
    const events = sandbox.ledger(s.dir);
    expect(requests(s).every((r) => r.agent.startsWith('kubectl'))).toBe(true);
    expect(events.filter((e) => e.event === 'pod-created').every((e) => e.privileged === true)).toBe(true);
    expect(await sandbox.settled(s.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
  });

  it('the DaemonSet strategy through kubectl: the same verdicts, the pods admitted by the SCC binding, nothing left', async () => {
    const run = spawnSync(BIN, ['verify', s.image, '--strategy', 'daemonset', '--nodes', 'mirrored,with-credentials,lagging', '--image', 'quay.io/tools/support:1', '--timeout', '20s', '-o', 'json'], { encoding: 'utf8', env: env() });
    const doc = JSON.parse(run.stdout) as { strategy: string; nodes: { name: string; verdict: string }[] };
    expect(doc.strategy).toBe('daemonset');
    expect(doc.nodes.map((n) => [n.name, n.verdict])).toEqual([['mirrored', 'mirrored'], ['with-credentials', 'mirrored'], ['lagging', 'not-mirrored']]);
    expect(sandbox.ledger(s.dir).some((e) => e.event === 'rolebinding-created' && (e.roleRef as { name: string }).name === 'system:openshift:scc:privileged')).toBe(true);
    expect(await sandbox.settled(s.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
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
    expect(await sandbox.settled(s.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
  });
});
