// The signatures fact on its own: what its reader keeps of the node's files and its look for the
// attachment, and what it makes of them for one image (the files are as the MCO writes them:
// machine-config-operator helpers.go updatePolicyJSON, generateSigstoreRegistriesdConfig).
import { describe, expect, it } from 'vitest';
import type { ImageContext } from '../../src/node-check/fact.js';
import { type SignatureRaw, signatures } from '../../src/node-check/facts/signatures.js';
import { parseReference } from '../../src/registries/reference.js';
import { readPolicies } from '../../src/registries/policies.js';
import { clusterConf } from '../../src/app/node-config.js';

const SOURCE = 'quay.io/openshift-release-dev/ocp-release';
const D = `sha256:${'a'.repeat(64)}`;
const IMAGE = `${SOURCE}@${D}`;
const MIRROR = 'mirror.corp.example:5000/ocp/release';
const requirement = (keyData: string) => [{ type: 'sigstoreSigned', keyData, signedIdentity: { type: 'matchRepoDigestOrExact' } }];
const policyJson = (keyData: string | null) =>
  JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }], transports: keyData ? { docker: { [SOURCE]: requirement(keyData) } } : {} });
const attachments = (...scopes: string[]) => `docker:\n${scopes.map((s) => `  ${s}:\n    use-sigstore-attachments: true\n`).join('')}`;
const raw = (files: [string, string][], lookups: SignatureRaw['lookups'] = []): SignatureRaw => ({ files: files.map(([path, text]) => ({ path, text })), lookups });

const policies = readPolicies(
  [
    { apiVersion: 'config.openshift.io/v1', kind: 'ImageDigestMirrorSet', metadata: { name: 'release' }, spec: { imageDigestMirrors: [{ source: SOURCE, mirrors: [MIRROR] }] } },
    { apiVersion: 'config.openshift.io/v1', kind: 'ClusterImagePolicy', metadata: { name: 'openshift' }, spec: { scopes: [SOURCE], policy: { rootOfTrust: { policyType: 'PublicKey', publicKey: { keyData: 'a2V5' } } } } },
  ].map((object) => ({ origin: 't', object })),
);
const context = (over: Partial<ImageContext> = {}): ImageContext => ({
  node: 'w0',
  image: IMAGE,
  ref: parseReference(IMAGE),
  expected: clusterConf(policies),
  expectedSignatures: { policies: policies.imagePolicies },
  severalImages: false,
  verdict: { verdict: 'mirrored', pulledFrom: `${MIRROR}@${D}`, attempts: [], reason: { code: 'served-by-mirror', failedFirst: [] } },
  ...over,
});
const NODE = raw([
  ['/etc/containers/policy.json', policyJson('a2V5')],
  ['/etc/containers/registries.d/sigstore-registries.yaml', attachments(SOURCE, MIRROR)],
  ['/etc/crio/policies/team.json', policyJson('a2V5')],
]);

describe('the signatures fact', () => {
  it("reads each file in its section, and each look's log under its image", () => {
    const reader = signatures.reader();
    reader.open!('signature-file', ['/etc/containers/policy.json']);
    reader.line('signature-file', '{"default":');
    reader.line('signature-file', '[]}');
    reader.open!('signature-lookup', [IMAGE]);
    reader.line('signature-lookup', `time="2026-12-07T03:01:14Z" level=debug msg="Looking for sigstore attachments in ${MIRROR}:sha256-${'a'.repeat(64)}.sig"`);
    reader.mark('signature-lookup-exit', ['1']);
    expect(reader.result()).toEqual({
      files: [{ path: '/etc/containers/policy.json', text: '{"default":\n[]}\n' }],
      lookups: [{ image: IMAGE, exitCode: 1, lookup: { endpoint: MIRROR, tag: `sha256-${'a'.repeat(64)}.sig`, found: null } }],
    });
  });

  it("what the node requires of the image, where it reads the signature from, and its namespaces' own policies", () => {
    expect(signatures.result(NODE, context())).toEqual({
      requirement: { scope: SOURCE, type: 'sigstoreSigned', root: 'PublicKey', identity: 'matchRepoDigestOrExact' },
      attachmentsRead: { endpoint: MIRROR, enabled: true },
      attachment: null,
      matchesCluster: true,
      namespacePolicies: ['team'],
      problem: null,
    });
    expect(signatures.expectation!(NODE, context())).toEqual({ signature: { requirement: { scope: SOURCE, type: 'sigstoreSigned', root: 'PublicKey', identity: 'matchRepoDigestOrExact' }, lookup: null } });
    expect(signatures.warnings!(signatures.result(NODE, context()), context())).toEqual([]);
  });

  it('the endpoint of a refused signature is the one looked at, not the one that served', () => {
    const refused = context({ verdict: { verdict: 'mirror-failed', pulledFrom: null, attempts: [], reason: { code: 'signature-missing', endpoint: 'other.example/ocp/release', mirror: true, host: 'other.example', attachment: null, requirement: null, seenBy: 'pull', why: null, untried: 0 } } });
    expect(signatures.result(NODE, refused)?.attachmentsRead).toEqual({ endpoint: 'other.example/ocp/release', enabled: false });
    expect(signatures.warnings!(signatures.result(NODE, refused), refused)).toEqual([{ code: 'signature-attachments-off', node: 'w0', endpoint: 'other.example/ocp/release' }]);
  });

  it('another key than the cluster renders, or a mirror not listed, is a policy that differs; named per image with several', () => {
    const otherKey = raw([['/etc/containers/policy.json', policyJson('b3RoZXI=')], ['/etc/containers/registries.d/sigstore-registries.yaml', attachments(SOURCE, MIRROR)]]);
    expect(signatures.result(otherKey, context())?.matchesCluster).toBe(false);
    const unlisted = raw([['/etc/containers/policy.json', policyJson('a2V5')], ['/etc/containers/registries.d/sigstore-registries.yaml', attachments(SOURCE)]]);
    expect(signatures.result(unlisted, context())?.matchesCluster).toBe(false);
    expect(signatures.warnings!(signatures.result(otherKey, context()), context({ severalImages: true }))).toContainEqual({ code: 'signature-policy-differs', node: 'w0', image: IMAGE });
  });

  it('nothing sent: no result; no requirement: no expectation; a file that does not parse: a problem, and no comparison', () => {
    expect(signatures.result(raw([]), context())).toBeNull();
    const none = raw([['/etc/containers/policy.json', policyJson(null)]]);
    expect(signatures.expectation!(none, context())).toEqual({ signature: null });
    expect(signatures.result(none, context())?.requirement).toBeNull();
    const broken = raw([['/etc/containers/policy.json', '{']]);
    expect(signatures.result(broken, context())).toMatchObject({ problem: expect.stringMatching(/^\/etc\/containers\/policy\.json is not JSON/), matchesCluster: null, requirement: null });
    expect(signatures.result(NODE, context({ expectedSignatures: null }))?.matchesCluster).toBeNull();
  });
});
