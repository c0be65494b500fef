// explain, render, list with signature policies, on files only, in-process through main(): the
// ClusterImagePolicy as openshift/cluster-update-keys ships it for 4.21 (manifests.rhel/
// 0000_90_openshift-cluster-image-policy.yaml: the release repository, PublicKey), its key cut
// short here, beside an IDMS that mirrors the release.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runMain, scratch } from './in-process.js';

const { dir, write } = scratch('oc-icsp-signatures-');
// No client on PATH: these commands must not need one.
const run = runMain;
const RELEASE = 'quay.io/openshift-release-dev/ocp-release';
const IMAGE = `${RELEASE}@sha256:${'c'.repeat(64)}`;
const KEY = Buffer.from('-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n').toString('base64');
const CIP = `apiVersion: config.openshift.io/v1
kind: ClusterImagePolicy
metadata:
  name: openshift
spec:
  scopes:
  - ${RELEASE}
  policy:
    rootOfTrust:
      policyType: PublicKey
      publicKey:
        keyData: ${KEY}
`;
const IDMS = `apiVersion: config.openshift.io/v1
kind: ImageDigestMirrorSet
metadata:
  name: release
spec:
  imageDigestMirrors:
  - source: ${RELEASE}
    mirrors:
    - mirror.corp.example:5000/ocp/release
    - backup.corp.example/ocp/release
`;
const FILES = ['-f', write('idms.yaml', IDMS), '-f', write('cip.yaml', CIP)];

describe('render --file', () => {
  it('policy.json: the ClusterImagePolicy scope under docker and atomic, as the MCO writes it', async () => {
    const r = await run(['render', ...FILES, '--file', 'policy.json']);
    expect(r.status).toBe(0);
    const requirement = [{ type: 'sigstoreSigned', keyData: KEY, signedIdentity: { type: 'matchRepoDigestOrExact' } }];
    expect(JSON.parse(r.stdout)).toEqual({
      default: [{ type: 'insecureAcceptAnything' }],
      transports: { 'docker-daemon': { '': [{ type: 'insecureAcceptAnything' }] }, docker: { [RELEASE]: requirement }, atomic: { [RELEASE]: requirement } },
    });
  });
  it('sigstore-registries.yaml: the scope and each of its mirrors read attachments', async () => {
    const r = await run(['render', ...FILES, '--file', 'sigstore-registries.yaml']);
    expect(Object.keys((parseYaml(r.stdout) as { docker: object }).docker).sort()).toEqual(['backup.corp.example/ocp/release', 'mirror.corp.example:5000/ocp/release', RELEASE]);
  });
  it('registries.conf, the default, notes that the signature policy goes elsewhere', async () => {
    const r = await run(['render', ...FILES]);
    expect(r.stdout).toContain(`location = "${RELEASE}"`);
    expect(r.stderr).toBe('note: ClusterImagePolicy/openshift require signatures: the MCO writes them to /etc/containers/policy.json and registries.d/sigstore-registries.yaml (render --file policy.json, --file sigstore-registries.yaml)\n');
  });
  it('without a ClusterImagePolicy: the template, and no registries.d file (said on stderr)', async () => {
    const r = await run(['render', '-f', write('idms-only.yaml', IDMS), '--file', 'sigstore-registries.yaml']);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '', 'note: no ClusterImagePolicy or ImagePolicy: the MCO writes no sigstore-registries.yaml\n']);
  });
  it('a file of only a ClusterImagePolicy is a policy file', async () => {
    expect((await run(['render', '-f', write('cip-only.yaml', CIP), '--file', 'policy.json'])).status).toBe(0);
  });
  it('an unknown file: exit 2, the choices named', async () => {
    const r = await run(['render', ...FILES, '--file', 'crio.conf']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: .*crio\.conf/);
  });
});

describe('list', () => {
  it('the signature policies under the mirror policies, the release\'s own named', async () => {
    const r = await run(['list', ...FILES]);
    expect(r.stdout).toContain('signature policies (pulls of these scopes need a signature, on every node):');
    expect(r.stdout).toMatch(/ClusterImagePolicy +openshift \(the release's own\) +quay\.io\/openshift-release-dev\/ocp-release +PublicKey/);
    const doc = JSON.parse((await run(['list', ...FILES, '-o', 'json'])).stdout);
    expect(doc.signaturePolicies).toEqual([{ kind: 'ClusterImagePolicy', name: 'openshift', namespace: null, apiVersion: 'config.openshift.io/v1', scopes: [RELEASE], root: 'PublicKey', builtIn: true }]);
  });
  it('v1alpha1 (4.19) is read as well; another apiVersion is refused', async () => {
    const alpha = write('alpha.yaml', CIP.replace('config.openshift.io/v1', 'config.openshift.io/v1alpha1'));
    expect(JSON.parse((await run(['list', '-f', alpha, '-o', 'json'])).stdout).signaturePolicies[0].apiVersion).toBe('config.openshift.io/v1alpha1');
    const r = await run(['list', '-f', write('beta.yaml', CIP.replace('config.openshift.io/v1', 'config.openshift.io/v1beta1'))]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: .*beta\.yaml: ClusterImagePolicy "openshift": apiVersion: must be one of config\.openshift\.io\/v1, config\.openshift\.io\/v1alpha1/);
  });
});

describe('explain', () => {
  it('from the policies: the requirement under the sources, read from the source that serves, no fallback', async () => {
    const r = await run(['explain', IMAGE, ...FILES]);
    expect(r.stdout).toContain(`note: a signature is required: policy.json asks sigstoreSigned (PublicKey) for ${RELEASE}; it is read from the source that serves the manifest, and if that one lacks it (or it is refused) the pull fails there: no later mirror, nor the source, is tried`);
    const doc = JSON.parse((await run(['explain', IMAGE, ...FILES, '-o', 'json'])).stdout);
    expect(doc.signature).toEqual({
      from: 'policy.json rendered from ClusterImagePolicy/openshift',
      requirement: { scope: RELEASE, type: 'sigstoreSigned', root: 'PublicKey', identity: 'matchRepoDigestOrExact' },
      rejected: false,
      sources: [`mirror.corp.example:5000/ocp/release`, 'backup.corp.example/ocp/release', RELEASE].map((r) => ({ reference: `${r}@sha256:${'c'.repeat(64)}`, readsAttachments: true })),
    });
  });
  it("a node's files: a mirror its registries.d does not list is said to fail for want of a signature", async () => {
    const conf = write('registries.conf', `[[registry]]\nprefix = ""\nlocation = "${RELEASE}"\n\n[[registry.mirror]]\nlocation = "mirror.corp.example:5000/ocp/release"\npull-from-mirror = "digest-only"\n`);
    const policy = write('policy.json', (await run(['render', ...FILES, '--file', 'policy.json'])).stdout);
    const registriesD = join(dir, 'registries.d');
    mkdirSync(registriesD, { recursive: true });
    writeFileSync(join(registriesD, 'sigstore-registries.yaml'), `docker:\n  ${RELEASE}:\n    use-sigstore-attachments: true\n`);
    const r = await run(['explain', IMAGE, '--registries-conf', conf, '--policy-json', policy, '--registries-d', registriesD, '-o', 'json']);
    const doc = JSON.parse(r.stdout);
    expect(doc.signature.sources.map((s: { readsAttachments: boolean }) => s.readsAttachments)).toEqual([false, true]);
    expect(doc.noteReasons.map((n: { code: string }) => n.code)).toEqual(['signature-required', 'signature-not-read']);
    expect(doc.notes[1]).toBe(`registries.d does not read sigstore attachments from mirror.corp.example:5000/ocp/release@sha256:${'c'.repeat(64)}: a pull it serves fails for want of a signature`);
  });
  it('a node\'s registries.conf alone says nothing of signatures', async () => {
    const conf = write('registries-only.conf', `[[registry]]\nprefix = ""\nlocation = "${RELEASE}"\n`);
    expect(JSON.parse((await run(['explain', IMAGE, '--registries-conf', conf, '-o', 'json'])).stdout).signature).toBeNull();
  });
  it('allowedRegistries that leave the image out: policy.json rejects it', async () => {
    const image = write('image.yaml', 'apiVersion: config.openshift.io/v1\nkind: Image\nmetadata: {name: cluster}\nspec:\n  registrySources:\n    allowedRegistries: [registry.redhat.io]\n');
    const doc = JSON.parse((await run(['explain', IMAGE, '-f', write('idms2.yaml', IDMS), '-f', image, '-o', 'json'])).stdout);
    expect([doc.signature.rejected, doc.noteReasons.map((n: { code: string }) => n.code)]).toEqual([true, ['policy-rejects']]);
  });
});
