// Several images on several nodes: the composed verdicts (one node per fingerprint reads, the
// others take its verdicts where their network answers alike) equal every node reading every image.
import { describe, expect, it } from 'vitest';
import { canRunSandbox, nodeImageRows, runVerify, sandbox, type Sandbox, suiteDir, useSandbox } from './helpers.js';

let s: Sandbox;
useSandbox(
  suiteDir('oc-icsp-compose'),
  [
    { name: 'worker-0', config: 'cluster' },
    { name: 'worker-1', config: 'cluster' },
    { name: 'worker-2', config: 'cluster', credentials: false },
    { name: 'worker-3', config: 'cluster' },
  ],
  (created) => (s = created),
);

describe.skipIf(!canRunSandbox)('verify, several images, composed', () => {
  it('gives every node the verdicts it gets when it reads every image itself', async () => {
    const images = [s.image, s.fallbackImage, s.tagImage];
    const composed = runVerify(s, [...images, '--check', 'manifest', '--timeout', '60s', '-o', 'json']);
    const exhaustive = runVerify(s, [...images, '--check', 'manifest', '--timeout', '60s', '-o', 'json', '--exhaustive']);
    expect(composed.stderr).not.toContain('error');
    const doc = JSON.parse(composed.stdout);
    expect(doc.kind).toBe('VerifyImages');
    // worker-0 reads for worker-1 and worker-3 (the same files and network); worker-2 (no credentials) for itself.
    expect(doc.composed).toEqual({ readers: ['worker-0', 'worker-2'], borrowed: 6 });
    expect(nodeImageRows(composed.stdout)).toEqual(nodeImageRows(exhaustive.stdout));
    expect(JSON.parse(exhaustive.stdout).composed).toBeNull();
    expect(await sandbox.settled(s.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
  });

  it('--check pull: only the readers pull, one image at a time in a store of their own', async () => {
    const images = [s.image, s.fallbackImage];
    const composed = runVerify(s, [...images, '--check', 'pull', '--timeout', '60s', '-o', 'json']);
    const exhaustive = runVerify(s, [...images, '--check', 'pull', '--timeout', '60s', '-o', 'json', '--exhaustive']);
    expect(JSON.parse(composed.stdout).composed.readers).toEqual(['worker-0', 'worker-2']);
    expect(nodeImageRows(composed.stdout)).toEqual(nodeImageRows(exhaustive.stdout));
    expect(await sandbox.settled(s.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
  });
});
