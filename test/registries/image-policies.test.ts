// ClusterImagePolicy and ImagePolicy into the policy.json requirement the MCO writes for each
// (machine-config-operator pkg/controller/container-runtime-config/helpers.go policyItemFromSpec;
// the objects' fields are openshift/api config/v1 types_image_policy.go's).
import { describe, expect, it } from 'vitest';
import { readImagePolicy } from '../../src/registries/image-policies.js';
import { canonicalJson, policyFor, readSignaturePolicy, referenceIdentity, rejectsAll, signatureRequirement } from '../../src/registries/signature-policy.js';
import { parseReference } from '../../src/registries/reference.js';

const fail = (field: string, problem: string): never => {
  throw new Error(`${field}: ${problem}`);
};
const KEY = { rootOfTrust: { policyType: 'PublicKey', publicKey: { keyData: 'a2V5' } } };
const cip = (spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'p' }, kind: 'ClusterImagePolicy' | 'ImagePolicy' = 'ClusterImagePolicy') =>
  readImagePolicy(kind, { apiVersion: 'config.openshift.io/v1', kind, metadata, spec: { scopes: ['quay.io/a'], ...spec } }, fail);

describe('the requirement each policy becomes', () => {
  it.each([
    [undefined, { type: 'matchRepoDigestOrExact' }],
    [{ matchPolicy: 'MatchRepoDigestOrExact' }, { type: 'matchRepoDigestOrExact' }],
    [{ matchPolicy: 'MatchRepository' }, { type: 'matchRepository' }],
    [{ matchPolicy: 'ExactRepository', exactRepository: { repository: 'quay.io/a/b' } }, { type: 'exactRepository', dockerRepository: 'quay.io/a/b' }],
    [{ matchPolicy: 'RemapIdentity', remapIdentity: { prefix: 'mirror.example/a', signedPrefix: 'quay.io/a' } }, { type: 'remapIdentity', prefix: 'mirror.example/a', signedPrefix: 'quay.io/a' }],
  ])('signedIdentity %j', (signedIdentity, expected) => {
    expect(cip({ policy: { ...KEY, ...(signedIdentity ? { signedIdentity } : {}) } }).requirement.signedIdentity).toEqual(expected);
  });

  it('each trust root, leaving out what is empty as Go omits it', () => {
    expect(cip({ policy: { rootOfTrust: { policyType: 'PublicKey', publicKey: { keyData: 'a2V5', rekorKeyData: '' } } } })).toMatchObject({
      root: 'PublicKey',
      requirement: { type: 'sigstoreSigned', keyData: 'a2V5', signedIdentity: { type: 'matchRepoDigestOrExact' } },
    });
    expect(cip({ policy: { rootOfTrust: { policyType: 'PublicKey', publicKey: { keyData: 'a2V5' } } } }).requirement).not.toHaveProperty('rekorPublicKeyData');
    expect(cip({ policy: { rootOfTrust: { policyType: 'PKI', pki: { caRootsData: 'cm9vdA==', pkiCertificateSubject: { hostname: 'h.example' } } } } }).requirement).toEqual({
      type: 'sigstoreSigned',
      pki: { caRootsData: 'cm9vdA==', subjectHostname: 'h.example' },
      signedIdentity: { type: 'matchRepoDigestOrExact' },
    });
    expect(cip({ policy: { rootOfTrust: { policyType: 'FulcioCAWithRekor', fulcioCAWithRekor: { fulcioCAData: 'Y2E=', rekorKeyData: 'cg==', fulcioSubject: { oidcIssuer: 'https://i', signedEmail: 'a@b' } } } } }).root).toBe('FulcioCAWithRekor');
  });

  it('the object: its name, an ImagePolicy its namespace (default when absent), a ClusterImagePolicy none', () => {
    expect(cip({ policy: KEY })).toMatchObject({ kind: 'ClusterImagePolicy', name: 'p', namespace: null, apiVersion: 'config.openshift.io/v1', scopes: ['quay.io/a'] });
    expect(cip({ policy: KEY }, { name: 'n', namespace: 'team' }, 'ImagePolicy').namespace).toBe('team');
    expect(cip({ policy: KEY }, { name: 'n' }, 'ImagePolicy').namespace).toBe('default');
    expect(cip({ policy: KEY }, {}).name).toBe('');
  });

  it('refuses what the API would: an unknown match policy or trust root, scopes missing, empty or not strings', () => {
    expect(() => cip({ policy: { ...KEY, signedIdentity: { matchPolicy: 'Anything' } } })).toThrow('spec.policy.signedIdentity.matchPolicy: unknown signedIdentity match policy: Anything');
    expect(() => cip({ policy: { rootOfTrust: { policyType: 'GPG' } } })).toThrow('spec.policy.rootOfTrust.policyType: must be PublicKey, FulcioCAWithRekor or PKI, not "GPG"');
    for (const scopes of [undefined, [], [3], 'quay.io/a']) {
      expect(() => readImagePolicy('ClusterImagePolicy', { apiVersion: 'config.openshift.io/v1', metadata: { name: 'p' }, spec: { scopes, policy: KEY } }, fail)).toThrow('spec.scopes: must be a list of one or more scopes');
    }
  });
});

describe('policy.json as containers/image reads it', () => {
  const policy = (docker: Record<string, unknown>) => readSignaturePolicy(JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }], transports: { docker } }), 'p');
  it('each requirement: its type (unknown without one), trust root and identity', () => {
    const read = (r: unknown) => policy({ 'q.io/a': [r] }).docker.get('q.io/a')![0]!;
    expect(read({})).toMatchObject({ type: 'unknown', root: null, identity: null });
    expect(read({ type: 'signedBy', keyType: 'GPGKeys', keyPath: '/k' })).toMatchObject({ type: 'signedBy', root: null, identity: 'matchRepoDigestOrExact' });
    expect(read({ type: 'sigstoreSigned', keyPaths: ['/a', '/b'], signedIdentity: { type: 'matchRepository' } })).toMatchObject({ root: 'PublicKey', identity: 'matchRepository' });
    expect(read({ type: 'sigstoreSigned' })).toMatchObject({ root: null });
    expect(read({ type: 'insecureAcceptAnything', keyData: 'x' })).toMatchObject({ root: null, identity: null });
  });
  it('refuses a file that is no policy object', () => {
    for (const text of ['null', '[]', '3']) expect(() => readSignaturePolicy(text, '/etc/containers/policy.json')).toThrow('/etc/containers/policy.json is not a policy object');
  });
  it('rejects the image only when a requirement is reject; no signature needed where none is asked for', () => {
    const mixed = policy({ 'q.io/a': [{ type: 'insecureAcceptAnything' }, { type: 'reject' }], 'q.io/b': [{ type: 'insecureAcceptAnything' }] });
    expect(rejectsAll(policyFor(mixed, parseReference('q.io/a:v1')))).toBe(true);
    expect(rejectsAll(policyFor(mixed, parseReference('q.io/b:v1')))).toBe(false);
    expect(signatureRequirement(policyFor(mixed, parseReference('q.io/b:v1')))).toBeNull();
  });
  it('an untagged reference is looked up as :latest', () => {
    expect(referenceIdentity(parseReference('quay.io/a/b'))).toBe('quay.io/a/b:latest');
  });
  it('canonical JSON: the same requirement in any key order, nested and in lists, compares equal', () => {
    expect(canonicalJson({ b: [1, { d: 'x', c: null }], a: true })).toBe('{"a":true,"b":[1,{"c":null,"d":"x"}]}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson('s')).toBe('"s"');
    expect(canonicalJson(null)).toBe('null');
  });
});
