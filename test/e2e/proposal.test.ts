// verify --proposed/--without on the sandbox: the nodes probe the registries.conf the MCO would
// write after the change (in the run's own directory, through podman's and skopeo's overrides),
// with their own pull secret, trust and proxy; their files are left byte for byte; the rollout is
// said before anything is applied.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, canRunSandbox, envFor, runVerify, sandbox, type Sandbox, suiteDir, useSandbox } from './helpers.js';

let s: Sandbox;
const work = suiteDir('oc-icsp-proposal');
useSandbox(work, [{ name: 'worker-0', config: 'cluster' }, { name: 'worker-1', config: 'cluster', credentials: false }], (created) => (s = created));

const nodeFiles = () => ['worker-0', 'worker-1'].map((n) => readFileSync(join(s.dir, 'nodes', n, 'registries.conf')).toString('base64'));

/** Onboarding a mirror that needs credentials, the source never contacted. */
function onboarding(): string {
  const path = join(work, 'onboard.yaml');
  const repo = s.image.split('@')[0]!;
  writeFileSync(
    path,
    `apiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata: {name: onboard}\nspec:\n  imageDigestMirrors:\n  - source: ${repo}\n    mirrors: [${s.registries.auth.host}/secure/team/app]\n    mirrorSourcePolicy: NeverContactSource\n`,
  );
  return path;
}

describe.skipIf(!canRunSandbox)('verify a change before it is applied', () => {
  for (const strategy of ['debug', 'daemonset']) {
    it(`onboarding a NeverContactSource mirror (${strategy}): the node without its credentials is told why; CRI-O only reloads; the nodes' files untouched`, async () => {
      const before = nodeFiles();
      const r = runVerify(s, [s.image, '--proposed', onboarding(), '--strategy', strategy, '--check', 'manifest', '--timeout', '60s', '-o', 'json']);
      expect(r.code, r.stderr).toBe(1);
      const doc = JSON.parse(r.stdout);
      expect(doc.proposal).toEqual({
        applied: ['ImageDigestMirrorSet/onboard'],
        deleted: [],
        rollout: [{ pool: 'worker', action: 'reload', because: 'only digest-only mirrors or registries added', message: 'CRI-O reloads, no drain (only digest-only mirrors or registries added)' }],
      });
      const byNode = Object.fromEntries(doc.nodes.map((n: { name: string; verdict: string; code: string; pulledFrom: string | null; probeConfig: unknown }) => [n.name, n]));
      expect(byNode['worker-0']).toMatchObject({ verdict: 'mirrored', pulledFrom: `${s.registries.auth.host}/secure/team/app@${s.digest}`, probeConfig: { kind: 'proposed' } });
      expect(byNode['worker-1']).toMatchObject({ verdict: 'mirror-failed', code: 'mirror-unauthorized' });
      expect(nodeFiles()).toEqual(before);
      expect(await sandbox.settled(s.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
    });
  }

  it('names the change and the rollout first; an ICSP deleted with nothing in its place drains, and no node is mirrored', () => {
    const r = runVerify(s, [s.image, '--without', 'icsp/sandbox-mirrors', '--check', 'manifest', '--timeout', '60s']);
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n');
    expect(lines[0]).toBe('as if ImageContentSourcePolicy/sandbox-mirrors deleted');
    expect(lines[1]).toBe(`rollout: worker: every node of each pool is drained before the file lands (registry ${s.image.split('/').slice(0, 2).join('/')} removed)`);
    expect(r.stdout).not.toMatch(/(^|\s)mirrored(\s|$)/m);
    expect(r.stdout).toMatch(/worker-0 +not-mirrored/);
  });

  it("the ICSP to IDMS migration, with our migrate's output and --without: nothing regresses, nothing rolls out", () => {
    const icsp = join(work, 'icsp.yaml');
    writeFileSync(icsp, spawnSync(join(s.dir, 'bin', 'oc'), ['get', 'imagecontentsourcepolicy', 'sandbox-mirrors', '-o', 'yaml'], { env: envFor(s), encoding: 'utf8' }).stdout);
    const idms = join(work, 'migrated.yaml');
    writeFileSync(idms, spawnSync(BIN, ['migrate', '-f', icsp], { encoding: 'utf8' }).stdout);
    const r = runVerify(s, [s.image, '--proposed', idms, '--without', 'icsp/sandbox-mirrors', '--nodes', 'worker-0', '--check', 'manifest', '--timeout', '60s', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.proposal.applied).toEqual(['ImageDigestMirrorSet/sandbox-mirrors']);
    expect(doc.proposal.rollout.map((x: { action: string }) => x.action)).toEqual(['none']);
    expect(doc.nodes[0].verdict).toBe('mirrored');
  });

  it('an ITMS adding a mirror drains (its mirrors are tag-only); image.config no longer listing the HTTP mirror as insecure fails it', () => {
    const itms = join(work, 'itms.yaml');
    writeFileSync(itms, `apiVersion: config.openshift.io/v1\nkind: ImageTagMirrorSet\nmetadata: {name: tags}\nspec:\n  imageTagMirrors:\n  - source: ${s.tagImage.split(':v1')[0]}\n    mirrors: [${s.registries.open.host}/mirror/team/app]\n`);
    const tags = runVerify(s, [s.tagImage, '--proposed', itms, '--nodes', 'worker-0', '--check', 'manifest', '--timeout', '60s', '-o', 'json']);
    const doc = JSON.parse(tags.stdout);
    expect(doc.proposal.rollout[0]).toMatchObject({ action: 'drain' });
    expect(doc.nodes[0].verdict).toBe('mirrored');

    const image = join(work, 'image.yaml');
    const insecure = [s.registries.auth.host, s.registries.quay.host];
    writeFileSync(image, `apiVersion: config.openshift.io/v1\nkind: Image\nmetadata: {name: cluster}\nspec:\n  registrySources:\n    insecureRegistries: [${insecure.join(', ')}]\n`);
    const strict = runVerify(s, [s.image, '--proposed', image, '--nodes', 'worker-1', '--check', 'manifest', '--timeout', '60s', '-o', 'json']);
    const node = JSON.parse(strict.stdout).nodes[0];
    expect(node.verdict).toBe('mirror-failed');
    expect(node.attempts[0]).toMatchObject({ reference: `${s.registries.open.host}/mirror/team/app@${s.digest}`, ok: false, reason: 'tls' });
  });

  it('--compare: each node reads with its own files and the proposal\'s in one pod; regressions first', async () => {
    const r = runVerify(s, [s.image, '--without', 'icsp/sandbox-mirrors', '--compare', '--check', 'pull', '--timeout', '60s', '-o', 'json']);
    const doc = JSON.parse(r.stdout);
    for (const n of doc.nodes as { name: string; verdict: string; now: { verdict: string } }[]) {
      expect(n.verdict, n.name).not.toBe('mirrored');
    }
    const now = Object.fromEntries(doc.nodes.map((n: { name: string; now: { verdict: string } }) => [n.name, n.now.verdict]));
    // Today worker-0 is mirrored; worker-1 (no credentials) too, through the open mirror first.
    expect(now).toEqual({ 'worker-0': 'mirrored', 'worker-1': 'mirrored' });
    const table = runVerify(s, [s.image, '--without', 'icsp/sandbox-mirrors', '--compare', '--check', 'manifest', '--timeout', '60s']);
    expect(table.stdout.split('\n')[0]).toMatch(/^NODE +NOW +VERDICT/);
    expect(table.stdout).toMatch(/worker-0 +mirrored \(regresses\) +not-mirrored/);
    expect(await sandbox.settled(s.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
  });

  it('--running with a change: the running images it would leave to their source are not-covered', () => {
    const r = runVerify(s, ['--running', '--without', 'icsp/sandbox-mirrors', '--check', 'manifest', '--timeout', '60s', '-o', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.notCovered.map((n: { image: string }) => n.image)).toContain(`quay.io/openshift/dns@sha256:${'d'.repeat(64)}`);
    expect(doc.proposal.deleted).toEqual(['ImageContentSourcePolicy/sandbox-mirrors']);
  });

  it('refuses a --without the cluster does not have, before any pod', async () => {
    const r = runVerify(s, [s.image, '--without', 'idms/not-there']);
    expect([r.code, r.stderr]).toEqual([2, 'error: --without: the cluster has no ImageDigestMirrorSet/not-there (see `oc get idms`)\n']);
    expect(await sandbox.settled(s.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
  });
});

describe.skipIf(!canRunSandbox)('the drain override ConfigMap on 4.18', () => {
  let o: Sandbox;
  useSandbox(
    suiteDir('oc-icsp-proposal-override'),
    [{ name: 'worker-0', config: 'cluster' }],
    (created) => (o = created),
    { settings: { openshift: '4.18' }, objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'image-registry-override-drain', namespace: 'openshift-machine-config-operator' } }] },
  );
  it('an ICSP deleted would drain, but the ConfigMap makes it a reload', () => {
    const r = runVerify(o, [o.image, '--without', 'icsp/sandbox-mirrors', '--check', 'manifest', '--timeout', '60s']);
    expect(r.stderr.split('\n')[1]).toBe(
      `rollout: worker: CRI-O reloads, no drain (registry ${o.image.split('/').slice(0, 2).join('/')} removed, but the ConfigMap openshift-machine-config-operator/image-registry-override-drain skips the drain)`,
    );
  });
});

describe.skipIf(!canRunSandbox)('a change to the signature policy on 4.21', () => {
  let g: Sandbox;
  useSandbox(suiteDir('oc-icsp-proposal-signatures'), [{ name: 'unsigned-first', config: 'release-unsigned-first' }], (created) => (g = created), { settings: { openshift: '4.21' } });
  it("deleting the release's ClusterImagePolicy: the node is probed with the policy.json and registries.d the MCO would write, and the mirror without the signature serves", () => {
    const before = readFileSync(join(g.dir, 'nodes', 'unsigned-first', 'policy.json'), 'utf8');
    const r = runVerify(g, [g.releaseImage, '--without', 'clusterimagepolicy/openshift', '--compare', '--check', 'manifest', '--timeout', '60s', '-o', 'json']);
    const node = JSON.parse(r.stdout).nodes[0];
    expect(node.now).toMatchObject({ verdict: 'mirror-failed', code: 'signature-missing' });
    expect(node.verdict).toBe('mirrored');
    expect(node.signatures.requirement).toBeNull();
    expect(readFileSync(join(g.dir, 'nodes', 'unsigned-first', 'policy.json'), 'utf8')).toBe(before);
  });
});
