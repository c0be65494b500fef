// Signatures through mirrors, on a sandbox playing OpenShift 4.21: the default `openshift`
// ClusterImagePolicy covers the sandbox's release repository, the nodes carry what the MCO
// renders for it (policy.json, registries.d), and the release sits on three mirrors, signed for
// real (test/sandbox/signing.ts): with its signature, without, and signed by another key.
//
// The nodes pull with Debian 12's podman 4.3.1, which is built with sigstore verification taken
// out (Debian's patch to containers/image 5.23: "Debian-local change: sigstore disabled"): it
// refuses every signature, good or not. So here a pull through the signed mirror is refused
// (signature-rejected, podman's words quoted), where a real node's podman verifies it; the test
// that the sandbox's signatures are good is made with Debian 13's skopeo, which verifies.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signerSkopeo } from '../sandbox/signing.js';
import { canRunSandbox, envFor, runVerify, sandbox, type Sandbox, suiteDir, useSandbox, waitFor } from './helpers.js';
import { BIN } from './helpers.js';

let s: Sandbox;
const work = suiteDir('oc-icsp-signatures');
useSandbox(
  work,
  [
    { name: 'signed', config: 'cluster-with-release' },
    { name: 'unsigned-first', config: 'release-unsigned-first' },
    { name: 'wrong-key', config: 'release-wrong-key' },
    { name: 'lagging', config: 'cluster-with-release', signaturePolicy: 'lags' },
  ],
  (created) => (s = created),
  { settings: { openshift: '4.21' } },
);

interface Node {
  name: string;
  verdict: string;
  code: string;
  reason: Record<string, unknown>;
  detail: string;
  signatures: { requirement: unknown; attachment: { found: boolean | null } | null; matchesCluster: boolean | null } | null;
}
const byName = (doc: { nodes: Node[] }) => Object.fromEntries(doc.nodes.map((n) => [n.name, n]));
const mirror = (name: string) => `${s.registries.open.host}/${name}/ocp-release`;
// The look's own folders (where its policy is written); other suites' pulls and looks use /var/tmp beside it.
const leftoverLooks = () => readdirSync('/var/tmp').filter((f) => f.startsWith('oc-icsp-') && existsSync(join('/var/tmp', f, 'presence.json')));

describe.skipIf(!canRunSandbox)('signatures through mirrors (4.21)', () => {
  for (const strategy of ['debug', 'daemonset']) {
    it(`${strategy}, --check pull: a missing signature fails on the mirror that served, without falling back; a refused one says why`, async () => {
      const r = runVerify(s, [s.releaseImage, '--strategy', strategy, '--check', 'pull', '--timeout', '30s', '-o', 'json']);
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout);
      const nodes = byName(doc);
      expect(nodes['unsigned-first']).toMatchObject({
        verdict: 'mirror-failed',
        code: 'signature-missing',
        reason: { endpoint: mirror('unsigned'), mirror: true, seenBy: 'pull', untried: 2, requirement: { scope: 'registry.sandbox.invalid/openshift-release-dev/ocp-release', type: 'sigstoreSigned', root: 'PublicKey' } },
      });
      expect(nodes['unsigned-first']!.detail).toContain('CRI-O does not fall back on a signature');
      // Debian's podman refuses every sigstore signature (see the top of this file).
      for (const name of ['signed', 'wrong-key']) {
        expect(nodes[name]).toMatchObject({ verdict: 'mirror-failed', code: 'signature-rejected', reason: { why: 'Debian-local change: sigstore disabled' } });
      }
      expect(nodes.signed!.reason.endpoint).toBe(mirror('signed'));
      expect(nodes['wrong-key']!.reason.endpoint).toBe(mirror('wrong-key'));
      // No policy on the node: it pulls, and the lag is said.
      expect(nodes.lagging).toMatchObject({ verdict: 'mirrored', signatures: { requirement: null, matchesCluster: false } });
      expect(doc.warningReasons.map((w: { code: string }) => w.code)).toContain('signature-policy-differs');
      expect(await sandbox.settled(s.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
    });

    it(`${strategy}, --check manifest: the attachment looked for where the manifest came from, nothing pulled`, async () => {
      const r = runVerify(s, [s.releaseImage, '--strategy', strategy, '--check', 'manifest', '--timeout', '30s', '-o', 'json']);
      expect(r.code).toBe(1);
      const nodes = byName(JSON.parse(r.stdout));
      expect(nodes['unsigned-first']).toMatchObject({ verdict: 'mirror-failed', code: 'signature-missing', reason: { endpoint: mirror('unsigned'), seenBy: 'attachment' }, signatures: { attachment: { found: false } } });
      for (const name of ['signed', 'wrong-key']) {
        expect(nodes[name]).toMatchObject({ verdict: 'mirrored', code: 'served-by-mirror', reason: { signature: 'attachment-present' }, signatures: { attachment: { found: true } } });
        expect(nodes[name]!.detail).toContain('a manifest check does not verify it');
      }
      expect(nodes.lagging).toMatchObject({ verdict: 'mirrored', reason: { signature: null }, signatures: { attachment: null } });
      // The look copies nothing: no folder of it is left, nothing in any node's image store. The
      // folder of a look another suite runs beside this one (the host's /var/tmp is every node's)
      // comes and goes; one this run left would stay.
      await waitFor(() => leftoverLooks().length === 0, 30_000).catch(() => {});
      expect(leftoverLooks()).toEqual([]);
      for (const node of ['signed', 'unsigned-first', 'wrong-key', 'lagging']) {
        const storage = join(s.dir, 'nodes', node, 'storage');
        expect(existsSync(join(storage, 'overlay-images', 'images.json')) ? readdirSync(join(storage, 'overlay-images')).filter((f) => f !== 'images.json' && f !== 'images.lock') : []).toEqual([]);
      }
      expect(await sandbox.settled(s.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
    });
  }

  it('--engine crictl: CRI-O 1.34 says SignatureValidationFailed, read as the same reasons', () => {
    const r = runVerify(s, [s.releaseImage, '--engine', 'crictl', '--nodes', 'unsigned-first,wrong-key', '--timeout', '30s', '-o', 'json']);
    const nodes = byName(JSON.parse(r.stdout));
    expect(nodes['unsigned-first']).toMatchObject({ verdict: 'mirror-failed', code: 'signature-missing', reason: { endpoint: mirror('unsigned') } });
    expect(nodes['wrong-key']).toMatchObject({ verdict: 'mirror-failed', code: 'signature-rejected', reason: { why: 'Debian-local change: sigstore disabled' } });
  });

  it('the table: the reason in words under it, with the command that copies the signature', () => {
    const r = spawnSync(BIN, ['verify', s.releaseImage, '--nodes', 'unsigned-first', '--check', 'manifest'], { encoding: 'utf8', env: envFor(s) });
    expect(r.stdout).toMatch(/^unsigned-first +mirror-failed +- +signature missing on mirror$/m);
    expect(r.stdout).toContain(`unsigned-first: ${s.registries.open.host}: mirror the signature: oc image mirror registry.sandbox.invalid/openshift-release-dev/ocp-release:sha256-`);
  });

  it("the sandbox's signatures are real: Debian 13's skopeo verifies the signed mirror's with the release key, and refuses the other key's", () => {
    const policy = join(work, 'verify-policy.json');
    const key = Buffer.from(execFileSync('cat', [join(s.dir, 'keys', 'release.pub')])).toString('base64');
    writeFileSync(policy, JSON.stringify({ default: [{ type: 'sigstoreSigned', keyData: key, signedIdentity: { type: 'exactRepository', dockerRepository: 'registry.sandbox.invalid/openshift-release-dev/ocp-release' } }] }));
    const registriesD = join(work, 'registries.d');
    execFileSync('mkdir', ['-p', registriesD]);
    writeFileSync(join(registriesD, 'all.yaml'), 'default-docker:\n  use-sigstore-attachments: true\n');
    const [cmd, ...prefix] = signerSkopeo();
    const read = (repo: string) =>
      spawnSync(cmd!, [...prefix, '--policy', policy, '--registries.d', registriesD, 'copy', '--src-tls-verify=false', `docker://${s.registries.open.host}/${repo}/ocp-release@${s.digest}`, `dir:${join(work, repo)}`], { encoding: 'utf8' });
    const good = read('signed');
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
    const bad = read('wrong-key');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/Source image rejected: cryptographic signature verification failed: invalid signature when validating ASN.1 encoded signature/);
  });

  it("list and status read the cluster's ClusterImagePolicy at the version it serves (v1 on 4.21), the release's own named", () => {
    const list = JSON.parse(spawnSync(BIN, ['list', '-o', 'json'], { encoding: 'utf8', env: envFor(s) }).stdout);
    expect(list.signaturePolicies).toEqual([
      { kind: 'ClusterImagePolicy', name: 'openshift', namespace: null, apiVersion: 'config.openshift.io/v1', scopes: ['registry.sandbox.invalid/openshift-release-dev/ocp-release'], root: 'PublicKey', builtIn: true },
    ]);
    const status = spawnSync(BIN, ['status'], { encoding: 'utf8', env: envFor(s) });
    expect(status.stdout).toContain("  ClusterImagePolicy/openshift (the release's own): registry.sandbox.invalid/openshift-release-dev/ocp-release (PublicKey, config.openshift.io/v1)");
  });

  it('render --file policy.json from the cluster is what the nodes that follow it carry', () => {
    const rendered = JSON.parse(spawnSync(BIN, ['render', '--file', 'policy.json'], { encoding: 'utf8', env: envFor(s) }).stdout);
    const node = JSON.parse(execFileSync('cat', [join(s.dir, 'nodes', 'signed', 'policy.json')], { encoding: 'utf8' }));
    expect(rendered).toEqual(node);
  });
});
