// Every image at once on a sandbox playing 4.21: images from oc-mirror's dry-run mapping.txt and
// from `oc adm release info --pullspecs` text; one image missing from the first mirror and one
// from every mirror; a node whose pull secret lacks the mirrors' credentials; two nodes with the
// same registries.conf whose TLS trust differs; a node whose first release mirror has no
// signature. Composed verdicts must equal every node reading every image; nothing is left behind.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canRunSandbox, nodeImageRows, runVerify, sandbox, type Sandbox, suiteDir, useSandbox } from './helpers.js';

let s: Sandbox;
const work = suiteDir('oc-icsp-many-images');
useSandbox(
  work,
  [
    { name: 'worker-0', config: 'cluster-with-release' },
    { name: 'worker-1', config: 'cluster-with-release' },
    { name: 'worker-2', config: 'cluster-with-release', credentials: false },
    { name: 'worker-3', config: 'untrusted-tls' },
    { name: 'worker-4', config: 'untrusted-tls', trustsTls: true },
    { name: 'worker-5', config: 'release-unsigned-first' },
  ],
  (created) => (s = created),
  // cat-1 is on no mirror the cluster's nodes use; cat-2 not on the first.
  { settings: { openshift: '4.21' }, catalog: { count: 4, missing: { open: [1, 2], auth: [1], tls: [1] } } },
);

/** The catalog as oc-mirror v2's dry run maps it (working-dir/dry-run/mapping.txt). */
function mappingFile(): string {
  const path = join(work, 'mapping.txt');
  writeFileSync(path, s.catalog.map((src) => `docker://${src}=docker://${s.registries.open.host}/mirror/team/${/\/([^/@]+)@/.exec(src)![1]}@${s.digest}`).join('\n') + '\n');
  return path;
}

/** The release image and the sandbox's image in `oc adm release info --pullspecs` layout (describeReleaseInfo). */
function pullspecsFile(): string {
  const path = join(work, 'release.txt');
  writeFileSync(path, [`Name:      4.21.0`, '', `Pull From: ${s.releaseImage}`, '', 'Images:', '  NAME   PULL SPEC', `  app    ${s.image}`, ''].join('\n'));
  return path;
}

describe.skipIf(!canRunSandbox)('every image at once', () => {
  it('answers first, folds nodes and images, and composes verdicts equal to exhaustive ones', async () => {
    const args = ['-f', mappingFile(), '--check', 'manifest', '--timeout', '120s'];
    const table = runVerify(s, args);
    expect(table.code, table.stderr).toBe(1);
    const lines = table.stdout.split('\n');
    // worker-3 does not trust the TLS mirror that worker-4, with the same registries.conf, trusts.
    expect(lines[0]).toBe('4 images x 6 nodes: 0 served by a mirror on every node');
    expect(lines[1]).toBe('4 images no mirror served on 1 node (worker-3): tls on mirror, source: dns');
    // worker-5 has the open mirror only; cat-1 is on none of the cluster's; cat-2 is on the second, which worker-2 cannot read.
    expect(lines).toContain('2 images no mirror served on 1 node (worker-5): manifest-unknown on mirror, source: dns');
    expect(lines).toContain('1 image no mirror served on 3 nodes (worker-[0-2]): manifest-unknown on mirror, source: dns');
    expect(lines).toContain('1 image no mirror served on 1 node (worker-4): manifest-unknown on mirror, source: dns');
    expect(lines).toContain('1 image no mirror served on 1 node (worker-2): manifest-unknown on mirror, source: dns');

    const composed = runVerify(s, [...args, '-o', 'json']);
    const exhaustive = runVerify(s, [...args, '-o', 'json', '--exhaustive']);
    expect(nodeImageRows(composed.stdout)).toEqual(nodeImageRows(exhaustive.stdout));
    const doc = JSON.parse(composed.stdout);
    expect(doc.composed.readers).toEqual(['worker-0', 'worker-2', 'worker-3', 'worker-4', 'worker-5']);
    expect(doc.composed.borrowed).toBe(4);
    // cat-2, not on the first mirror: the second asks worker-2 for credentials its pull secret lacks.
    const cat2 = doc.images.find((i: { image: string }) => i.image === s.catalog[2]).outcomes;
    const worker2 = cat2.find((o: { nodes: number }) => doc.nodeSets[o.nodes].includes('worker-2'));
    expect(worker2.attempts.map((a: { reason: string | null }) => a.reason)).toContain('unauthorized');
    expect(await sandbox.settled(s.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
  });

  it("reads oc adm release info --pullspecs: the release's signature missing on a node's first mirror stops its pull", () => {
    const r = runVerify(s, ['-f', pullspecsFile(), '--check', 'manifest', '--timeout', '120s', '-o', 'json']);
    const doc = JSON.parse(r.stdout);
    expect(doc.images.map((i: { image: string }) => i.image)).toEqual([s.releaseImage, s.image]);
    const release = doc.images[0].outcomes.map((o: { code: string; nodes: number }) => `${o.code} ${doc.nodeSets[o.nodes].join(',')}`);
    expect(release).toContain('signature-missing worker-5');
  });
});
