// Several images on several nodes: the composed verdicts (one node per fingerprint reads, the
// others take its verdicts where their network answers alike) equal every node reading every image.
import { describe, expect, it } from 'vitest';
import { canRunSandbox, runVerify, sandbox, type Sandbox, suiteDir, useSandbox } from './helpers.js';

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

const verdicts = (doc: { nodes: { name: string; image: string; verdict: string; code: string; pulledFrom: string | null }[] }) =>
  doc.nodes.map((n) => `${n.name} ${n.image} ${n.verdict} ${n.code} ${n.pulledFrom}`).sort();

describe.skipIf(!canRunSandbox)('verify, several images, composed', () => {
  it('gives every node the verdicts it gets when it reads every image itself', async () => {
    const images = [s.image, s.fallbackImage, s.tagImage];
    const composed = runVerify(s, [...images, '--check', 'manifest', '--timeout', '60s', '-o', 'json']);
    const exhaustive = runVerify(s, [...images, '--check', 'manifest', '--timeout', '60s', '-o', 'json', '--exhaustive']);
    expect(composed.stderr).not.toContain('error');
    const c = JSON.parse(composed.stdout);
    const e = JSON.parse(exhaustive.stdout);
    console.log(verdicts(c).join('\n'));
    console.log(c.nodes.map((n: {name: string; readBy: string | null}) => `${n.name} ${n.readBy}`).join('\n'));
    expect(verdicts(c)).toEqual(verdicts(e));
    expect(await sandbox.settled(s.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
  });
});
