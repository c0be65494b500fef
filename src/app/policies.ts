// render, list and migrate: the policies from -f files or from the cluster.
import { UserError } from '../errors.js';
import type { OcRunner } from '../oc/runner.js';
import type { PolicySet } from '../registries/policies.js';
import { renderRegistriesConf } from '../registries/render.js';
import { renderPolicyJson, renderSigstoreRegistriesD } from '../registries/render-signatures.js';
import { loadRegistriesConf } from '../registries/registries-conf.js';
import { readClusterPolicies } from './cluster-policies.js';
import { readManifestFiles } from './manifests.js';
import { type PolicyRow, policyRow } from './policy-summary.js';

export async function loadPolicies(files: string[], oc: () => OcRunner): Promise<PolicySet> {
  return files.length > 0 ? await readManifestFiles(files) : readClusterPolicies(oc());
}

export function renderText(set: PolicySet): string {
  return renderRegistriesConf(set);
}

/** What the MCO writes elsewhere from image.config, which registries.conf does not show. */
export function renderAsides(set: PolicySet): string[] {
  const sources = set.registrySources;
  const asides: string[] = [];
  if (sources?.containerRuntimeSearchRegistries.length) {
    asides.push(
      `containerRuntimeSearchRegistries (${sources.containerRuntimeSearchRegistries.join(', ')}) go to /etc/containers/registries.conf.d/01-image-searchRegistries.conf, not this file`,
    );
  }
  if (sources?.allowedRegistries.length) {
    asides.push(`allowedRegistries (${sources.allowedRegistries.join(', ')}) are enforced by /etc/containers/policy.json, not this file`);
  }
  const signed = set.imagePolicies.map((p) => `${p.kind}/${p.name}`);
  if (signed.length) {
    asides.push(`${signed.join(', ')} require signatures: the MCO writes them to /etc/containers/policy.json and registries.d/sigstore-registries.yaml (render --file policy.json, --file sigstore-registries.yaml)`);
  }
  return asides;
}

export function listRows(set: PolicySet): PolicyRow[] {
  return set.rules.map(policyRow);
}

/** A ClusterImagePolicy or ImagePolicy, as `list` and `status` show it. */
export interface SignaturePolicyRow {
  kind: string;
  name: string;
  /** ImagePolicy only: its namespace (its pods alone are held to it). */
  namespace: string | null;
  /** As the cluster serves it: config.openshift.io/v1alpha1 (4.19) or /v1 (4.20 and later). */
  apiVersion: string;
  scopes: string[];
  /** PublicKey, FulcioCAWithRekor or PKI. */
  root: string | null;
  /**
   * The `openshift` ClusterImagePolicy the release carries, on by default from 4.21 for the
   * release image and from 4.22 for every payload image (openshift/cluster-update-keys
   * manifests.rhel/0000_90_openshift-cluster-image-policy.yaml).
   */
  builtIn: boolean;
}

export function signaturePolicyRows(set: PolicySet): SignaturePolicyRow[] {
  return set.imagePolicies.map((p) => ({
    kind: p.kind,
    name: p.name,
    namespace: p.namespace,
    apiVersion: p.apiVersion,
    scopes: p.scopes,
    root: p.root,
    builtIn: p.kind === 'ClusterImagePolicy' && p.name === 'openshift',
  }));
}

/** render --file: which of the files the MCO writes for these policies. */
export type RenderedFile = 'registries.conf' | 'policy.json' | 'sigstore-registries.yaml';
export const RENDERED_FILES: readonly RenderedFile[] = ['registries.conf', 'policy.json', 'sigstore-registries.yaml'];

/** The file's text as the MCO writes it on each node (policy.json from its template). */
export function renderFile(set: PolicySet, file: RenderedFile): string {
  if (file === 'registries.conf') return renderText(set);
  if (file === 'policy.json') {
    const registries = { allowed: set.registrySources?.allowedRegistries ?? [], blocked: set.registrySources?.blockedRegistries ?? [] };
    return `${JSON.stringify(renderPolicyJson(set.imagePolicies, undefined, registries), null, 2)}\n`;
  }
  const conf = loadRegistriesConf({ path: 'rendered registries.conf', text: renderText(set) });
  return renderSigstoreRegistriesD(set.imagePolicies, conf) ?? '';
}

/**
 * ImageDigestMirrorSets as `oc adm migrate icsp` writes them (openshift/oc pkg/cli/admin/migrate/icsp
 * generateIDMS): same metadata but creationTimestamp, same entries in order, no mirrorSourcePolicy.
 */
export async function migrateToIdms(set: PolicySet): Promise<{ yaml: string; untouched: string[] }> {
  const { stringify } = await import('yaml');
  const icsps = set.objects.filter((o) => o.kind === 'ImageContentSourcePolicy');
  if (icsps.length === 0) throw new UserError('no ImageContentSourcePolicy to migrate in the given files');
  // What is already an IDMS or ITMS (or image.config) needs no migrating: named, not printed.
  const untouched = set.objects.filter((o) => o.kind !== 'ImageContentSourcePolicy').map((o) => `${o.kind}/${o.name}`);
  const yaml = icsps
    .map(({ object }) => {
      const metadata = { ...((object.metadata ?? {}) as Record<string, unknown>) };
      delete metadata.creationTimestamp;
      const spec = (object.spec ?? {}) as { repositoryDigestMirrors?: { source: string; mirrors?: string[] }[] };
      const idms = {
        apiVersion: 'config.openshift.io/v1',
        kind: 'ImageDigestMirrorSet',
        metadata,
        spec: { imageDigestMirrors: (spec.repositoryDigestMirrors ?? []).map((m) => ({ ...(m.mirrors ? { mirrors: m.mirrors } : {}), source: m.source })) },
      };
      return stringify(idms, { indent: 4, indentSeq: true, sortMapEntries: true, lineWidth: 0 });
    })
    .join('---\n');
  return { yaml, untouched };
}
