// render, list and migrate: the policies from -f files or from the cluster.
import { UserError } from '../errors.js';
import type { OcRunner } from '../oc/runner.js';
import type { PolicySet } from '../registries/policies.js';
import { renderRegistriesConf } from '../registries/render.js';
import { readClusterPolicies } from './cluster-policies.js';
import { readManifestFiles } from './manifests.js';

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
  return asides;
}

export interface PolicyListRow {
  kind: string;
  name: string;
  source: string;
  mirrors: string[];
  pull: 'digest' | 'tag';
  sourcePolicy: string;
}

export function listRows(set: PolicySet): PolicyListRow[] {
  return set.rules.map((r) => ({
    kind: r.kind,
    name: r.name,
    source: r.source,
    mirrors: r.mirrors,
    pull: r.pull,
    // ICSP has no field: it always falls back to the source.
    sourcePolicy: r.sourcePolicy ?? 'AllowContactingSource',
  }));
}

/**
 * ImageDigestMirrorSets as `oc adm migrate icsp` writes them (openshift/oc pkg/cli/admin/migrate/icsp
 * generateIDMS): same metadata but creationTimestamp, same entries in order, no mirrorSourcePolicy.
 */
export async function migrateToIdms(set: PolicySet): Promise<string> {
  const { stringify } = await import('yaml');
  const icsps = set.objects.filter((o) => o.kind === 'ImageContentSourcePolicy');
  if (icsps.length === 0) throw new UserError('no ImageContentSourcePolicy to migrate in the given files');
  return icsps
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
}
