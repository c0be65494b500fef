// A proposed change, before it is applied: the manifests it applies (--proposed, read as -f reads
// them) merged into the cluster's as `kubectl apply` would (an object of the same kind, namespace
// and name is replaced, the others added), and the objects it deletes (--without KIND/NAME, in
// kubectl's TYPE/NAME form). Pure: the policies in, the policies after the change out.
import { UserError } from '../errors.js';
import { type ObjectRef, parseWithout, TYPES } from './object-ref.js';

export { type ObjectRef, parseWithout } from './object-ref.js';
import { type CrioRollout, crioRollout, type DisruptionActions } from '../registries/crio-rollout.js';
import { type PolicySet, readPolicies } from '../registries/policies.js';
import { loadRegistriesConf } from '../registries/registries-conf.js';
import { renderRegistriesConf } from '../registries/render.js';

export interface Proposal {
  applied: ObjectRef[];
  deleted: ObjectRef[];
}

const keyOf = (o: { kind: string; name: string; object: Record<string, unknown> }) =>
  JSON.stringify([o.kind, (o.object.metadata as { namespace?: string } | undefined)?.namespace ?? '', o.name]);

/** The cluster's policies with the change made; an object --without names must be the cluster's. */
export function applyProposal(cluster: PolicySet, proposed: PolicySet, without: ObjectRef[]): { set: PolicySet; proposal: Proposal } {
  const missing = without.filter((w) => !cluster.objects.some((o) => o.kind === w.kind && o.name === w.name));
  if (missing.length) {
    throw new UserError(`--without: the cluster has no ${missing.map((m) => `${m.kind}/${m.name}`).join(', ')} (see \`oc get ${missing.map((m) => TYPES[m.kind]!.short ?? TYPES[m.kind]!.names[0]).join(',')}\`)`);
  }
  const replaced = new Set(proposed.objects.map(keyOf));
  const kept = cluster.objects.filter((o) => !replaced.has(keyOf(o)) && !without.some((w) => w.kind === o.kind && w.name === o.name));
  const objects = [...kept, ...proposed.objects].map((o) => ({ origin: 'the proposal', object: o.object }));
  const set = { ...readPolicies(objects), credentialProvider: proposed.credentialProvider ?? cluster.credentialProvider };
  return { set, proposal: { applied: proposed.objects.map(({ kind, name }) => ({ kind, name })), deleted: without } };
}

/** What the MCO's rollout of the change does on a node: from the registries.conf rendered before and after it. */
export function proposalRollout(before: PolicySet, after: PolicySet, actions?: DisruptionActions, nowText?: string | null, overrideDrain = false): CrioRollout {
  const conf = (text: string) => loadRegistriesConf({ path: 'rendered registries.conf', text });
  const policyChanged = JSON.stringify(before.imagePolicies) !== JSON.stringify(after.imagePolicies) || JSON.stringify(before.registrySources) !== JSON.stringify(after.registrySources);
  return crioRollout(conf(nowText ?? renderRegistriesConf(before)), conf(renderRegistriesConf(after)), policyChanged, actions, overrideDrain);
}

export interface PoolRollout extends CrioRollout {
  pool: string;
}

/**
 * Each pool's rollout: from the registries.conf its rendered MachineConfig holds now (null where it
 * cannot be read: the render of today's policies then) to the one after the change.
 */
export function poolRollouts(pools: { name: string; registriesConf: string | null }[], before: PolicySet, after: PolicySet, actions?: DisruptionActions, overrideDrain = false): PoolRollout[] {
  return pools.map((p) => ({ pool: p.name, ...proposalRollout(before, after, actions, p.registriesConf, overrideDrain) }));
}

/** The node disruption policy's actions for registries.conf, from MachineConfiguration/cluster (null: none served). */
export function registriesConfActions(machineConfiguration: Record<string, unknown> | null): DisruptionActions | undefined {
  const status = machineConfiguration?.status as { nodeDisruptionPolicyStatus?: { clusterPolicies?: { files?: { path?: string; actions?: { type?: string }[] }[] } } } | undefined;
  const file = status?.nodeDisruptionPolicyStatus?.clusterPolicies?.files?.find((f) => f.path === '/etc/containers/registries.conf');
  return file?.actions?.map((a) => a.type ?? '') ?? undefined;
}

/** --proposed and --without on the given policies: the change made, or null when none is proposed. */
export async function proposedChange(now: PolicySet, proposed: string[], without: string[]): Promise<{ set: PolicySet; proposal: Proposal } | null> {
  if (proposed.length === 0 && without.length === 0) return null;
  const refs = without.map(parseWithout);
  const { readManifestFiles } = await import('./manifests.js');
  const read = proposed.length ? await readManifestFiles(proposed) : { rules: [], registrySources: null, imagePolicies: [], credentialProvider: null, objects: [] };
  return applyProposal(now, read, refs);
}
