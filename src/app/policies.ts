// render, list and migrate: the policies from -f files or from the cluster.
import { UserError } from '../errors.js';
import type { OcRunner } from '../oc/runner.js';
import type { PolicySet } from '../registries/policies.js';
import { renderRegistriesConf } from '../registries/render.js';
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
  return asides;
}

export function listRows(set: PolicySet): PolicyRow[] {
  return set.rules.map(policyRow);
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
