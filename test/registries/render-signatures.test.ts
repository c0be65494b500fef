// The MCO's own vectors for what it writes for ClusterImagePolicy and ImagePolicy
// (test/fixtures/mco-signatures/README.md names the file and commit they come from).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPolicies } from '../../src/registries/policies.js';
import { loadRegistriesConf } from '../../src/registries/registries-conf.js';
import { MCO_BASE_POLICY_JSON, namespaceScopes, renderPolicyJson, renderSigstoreRegistriesD, scopeIsNestedInside, sigstoreAttachmentScopes } from '../../src/registries/render-signatures.js';
import { renderRegistriesConf } from '../../src/registries/render.js';
import { parse } from 'yaml';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/mco-signatures/${name}`, import.meta.url), 'utf8'));
const CRS = fixture('cluster-image-policies.json') as Record<string, unknown>;
type Mirrors = { source: string; mirrors: string[] }[];
interface Case { name: string; policies: string[]; icsp?: Mirrors; idms?: Mirrors; itms?: Mirrors; expected: string[] }
const VECTORS = fixture('vectors.json') as {
  sigstoreRegistriesConfig: Case[];
  policyJson: { policies: string[]; expected: unknown };
  updatePolicyJson: { name: string; allowed: string[]; blocked: string[]; expected: unknown }[];
};

function caseSet(c: Case) {
  const mirrorObject = (kind: string, apiVersion: string, field: string, rules: Mirrors | undefined) =>
    rules ? [{ apiVersion, kind, metadata: { name: `${kind.toLowerCase()}-0` }, spec: { [field]: rules } }] : [];
  return readPolicies(
    [
      ...mirrorObject('ImageContentSourcePolicy', 'operator.openshift.io/v1alpha1', 'repositoryDigestMirrors', c.icsp),
      ...mirrorObject('ImageDigestMirrorSet', 'config.openshift.io/v1', 'imageDigestMirrors', c.idms),
      ...mirrorObject('ImageTagMirrorSet', 'config.openshift.io/v1', 'imageTagMirrors', c.itms),
      ...c.policies.map((p) => CRS[p]),
    ].map((object) => ({ origin: c.name, object })),
  );
}

describe('sigstore-registries.yaml, on the MCO vectors (TestGenerateSigstoreRegistriesConfig)', () => {
  for (const c of VECTORS.sigstoreRegistriesConfig) {
    it(c.name, () => {
      const set = caseSet(c);
      const conf = loadRegistriesConf({ path: '/etc/containers/registries.conf', text: renderRegistriesConf(set) }, []);
      expect(sigstoreAttachmentScopes(set.imagePolicies, conf)).toEqual([...c.expected].sort());
      const written = parse(renderSigstoreRegistriesD(set.imagePolicies, conf)!) as { docker: Record<string, unknown> };
      expect(Object.keys(written.docker).sort()).toEqual([...c.expected].sort());
      expect(Object.values(written.docker).every((v) => JSON.stringify(v) === '{"use-sigstore-attachments":true}')).toBe(true);
    });
  }
  it('writes nothing when no policy asks for signatures', () => {
    expect(renderSigstoreRegistriesD([], null)).toBeNull();
  });
});

describe('policy.json, on the MCO vector (TestGeneratePolicyJSON)', () => {
  it('adds each scope under docker, and under atomic when it has fewer than three slashes', () => {
    const set = caseSet({ name: 'policy', policies: VECTORS.policyJson.policies, expected: [] });
    expect(renderPolicyJson(set.imagePolicies)).toEqual(VECTORS.policyJson.expected);
  });
  for (const v of VECTORS.updatePolicyJson) {
    it(`image.config registries, ${v.name} (TestUpdatePolicyJSON)`, () => {
      expect(renderPolicyJson([], MCO_BASE_POLICY_JSON, { allowed: v.allowed, blocked: v.blocked })).toEqual(v.expected);
    });
  }
  it('refuses allowed and blocked registries together, as the MCO does', () => {
    expect(() => renderPolicyJson([], MCO_BASE_POLICY_JSON, { allowed: ['a.io'], blocked: ['b.io'] })).toThrow('only one of AllowedRegistries or BlockedRegistries may be specified');
  });
  it('a ClusterImagePolicy scope that is also allowed keeps only its signature requirement', () => {
    const set = caseSet({ name: 'allowed', policies: ['test-cr0'], expected: [] });
    const json = renderPolicyJson(set.imagePolicies, MCO_BASE_POLICY_JSON, { allowed: ['test0.com', 'other.io'], blocked: [] }) as { transports: { docker: Record<string, { type: string }[]> } };
    expect(Object.fromEntries(Object.entries(json.transports.docker).map(([k, v]) => [k, v.map((r) => r.type)]))).toEqual({ 'test0.com': ['sigstoreSigned'], 'other.io': ['insecureAcceptAnything'] });
  });
  it('leaves the template as it is without a ClusterImagePolicy', () => {
    const base = { default: [{ type: 'reject' }] };
    expect(renderPolicyJson([], base)).toEqual(base);
  });
  it('adds up the requirements of two policies on one scope, and keeps out a scope of three slashes from atomic', () => {
    const two = readPolicies(
      ['a', 'b'].map((name) => ({
        origin: 'test',
        object: { apiVersion: 'config.openshift.io/v1', kind: 'ClusterImagePolicy', metadata: { name }, spec: { scopes: ['r.io/a/b/c'], policy: { rootOfTrust: { policyType: 'PublicKey', publicKey: { keyData: name } } } } },
      })),
    ).imagePolicies;
    const json = renderPolicyJson(two) as { transports: { docker: Record<string, { keyData: string }[]>; atomic: Record<string, unknown> } };
    expect(json.transports.docker['r.io/a/b/c']!.map((r) => r.keyData)).toEqual(['a', 'b']);
    expect(json.transports.atomic).toEqual({});
  });
});

describe('scopes', () => {
  it('nests paths and subdomains as runtime-utils does', () => {
    expect(scopeIsNestedInside('a.com/a1/a2', 'a.com/a1')).toBe(true);
    expect(scopeIsNestedInside('a.com/a1', 'a.com/a1')).toBe(true);
    expect(scopeIsNestedInside('a.com/a10', 'a.com/a1')).toBe(false);
    expect(scopeIsNestedInside('foo.example.com/ns', '*.example.com')).toBe(true);
    expect(scopeIsNestedInside('example.com', '*.example.com')).toBe(false);
  });
  it('drops an ImagePolicy scope inside a ClusterImagePolicy scope', () => {
    const set = caseSet({ name: 'ns', policies: ['test-cr2', 'ip-test-cr0'], expected: [] });
    expect(namespaceScopes(set.imagePolicies)).toEqual(['test0.com', 'test2.com']);
    const inside = caseSet({ name: 'ns', policies: ['test-cr2', 'ip-test-cr1'], expected: [] });
    expect(namespaceScopes(inside.imagePolicies)).toEqual([]);
  });
});
