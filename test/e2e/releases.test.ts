// One verify and one audit on each release the sandbox plays (test/sandbox/README.md: its
// Kubernetes version, APIs, kubelet journal endpoint, CRI-O, debug pod): 4.12, 4.14, 4.16, 4.18,
// 4.20, 4.21, 4.22 and 5.0, each with a node that pulled the image through its mirror.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, canRunSandbox, envFor, type Sandbox, suiteDir, useSandbox } from './helpers.js';

const RELEASES = ['4.12', '4.14', '4.16', '4.18', '4.20', '4.21', '4.22', '5.0'];
const sandboxes = new Map<string, Sandbox>();
for (const release of RELEASES) {
  useSandbox(suiteDir(`oc-icsp-release-${release}`), [{ name: 'worker-0', config: 'mirrored', workloads: ['mirrored'] }], (s) => sandboxes.set(release, s), { settings: { openshift: release } });
}

describe.skipIf(!canRunSandbox).each(RELEASES)('OpenShift %s', (release) => {
  const run = (args: string[]) => spawnSync(BIN, [...args, '--client', 'oc', '-o', 'json'], { encoding: 'utf8', env: envFor(sandboxes.get(release)!) });

  it('verify: the node pulls through its mirror', () => {
    const r = run(['verify', sandboxes.get(release)!.image, '--timeout', '60s']);
    expect(r.stderr).not.toMatch(/^error:/m);
    expect(JSON.parse(r.stdout).nodes.map((n: { verdict: string }) => n.verdict)).toEqual(['mirrored']);
  });

  it("audit: CRI-O's journal read whole, its pull served by the mirror", () => {
    const r = run(['audit']);
    const [node] = JSON.parse(r.stdout).nodes;
    expect(node).toMatchObject({ complete: true, error: null, olderBoots: false });
    expect(node.pulls.map((p: { outcome: string; mirror: boolean }) => [p.outcome, p.mirror])).toContainEqual(['succeeded', true]);
  });
});
