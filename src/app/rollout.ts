// MachineConfig rollout: which pool a node is in, whether it is up to date, and what to warn
// about before any pod starts.
import type { ClusterNode } from '../oc/cluster.js';
import type { LabelSelector, MachineConfigPool } from '../oc/machine-config.js';
import type { Warning } from './warnings.js';

/**
 * Whether a pool's node selector selects the node: matchLabels and matchExpressions, as
 * metav1.LabelSelectorAsSelector reads them; an empty selector selects no node for a pool
 * (machine-config-operator pkg/controller/common/helpers.go, GetPoolsForNode).
 */
export function selects(selector: LabelSelector, labels: Record<string, string>): boolean {
  const labelsWanted = Object.entries(selector.matchLabels);
  if (labelsWanted.length === 0 && selector.matchExpressions.length === 0) return false;
  return (
    labelsWanted.every(([k, v]) => labels[k] === v) &&
    selector.matchExpressions.every(({ key, operator, values }) => {
      const has = Object.hasOwn(labels, key);
      if (operator === 'In') return has && values.includes(labels[key]!);
      if (operator === 'NotIn') return !has || !values.includes(labels[key]!);
      if (operator === 'Exists') return has;
      return !has;
    })
  );
}

export function poolOf(node: ClusterNode, pools: MachineConfigPool[]): MachineConfigPool | null {
  // A node in several pools belongs to the custom one (the MCO's rule): prefer the more specific selector.
  const matching = pools.filter((p) => selects(p.nodeSelector, node.labels));
  return matching.sort((a, b) => Number(a.name === 'worker') - Number(b.name === 'worker'))[0] ?? null;
}

export function isUpToDate(node: ClusterNode): boolean {
  return node.currentConfig !== null && node.currentConfig === node.desiredConfig && (node.mcoState === null || node.mcoState === 'Done');
}

export function pendingRollout(node: ClusterNode): string | null {
  if (!node.currentConfig || !node.desiredConfig || node.currentConfig === node.desiredConfig) return null;
  return `${node.currentConfig} -> ${node.desiredConfig}`;
}

export function poolWarnings(pools: MachineConfigPool[]): Warning[] {
  const warnings: Warning[] = [];
  for (const p of pools) {
    if (p.degraded?.status) warnings.push({ code: 'pool-degraded', pool: p.name, message: p.degraded.message });
    else if (p.updating?.status) warnings.push({ code: 'pool-updating', pool: p.name, updated: p.updatedMachineCount, machines: p.machineCount });
    if (p.paused) warnings.push({ code: 'pool-paused', pool: p.name });
  }
  return warnings;
}
