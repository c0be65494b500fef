// What the MCO writes for ClusterImagePolicy and ImagePolicy objects, beside registries.conf
// (machine-config-operator pkg/controller/container-runtime-config/helpers.go and
// container_runtime_config_controller.go getValidScopePolicies, updatePolicyJSON,
// generateSigstoreRegistriesdConfig, addScopeMirrorsSigstoreRegistriesdConfig):
// - /etc/containers/policy.json: each ClusterImagePolicy scope's requirements under
//   transports.docker (several policies on one scope add up), the same under transports.atomic
//   for scopes of fewer than three slashes;
// - /etc/containers/registries.d/sigstore-registries.yaml: use-sigstore-attachments for each
//   ClusterImagePolicy and ImagePolicy scope, and for every endpoint registries.conf pulls that
//   scope (and every scope nested in it) from, for digest and tag pulls.
// An ImagePolicy scope equal to or inside a ClusterImagePolicy scope is dropped (the MCO marks it
// Pending). The namespaced /etc/crio/policies files are not rendered here.
import { stringify } from 'yaml';
import type { ImagePolicyObject } from './image-policies.js';
import { parseReference } from './reference.js';
import type { RegistriesConf } from './registries-conf.js';
import { findRegistry, resolvePullSources } from './resolve.js';
import { RenderError } from './render.js';

/** The MCO's template (templates/worker/01-worker-container-runtime/_base/files/policy.yaml). */
export const MCO_BASE_POLICY_JSON = {
  default: [{ type: 'insecureAcceptAnything' }],
  transports: { 'docker-daemon': { '': [{ type: 'insecureAcceptAnything' }] } },
};
export const SIGSTORE_REGISTRIES_D_PATH = '/etc/containers/registries.d/sigstore-registries.yaml';
export const POLICY_JSON_PATH = '/etc/containers/policy.json';

type Requirements = Record<string, unknown>[];

/** runtime-utils ScopeIsNestedInsideScope: the same scope, or a path or subdomain inside it. */
export function scopeIsNestedInside(sub: string, parent: string): boolean {
  if (sub === parent) return true;
  if (parent.startsWith('*.')) return !sub.includes('/') ? sub.endsWith(parent.slice(1)) : scopeIsNestedInside(sub.split('/')[0]!, parent);
  return sub.startsWith(`${parent}/`);
}

export function clusterScopePolicies(policies: ImagePolicyObject[]): Map<string, Requirements> {
  const scopes = new Map<string, Requirements>();
  for (const p of policies.filter((x) => x.kind === 'ClusterImagePolicy')) {
    for (const scope of p.scopes) scopes.set(scope, [...(scopes.get(scope) ?? []), p.requirement]);
  }
  return scopes;
}

/** ImagePolicy scopes the MCO applies: not inside any ClusterImagePolicy scope. */
export function namespaceScopes(policies: ImagePolicyObject[]): string[] {
  const cluster = [...clusterScopePolicies(policies).keys()];
  const scopes = policies.filter((p) => p.kind === 'ImagePolicy').flatMap((p) => p.scopes);
  return [...new Set(scopes.filter((s) => !cluster.some((c) => scopeIsNestedInside(s, c))))];
}

/** image.config's registrySources that policy.json enforces. */
export interface PolicyRegistries {
  allowed: string[];
  blocked: string[];
}

/**
 * policy.json's object; `base` is what the node had (the MCO's template by default). With
 * allowedRegistries the default is reject and each allowed scope accepts anything (unless a
 * ClusterImagePolicy holds it); with blockedRegistries each blocked scope rejects. The MCO refuses
 * both at once, unless the only allowed entry is the release payload's repository: that case,
 * and the payload repository the MCO keeps out of blockedRegistries, are not played here.
 */
export function renderPolicyJson(policies: ImagePolicyObject[], base: object = MCO_BASE_POLICY_JSON, registries: PolicyRegistries = { allowed: [], blocked: [] }): Record<string, unknown> {
  const policy = structuredClone(base) as { transports?: Record<string, unknown> } & Record<string, unknown>;
  const cluster = clusterScopePolicies(policies);
  if (registries.allowed.length && registries.blocked.length) throw new RenderError('invalid images config: only one of AllowedRegistries or BlockedRegistries may be specified');
  const scopes = new Map<string, Requirements>();
  if (registries.allowed.length) {
    policy.default = [{ type: 'reject' }];
    for (const reg of registries.allowed) if (!cluster.has(reg)) scopes.set(reg, [{ type: 'insecureAcceptAnything' }]);
  }
  if (registries.blocked.length) {
    policy.default = [{ type: 'insecureAcceptAnything' }];
    for (const reg of registries.blocked) scopes.set(reg, [{ type: 'reject' }]);
  }
  for (const [scope, requirements] of cluster) scopes.set(scope, [...(scopes.get(scope) ?? []), ...requirements]);
  if (scopes.size === 0) return policy;
  const docker = Object.fromEntries(scopes);
  const atomic = Object.fromEntries([...scopes].filter(([scope]) => scope.split('/').length - 1 < 3));
  policy.transports = { ...(policy.transports ?? {}), docker, atomic };
  return policy;
}

// The endpoints a pull of `scope` (a repository, a namespace, a host or `*.domain`) can come from,
// found as the MCO finds them: a dummy digest and tag reference inside the scope, resolved.
function scopeEndpoints(conf: RegistriesConf, scope: string): string[] {
  let name = scope.startsWith('*.') ? `matched${scope.slice(1)}` : scope;
  const dummyPath = !name.includes('/');
  if (dummyPath) name += '/a';
  name = name.replace(/@.*$/, '').replace(/:[^/]*$/, '');
  const endpoints: string[] = [];
  for (const suffix of [`@sha256:${'a'.repeat(64)}`, ':aaa']) {
    const ref = parseReference(name + suffix);
    const entry = findRegistry(conf, name);
    if (!entry) continue;
    // A wildcard entry has no location: only its mirrors are endpoints.
    const sources = resolvePullSources(conf, ref).sources.filter((s) => s.mirror || !entry.prefix.startsWith('*.'));
    for (const s of sources) {
      let endpoint = s.reference.replace(/@sha256:a{64}$/, '').replace(/:aaa$/, '');
      if (dummyPath) endpoint = endpoint.replace(/\/a$/, '');
      endpoints.push(endpoint);
    }
  }
  return endpoints;
}

/** The registries.d file's scopes, sorted; empty when no policy asks for signatures. */
export function sigstoreAttachmentScopes(policies: ImagePolicyObject[], conf: RegistriesConf | null): string[] {
  const policyScopes = [...clusterScopePolicies(policies).keys(), ...namespaceScopes(policies)];
  const scopes = new Set<string>();
  for (const scope of policyScopes) {
    scopes.add(scope);
    if (!conf) continue;
    for (const e of scopeEndpoints(conf, scope)) scopes.add(e);
    for (const entry of conf.registries) {
      if (entry.prefix !== scope && scopeIsNestedInside(entry.prefix, scope)) for (const e of scopeEndpoints(conf, entry.prefix)) scopes.add(e);
    }
  }
  return [...scopes].sort();
}

/** sigstore-registries.yaml's text, or null when there is none to write. */
export function renderSigstoreRegistriesD(policies: ImagePolicyObject[], conf: RegistriesConf | null): string | null {
  const scopes = sigstoreAttachmentScopes(policies, conf);
  if (scopes.length === 0) return null;
  return stringify({ docker: Object.fromEntries(scopes.map((s) => [s, { 'use-sigstore-attachments': true }])) });
}

