// Discovery and OpenAPI, as kubectl reads them.
// - /api and /apis in one answer each, aggregated discovery, when kubectl's Accept header asks
//   for it (k8s.io/client-go discovery/discovery_client.go: v2, then v2beta1, then plain JSON;
//   the Content-Type says which came back): apidiscovery.k8s.io/v2beta1 from Kubernetes 1.27
//   (the AggregatedDiscoveryEndpoint gate, beta and on), v2 from 1.30 (k8s.io/api
//   apidiscovery/v2 types.go; k8s.io/apiserver pkg/endpoints/discovery/aggregated/handler.go).
// - Legacy discovery otherwise, and always per group-version (k8s.io/apimachinery
//   pkg/apis/meta/v1 types.go APIVersions, APIGroupList, APIResourceList). A server that answers
//   plain application/json to the aggregated Accept header is read this way, a request per
//   group-version (discovery_client.go, fetchGroupVersionResources fallback).
// - /openapi/v2, the one Swagger 2.0 document every API server serves: kubectl validates on the
//   client against it what the server cannot validate (a List, k8s.io/cli-runtime
//   pkg/resource/query_param_verifier_v3.go HasSupport); a kind without a definition there is not
//   checked (k8s.io/kubectl pkg/validation/schema.go).
// - /openapi/v3 and one document per group-version. kubectl create validates on the server
//   (fieldValidation=Strict) when the kind's PATCH operation, tagged
//   x-kubernetes-group-version-kind, declares a fieldValidation query parameter
//   (k8s.io/cli-runtime pkg/resource/query_param_verifier_v3.go supportsQueryParamV3).
import { createHash } from 'node:crypto';
import { groupVersion, type Resource } from './resources.js';

export function versionInfo(kubeMinor: number) {
  // openshift/kubernetes reports the Kubernetes version it is built from.
  return { major: '1', minor: String(kubeMinor), gitVersion: `v1.${kubeMinor}.14`, gitCommit: '0000000000000000000000000000000000000000', gitTreeState: 'clean', buildDate: '2026-10-01T00:00:00Z', goVersion: 'go1.23.6', compiler: 'gc', platform: 'linux/amd64' };
}

const groups = (resources: Resource[]) => {
  const byGroup = new Map<string, string[]>();
  for (const r of resources) if (r.group) byGroup.set(r.group, [...new Set([...(byGroup.get(r.group) ?? []), r.version])]);
  return byGroup;
};

export function apiVersions(address: string) {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: address }] };
}

export function apiGroupList(resources: Resource[]) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups(resources)].map(([name, versions]) => {
      // The preferred version is the newest one served (v1 over v1beta1 over v1alpha1).
      const sorted = [...versions].sort((a, b) => rank(b) - rank(a));
      return { name, versions: sorted.map((v) => ({ groupVersion: `${name}/${v}`, version: v })), preferredVersion: { groupVersion: `${name}/${sorted[0]}`, version: sorted[0] } };
    }),
  };
}

/** The aggregated discovery version the server answers this Accept header with, if any. */
export function aggregatedVersion(accept: string | undefined, kubeMinor: number): 'v2' | 'v2beta1' | null {
  const offered = (accept ?? '').split(',').map((t) => t.split(';').map((p) => p.trim()));
  const asked = (v: string) => offered.some((p) => p[0] === 'application/json' && p.includes('g=apidiscovery.k8s.io') && p.includes(`v=${v}`) && p.includes('as=APIGroupDiscoveryList'));
  if (kubeMinor >= 30 && asked('v2')) return 'v2';
  if (kubeMinor >= 27 && asked('v2beta1')) return 'v2beta1';
  return null;
}

export const aggregatedContentType = (version: string) => `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;

/** /api (the core group) or /apis (every other group) as one APIGroupDiscoveryList. */
export function aggregatedDiscovery(resources: Resource[], version: string, core: boolean) {
  const served = resources.filter((r) => (r.group === '') === core);
  const byGroup = new Map<string, Resource[]>();
  for (const r of served) byGroup.set(r.group, [...(byGroup.get(r.group) ?? []), r]);
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: [...byGroup].map(([group, list]) => ({
      metadata: { name: group, creationTimestamp: null },
      // The preferred version first.
      versions: [...new Set(list.map((r) => r.version))].sort((a, b) => rank(b) - rank(a)).map((v) => ({
        version: v,
        resources: list.filter((r) => r.version === v).map((r) => ({
          resource: r.name,
          responseKind: { group, version: v, kind: r.kind },
          scope: r.namespaced ? 'Namespaced' : 'Cluster',
          singularResource: r.singular,
          verbs: r.verbs,
          ...(r.shortNames ? { shortNames: r.shortNames } : {}),
          ...(r.subresources ? { subresources: r.subresources.map((sub) => ({ subresource: sub, responseKind: { group: '', version: 'v1', kind: sub === 'log' ? 'Pod' : 'NodeProxyOptions' }, verbs: ['get'] })) } : {}),
        })),
        freshness: 'Current',
      })),
    })),
  };
}

const rank = (v: string) => (v === 'v1' ? 3 : v.startsWith('v1beta') ? 2 : 1);

export function apiResourceList(resources: Resource[], gv: string) {
  const list = resources.filter((r) => groupVersion(r) === gv);
  if (list.length === 0) return null;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: gv,
    resources: list.flatMap((r) => [
      { name: r.name, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs, ...(r.shortNames ? { shortNames: r.shortNames } : {}) },
      ...(r.subresources ?? []).map((sub) => ({ name: `${r.name}/${sub}`, singularName: '', namespaced: r.namespaced, kind: sub === 'log' ? 'Pod' : 'NodeProxyOptions', verbs: ['get'] })),
    ]),
  };
}

const gvPath = (gv: string) => (gv.includes('/') ? `apis/${gv}` : `api/${gv}`);

export function openApiRoot(resources: Resource[]) {
  const gvs = [...new Set(resources.map(groupVersion))];
  return { paths: Object.fromEntries(gvs.map((gv) => [gvPath(gv), { serverRelativeURL: `/openapi/v3/${gvPath(gv)}?hash=${hash(gv)}` }])) };
}

const hash = (text: string) => createHash('sha512').update(text).digest('hex').slice(0, 128).toUpperCase();

export function openApiDocument(resources: Resource[], path: string, kubeMinor: number) {
  const list = resources.filter((r) => gvPath(groupVersion(r)) === path);
  if (list.length === 0) return null;
  const paths: Record<string, unknown> = {};
  for (const r of list) {
    const base = `/${path}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.name}`;
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const query = (name: string) => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } });
    paths[base] = { post: { 'x-kubernetes-group-version-kind': gvk, parameters: [query('dryRun'), query('fieldManager'), query('fieldValidation')] } };
    if (r.verbs.includes('patch')) {
      paths[`${base}/{name}`] = { patch: { 'x-kubernetes-group-version-kind': gvk, parameters: [query('dryRun'), query('fieldManager'), query('fieldValidation'), { name: 'force', in: 'query', schema: { type: 'boolean' } }] } };
    }
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: `v1.${kubeMinor}.14` }, paths, components: { schemas: {} } };
}

export function openApiV2(resources: Resource[], kubeMinor: number) {
  const definitions: Record<string, unknown> = {};
  for (const r of resources) {
    const group = r.group || 'core';
    definitions[`io.sandbox.${group}.${r.version}.${r.kind}`] = {
      type: 'object',
      'x-kubernetes-group-version-kind': [{ group: r.group, version: r.version, kind: r.kind }],
    };
  }
  return { swagger: '2.0', info: { title: 'Kubernetes', version: `v1.${kubeMinor}.14` }, paths: {}, definitions };
}
