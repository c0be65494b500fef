// A proposed change, before it is applied: the manifests it applies (--proposed, read as -f reads
// them) merged into the cluster's as `kubectl apply` would (an object of the same kind, namespace
// and name is replaced, the others added), and the objects it deletes (--without KIND/NAME, in
// kubectl's TYPE/NAME form). Pure: the policies in, the policies after the change out.
import { UserError } from '../errors.js';
import { type CrioRollout, crioRollout } from '../registries/crio-rollout.js';
import { type PolicySet, readPolicies } from '../registries/policies.js';
import { loadRegistriesConf } from '../registries/registries-conf.js';
import { renderRegistriesConf } from '../registries/render.js';

export interface ObjectRef {
  kind: string;
  name: string;
}

export interface Proposal {
  applied: ObjectRef[];
  deleted: ObjectRef[];
}

// kubectl's names for the kinds a change may delete: plural, singular and short names, each with
// or without its group (what `oc api-resources` lists for them).
const TYPES: Record<string, { kind: string; group: string; names: string[] }> = {
  ImageContentSourcePolicy: { kind: 'ImageContentSourcePolicy', group: 'operator.openshift.io', names: ['imagecontentsourcepolicies', 'imagecontentsourcepolicy', 'icsp'] },
  ImageDigestMirrorSet: { kind: 'ImageDigestMirrorSet', group: 'config.openshift.io', names: ['imagedigestmirrorsets', 'imagedigestmirrorset', 'idms'] },
  ImageTagMirrorSet: { kind: 'ImageTagMirrorSet', group: 'config.openshift.io', names: ['imagetagmirrorsets', 'imagetagmirrorset', 'itms'] },
  ClusterImagePolicy: { kind: 'ClusterImagePolicy', group: 'config.openshift.io', names: ['clusterimagepolicies', 'clusterimagepolicy'] },
};

/** --without TYPE/NAME as kubectl names it (`idms/x`, `imagedigestmirrorset.config.openshift.io/x`). */
export function parseWithout(text: string): ObjectRef {
  const slash = text.indexOf('/');
  const type = slash === -1 ? '' : text.slice(0, slash).toLowerCase();
  const name = slash === -1 ? '' : text.slice(slash + 1);
  const found = Object.values(TYPES).find((t) => t.names.some((n) => type === n || type === `${n}.${t.group}`));
  if (!found || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) {
    throw new UserError(
      `--without ${JSON.stringify(text)}: not TYPE/NAME of an object a change deletes (imagecontentsourcepolicy, imagedigestmirrorset, imagetagmirrorset, clusterimagepolicy, or icsp, idms, itms), e.g. --without icsp/my-mirrors`,
    );
  }
  return { kind: found.kind, name };
}

const keyOf = (o: { kind: string; name: string; object: Record<string, unknown> }) =>
  JSON.stringify([o.kind, (o.object.metadata as { namespace?: string } | undefined)?.namespace ?? '', o.name]);

/** The cluster's policies with the change made; an object --without names must be the cluster's. */
export function applyProposal(cluster: PolicySet, proposed: PolicySet, without: ObjectRef[]): { set: PolicySet; proposal: Proposal } {
  const missing = without.filter((w) => !cluster.objects.some((o) => o.kind === w.kind && o.name === w.name));
  if (missing.length) {
    throw new UserError(`--without: the cluster has no ${missing.map((m) => `${m.kind}/${m.name}`).join(', ')} (see \`oc get ${missing.map((m) => TYPES[m.kind]!.names[2] ?? TYPES[m.kind]!.names[1]).join(',')}\`)`);
  }
  const replaced = new Set(proposed.objects.map(keyOf));
  const kept = cluster.objects.filter((o) => !replaced.has(keyOf(o)) && !without.some((w) => w.kind === o.kind && w.name === o.name));
  const objects = [...kept, ...proposed.objects].map((o) => ({ origin: 'the proposal', object: o.object }));
  const set = { ...readPolicies(objects), credentialProvider: proposed.credentialProvider ?? cluster.credentialProvider };
  return { set, proposal: { applied: proposed.objects.map(({ kind, name }) => ({ kind, name })), deleted: without } };
}

/** "as if ImageDigestMirrorSet/x were applied and ImageContentSourcePolicy/y deleted". */
export function proposalWords(p: Proposal): string {
  const list = (refs: ObjectRef[]) => refs.map((r) => `${r.kind}/${r.name}`).join(', ');
  const parts = [...(p.applied.length ? [`${list(p.applied)} were applied`] : []), ...(p.deleted.length ? [`${list(p.deleted)} deleted`] : [])];
  return `as if ${parts.join(' and ')}`;
}

/** What the MCO's rollout of the change does on a node: from the registries.conf rendered before and after it. */
export function proposalRollout(before: PolicySet, after: PolicySet): CrioRollout {
  const conf = (set: PolicySet) => loadRegistriesConf({ path: 'rendered registries.conf', text: renderRegistriesConf(set) });
  const policyChanged = JSON.stringify(before.imagePolicies) !== JSON.stringify(after.imagePolicies) || JSON.stringify(before.registrySources) !== JSON.stringify(after.registrySources);
  return crioRollout(conf(before), conf(after), policyChanged);
}
