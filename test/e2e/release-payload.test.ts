// verify --release: a payload's images through `oc adm release info -o json` (the sandbox's thin
// oc reads a real payload image from its TLS mirror: test/sandbox/oc/release.ts). The cluster's
// own release is named under a source the workstation cannot reach, as on a disconnected cluster.
import { describe, expect, it } from 'vitest';
import { canRunSandbox, runVerify, sandbox, type Sandbox, suiteDir, useSandbox } from './helpers.js';

let s: Sandbox;
useSandbox(suiteDir('oc-icsp-release'), [{ name: 'worker-0', config: 'cluster' }, { name: 'worker-1', config: 'cluster' }], (created) => (s = created), { catalog: { count: 3, missing: { open: [1] } } });

describe.skipIf(!canRunSandbox)('verify --release', () => {
  it("checks the payload and every component on every node, named on the mirror the workstation reaches", async () => {
    const r = runVerify(s, ['--release', s.payload.mirrored, '--check', 'manifest', '--timeout', '60s', '-o', 'json']);
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.images.map((i: { image: string }) => i.image)).toEqual([s.payload.mirrored, ...s.payload.components]);
    const verdict = (image: string) => doc.images.find((i: { image: string }) => i.image === image).outcomes.map((o: { verdict: string; count: number }) => `${o.verdict} ${o.count}`);
    expect(verdict(s.image)).toEqual(['mirrored 2']);
    // cat-1 is not on the first mirror: the second serves it.
    expect(verdict(s.catalog[1]!)).toEqual(['mirrored 2']);
    expect(await sandbox.settled(s.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
  });

  it("says where the workstation cannot read the cluster's own release, and what to name instead; no pod", async () => {
    const r = runVerify(s, ['--release', '--check', 'manifest']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(`^error: cannot read the cluster's release \\(oc adm release info\\): unable to read image ${s.payload.image.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*no such host: where the workstation cannot reach the release's registry, name the release on the mirror: --release MIRROR/REPOSITORY@sha256:...\\n$`),
    );
    expect(await sandbox.settled(s.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
  });

  it('under kubectl, says how --images-from does the same', () => {
    const r = runVerify(s, ['--client', 'kubectl', '--release', s.payload.mirrored]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: --release reads the payload with \`oc adm release info\`, which kubectl does not have: where oc is, run \`oc adm release info --pullspecs ${s.payload.mirrored} > release.txt\` and pass --images-from release.txt\n`,
    );
  });
});
