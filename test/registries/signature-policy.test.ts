import { describe, expect, it } from 'vitest';
import { parseReference } from '../../src/registries/reference.js';
import { readRegistriesD, usesSigstoreAttachments } from '../../src/registries/registries-d.js';
import { policyFor, readSignaturePolicy, referenceNamespaces, rejectsAll, signatureRequirement } from '../../src/registries/signature-policy.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const policyText = (docker: Record<string, unknown>) =>
  JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }], transports: { docker, 'docker-daemon': { '': [{ type: 'insecureAcceptAnything' }] } } });
const signed = (extra: Record<string, unknown> = { keyData: 'a2V5' }) => [{ type: 'sigstoreSigned', ...extra, signedIdentity: { type: 'matchRepoDigestOrExact' } }];

describe('policy.json: the requirement for a pull (c/image requirementsForImageRef)', () => {
  it('lists the namespaces c/image looks up, most specific first, wildcards without the port last', () => {
    expect(referenceNamespaces(parseReference(`quay.io:8443/openshift-release-dev/ocp-release@${DIGEST}`))).toEqual([
      'quay.io:8443/openshift-release-dev/ocp-release',
      'quay.io:8443/openshift-release-dev',
      'quay.io:8443',
      '*.io',
    ]);
  });
  it('matches the full identity first, then the repository, then parents, then wildcards, then the transport default, then the default', () => {
    const policy = readSignaturePolicy(
      policyText({
        [`r.example.com/ns/app@${DIGEST}`]: [{ type: 'reject' }],
        'r.example.com/ns/app': signed(),
        'r.example.com/ns': signed({ fulcio: {} }),
        '*.example.com': signed({ pki: {} }),
        '': [{ type: 'insecureAcceptAnything' }],
      }),
      'policy.json',
    );
    expect(policyFor(policy, parseReference(`r.example.com/ns/app@${DIGEST}`)).scope).toBe(`r.example.com/ns/app@${DIGEST}`);
    expect(rejectsAll(policyFor(policy, parseReference(`r.example.com/ns/app@${DIGEST}`)))).toBe(true);
    const app = policyFor(policy, parseReference('r.example.com/ns/app:v1'));
    expect([app.scope, signatureRequirement(app)]).toEqual(['r.example.com/ns/app', { type: 'sigstoreSigned', root: 'PublicKey', identity: 'matchRepoDigestOrExact', raw: signed()[0] }]);
    expect(signatureRequirement(policyFor(policy, parseReference('r.example.com/ns/other:v1')))?.root).toBe('FulcioCAWithRekor');
    expect(signatureRequirement(policyFor(policy, parseReference('q.example.com/x:v1')))?.root).toBe('PKI');
    const elsewhere = policyFor(policy, parseReference('quay.io/x:v1'));
    expect([elsewhere.scope, signatureRequirement(elsewhere)]).toEqual(['', null]);
    const noTransport = readSignaturePolicy(JSON.stringify({ default: signed() }), 'p');
    expect(policyFor(noTransport, parseReference('quay.io/x:v1')).scope).toBeNull();
  });
  it('refuses a file that is not JSON, has no default, or a scope that is not a list', () => {
    expect(() => readSignaturePolicy('{', '/etc/containers/policy.json')).toThrow('/etc/containers/policy.json is not JSON');
    expect(() => readSignaturePolicy('{"transports":{}}', 'p')).toThrow('p has no "default" requirements');
    expect(() => readSignaturePolicy(policyText({ x: {} }), 'p')).toThrow('p: transports.docker["x"] is not a list of requirements');
  });
});

describe('registries.d: use-sigstore-attachments for the endpoint that served (c/image docker/registries_d.go)', () => {
  const file = (path: string, text: string) => ({ path, text });
  it('looks up the endpoint, its parents, then default-docker; only .yaml files count', () => {
    const d = readRegistriesD([
      file('/etc/containers/registries.d/sigstore-registries.yaml', 'docker:\n  mirror.example.com:5000/ocp:\n    use-sigstore-attachments: true\n  mirror.example.com:5000/ocp/off:\n    use-sigstore-attachments: false\n'),
      file('/etc/containers/registries.d/default.yaml', 'default-docker:\n  lookaside: file:///var/lib/containers/sigstore\n'),
      file('/etc/containers/registries.d/notes.txt', 'docker:\n  other.example.com:\n    use-sigstore-attachments: true\n'),
    ]);
    expect(usesSigstoreAttachments(d, parseReference(`mirror.example.com:5000/ocp/release@${DIGEST}`))).toBe(true);
    expect(usesSigstoreAttachments(d, parseReference(`mirror.example.com:5000/ocp/off/x@${DIGEST}`))).toBe(false);
    expect(usesSigstoreAttachments(d, parseReference(`other.example.com/x@${DIGEST}`))).toBe(false);
    const all = readRegistriesD([file('a.yaml', 'default-docker:\n  use-sigstore-attachments: true\n')]);
    expect(usesSigstoreAttachments(all, parseReference('anything.example.com/x:v1'))).toBe(true);
  });
  it('refuses a namespace or default-docker defined twice, as c/image does', () => {
    expect(() => readRegistriesD([file('a.yaml', 'docker:\n  x.io: {}\n'), file('b.yaml', 'docker:\n  x.io: {}\n')])).toThrow('"docker" namespace "x.io" defined both in a.yaml and b.yaml');
    expect(() => readRegistriesD([file('a.yaml', 'default-docker: {}\n'), file('b.yaml', 'default-docker: {}\n')])).toThrow('"default-docker" defined both in a.yaml and b.yaml');
    expect(() => readRegistriesD([file('a.yaml', 'docker: [\n')])).toThrow('parsing a.yaml');
  });
});
