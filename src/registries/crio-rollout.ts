// What the MCO does to a node when its registries.conf changes: reload CRI-O, or drain the node
// first. machine-config-operator pkg/daemon/drain.go isSafeContainerRegistryConfChanges, the same
// rules from 9907dc561 (August 2022, ImageDigestMirrorSet and pull-from-mirror: OpenShift 4.12) to
// 7ff337a4f (5.0; only its logging changed between): the change is safe, and CRI-O only
// reloads, when no unqualified-search-registries entry was removed or moved; no registry was
// removed (registries are keyed by prefix, else location); no registry changed its location,
// blocked or insecure; none lost a mirror; no kept mirror's pull-from-mirror changed to anything
// but digest-only; every added mirror is digest-only (or its registry mirror-by-digest-only); and
// every added registry's mirrors are all digest-only (with none, the registry is
// mirror-by-digest-only). Anything else drains. Pure: files in, the decision and its reason out.
import type { RegistriesConf, RegistryEntry } from './registries-conf.js';

export type RolloutAction = 'none' | 'reload' | 'drain';

/** The ConfigMap that made the MCO skip registries.conf drains (namespace/name). */
export const DRAIN_OVERRIDE = 'openshift-machine-config-operator/image-registry-override-drain';

export interface CrioRollout {
  action: RolloutAction;
  /** The change that decides it, in words; null when nothing changed. */
  because: string | null;
}

const DIGEST_ONLY = 'digest-only';

/** The MCO's comparison (reflect.DeepEqual) of two entries, without where each was read from. */
const same = (a: RegistryEntry, b: RegistryEntry) => JSON.stringify({ ...a, file: '' }) === JSON.stringify({ ...b, file: '' });

function allDigestOnly(entry: RegistryEntry): boolean {
  if (entry.mirrors.length === 0) return entry.mirrorByDigestOnly;
  return entry.mirrors.every((m) => m.pullFromMirror === DIGEST_ONLY);
}

/** Why a registries.conf change drains, or null when it is safe (CRI-O reloads). */
export function drainReason(before: RegistriesConf, after: RegistriesConf): string | null {
  const was = before.unqualifiedSearchRegistries ?? [];
  const now = after.unqualifiedSearchRegistries ?? [];
  if (was.length > now.length || was.some((r, i) => now[i] !== r)) return 'an unqualified-search-registries entry was removed or moved';
  const old = new Map(before.registries.map((r) => [r.prefix, r]));
  const next = new Map(after.registries.map((r) => [r.prefix, r]));
  for (const prefix of old.keys()) if (!next.has(prefix)) return `registry ${prefix} removed`;
  for (const [prefix, entry] of next) {
    const prior = old.get(prefix);
    if (!prior) {
      if (!allDigestOnly(entry)) return `registry ${prefix} added with a mirror that is not digest-only`;
      continue;
    }
    if (same(prior, entry)) continue;
    if (prior.location !== entry.location) return `registry ${prefix}: location changed from ${prior.location} to ${entry.location}`;
    if (prior.blocked !== entry.blocked) return `registry ${prefix}: blocked changed from ${prior.blocked} to ${entry.blocked}`;
    if (prior.insecure !== entry.insecure) return `registry ${prefix}: insecure changed from ${prior.insecure} to ${entry.insecure}`;
    for (const m of prior.mirrors) if (!entry.mirrors.some((n) => n.location === m.location)) return `mirror ${m.location} removed from registry ${prefix}`;
    for (const m of entry.mirrors) {
      const kept = prior.mirrors.find((n) => n.location === m.location);
      if (kept && kept.pullFromMirror !== m.pullFromMirror && m.pullFromMirror !== DIGEST_ONLY) {
        return `mirror ${m.location} of registry ${prefix}: pull-from-mirror changed from "${kept.pullFromMirror}" to "${m.pullFromMirror}"`;
      }
      if (!kept && m.pullFromMirror !== DIGEST_ONLY && !entry.mirrorByDigestOnly) return `mirror ${m.location} added to registry ${prefix}, not digest-only`;
    }
  }
  return null;
}

/**
 * The node disruption policy's actions for registries.conf (4.17 and later: MachineConfiguration
 * status.nodeDisruptionPolicyStatus.clusterPolicies.files; without one, the MCO's default Special).
 * machine-config-operator pkg/daemon/drain.go isDrainRequiredForNodeDisruptionActions: Reboot or
 * Drain drain; Special follows the rules above; any other action does not drain.
 */
export type DisruptionActions = string[];
export const DEFAULT_DISRUPTION: DisruptionActions = ['Special'];

/** A node's rollout for a change of its registries.conf (and, beside it, its signature policy files). */
/**
 * `overrideDrain`: the cluster's MCO honours the ConfigMap openshift-machine-config-operator/
 * image-registry-override-drain and it exists: a registries.conf change the rules would drain for
 * does not drain (machine-config-operator 2464fef8e, OCPBUGS-27508, January 2024, to its removal in
 * 32f976778, May 2025: OpenShift 4.16 to 4.19).
 */
export function crioRollout(
  before: RegistriesConf,
  after: RegistriesConf,
  policyFilesChanged = false,
  actions: DisruptionActions = DEFAULT_DISRUPTION,
  overrideDrain = false,
): CrioRollout {
  const changed = JSON.stringify(before.registries.map((r) => ({ ...r, file: '' }))) !== JSON.stringify(after.registries.map((r) => ({ ...r, file: '' }))) ||
    JSON.stringify(before.unqualifiedSearchRegistries ?? []) !== JSON.stringify(after.unqualifiedSearchRegistries ?? []);
  if (!changed) {
    // policy.json, registries.d and CRI-O's policies: a reload, no drain (MCO pkg/apihelpers/apihelpers.go, the default NodeDisruptionPolicy).
    return policyFilesChanged ? { action: 'reload', because: 'the signature policy files changed' } : { action: 'none', because: null };
  }
  const forced = actions.find((a) => a === 'Reboot' || a === 'Drain');
  if (forced) return { action: 'drain', because: `the node disruption policy for registries.conf says ${forced}` };
  if (!actions.includes('Special')) return { action: 'reload', because: `the node disruption policy for registries.conf says ${actions.join(', ') || 'nothing'}: no drain` };
  const drain = drainReason(before, after);
  if (drain && overrideDrain) return { action: 'reload', because: `${drain}, but the ConfigMap ${DRAIN_OVERRIDE} skips the drain` };
  return drain ? { action: 'drain', because: drain } : { action: 'reload', because: 'only digest-only mirrors or registries added' };
}
