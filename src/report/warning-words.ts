// The one catalogue of words for verify's warnings (app/warnings.ts), keyed by code: a code
// without words does not compile. Words take the names the user typed (`oc`, `oc icsp`).
import type { Warning, WarningCode } from '../app/warnings.js';
import { mismatchWords } from '../pull-log/expectation-words.js';
import { foldNames } from './fold.js';
import { disagreementWords, type Speaker } from './reasons.js';

type Words<W> = (warning: W, speaker: Speaker) => string;
type Catalogue = { [C in WarningCode]: Words<Extract<Warning, { code: C }>> };

const gib = (kb: number) => (kb / 1048576).toFixed(1);

const CATALOGUE: Catalogue = {
  'image-picked': (w) => `checking ${w.image} (runs in ${w.seenIn}) for ${w.source}`,
  'image-normalized': (w) => `${w.typed} is pulled as ${w.pulled}`,
  'tag-pull-digest-mirrors': (w) => `${w.image}: ${mismatchWords({ coveredBy: [], mismatch: { kind: w.code, policies: w.policies } })}`,
  'digest-pull-tag-mirrors': (w) => `${w.image}: ${mismatchWords({ coveredBy: [], mismatch: { kind: w.code, policies: w.policies } })}`,
  'image-not-covered': (w) => `no ImageContentSourcePolicy, ImageDigestMirrorSet or ImageTagMirrorSet covers ${w.image}: nodes pull it from its source`,
  'leftover-namespaces': (w, { invokedAs }) =>
    `${w.namespaces.length} namespace(s) of earlier oc icsp runs are over an hour old (${w.namespaces.join(', ')}): remove them with \`${invokedAs} cleanup\``,
  'pool-degraded': (w, { invokedAs }) => `MachineConfigPool ${w.pool} is degraded${w.message ? `: ${w.message}` : ''}; its nodes may keep an old registries.conf (${invokedAs} status)`,
  'pool-updating': (w, { invokedAs }) =>
    `MachineConfigPool ${w.pool} is still updating (${w.updated}/${w.machines} machines updated): nodes may not have the latest mirror configuration yet (${invokedAs} status)`,
  'pool-paused': (w) => `MachineConfigPool ${w.pool} is paused: policy changes do not reach its nodes until it is unpaused`,
  'manifest-only-at-scale': (w) => `${w.nodes} nodes: reading manifests only (--check manifest): blob failures after the manifest are not seen; --check pull to pull`,
  'crio-pulls-at-scale': (w) => `${w.nodes} nodes: --engine ${w.engine} pulls on every node (CRI-O has no manifest-only read); --engine podman --check manifest writes nothing to nodes`,
  'kubectl-default-image': () =>
    'kubectl has no default node-debug image: using the support-tools image oc debug would (rhel8 up to OpenShift 4.15, rhel9 from 4.16); pass --image where it is not mirrored',
  'no-tools-image-stream': (w) => `no openshift/tools image stream: the DaemonSet uses ${w.image}, as oc debug would; pass --image where it is not mirrored`,
  'log-file-failed': (w) => `${w.node}: no --log-dir file: ${w.error}`,
  'log-file-incomplete': (w) => `${w.node}: its --log-dir file is incomplete: ${w.error}`,
  'namespace-left': (w, { clientName }) => `could not delete namespace ${w.namespace}: run \`${clientName} delete namespace ${w.namespace}\``,
  'crio-config-stale': (w) =>
    `${w.node}: registries.conf changed after CRI-O last loaded it (${w.fileChangedAt} > ${w.loadedAt}): CRI-O still pulls by the old one; systemctl reload crio on the node, or find why the MCO did not reload it`,
  'engines-disagree': (w) => `${w.node}: ${disagreementWords(w.disagreement, w.crioConfig)}`,
  'low-disk': (w) =>
    `${w.node}: only ${gib(w.availableKb)} GiB of ${gib(w.totalKb)} GiB free where a pull writes: its manifest was read instead of pulling, so the check adds nothing to the disk (free space on the node to pull)`,
  'config-differs': (w) => `${w.node}: its registries.conf differs from what the cluster's policies render${forImages(w)}; the MCO will bring it in line`,
  'signature-policy-differs': (w, { invokedAs }) =>
    `${w.node}: its policy.json or registries.d requires other signatures${forImages(w).replace(/^ \((.*)\)$/, ' $1')} than the cluster's ClusterImagePolicies render: its MachineConfig rollout may not be done, or the files were edited (${invokedAs} status)`,
  'signature-attachments-off': (w) =>
    `${w.node}: its policy requires a sigstore signature, but registries.d does not tell it to read signatures from ${w.endpoint} (use-sigstore-attachments): every pull from there fails without one; the MCO adds each mirror of a ClusterImagePolicy scope to /etc/containers/registries.d/sigstore-registries.yaml`,
};

/** A warning in the words verify prints on stderr (after `warning: `). */
export function warningWords(warning: Warning, speaker: Speaker): string {
  return (CATALOGUE[warning.code] as Words<Warning>)(warning, speaker);
}

/**
 * Warnings that say the same of several nodes, said once: `worker-[0-499] (500 nodes): its
 * registries.conf differs …`, where the first was found. A node's warning begins with its name;
 * any other line stays as it is. On a pool mid-rollout every node would otherwise get its line.
 */
export function foldedByNode(warnings: { node?: string | null; message: string }[]): string[] {
  const groups = new Map<string, { nodes: string[]; message: string; rest: string }>();
  for (const [i, { node, message }] of warnings.entries()) {
    const rest = node && message.startsWith(`${node}: `) ? message.slice(node.length + 2) : null;
    const key = rest === null ? `${i}` : `\u0000${rest}`;
    const group = groups.get(key) ?? { nodes: [], message, rest: rest ?? message };
    if (node) group.nodes.push(node);
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => (g.nodes.length > 1 ? `${foldNames(g.nodes)} (${g.nodes.length} nodes): ${g.rest}` : g.message));
}

/** Every warning code, as the catalogue has them (README's table is held to this list). */
export const WARNING_CODES = Object.keys(CATALOGUE) as WarningCode[];

/** Which images a node's warning is about: one named, several counted, or none said (one image checked). */
function forImages(w: { image: string | null; images?: number }): string {
  if (w.image) return ` (for ${w.image})`;
  return w.images ? ` (for ${w.images} images)` : '';
}
