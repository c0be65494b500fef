// MachineConfig rollout: which pool a node is in, whether it is up to date, and what to warn
// about before any pod starts.
import type { ClusterNode } from '../oc/cluster.js';
import type { MachineConfigPool } from '../oc/machine-config.js';

export function poolOf(node: ClusterNode, pools: MachineConfigPool[]): MachineConfigPool | null {
  // A node in several pools belongs to the custom one (the MCO's rule): prefer the more specific selector.
  const matching = pools.filter((p) => Object.keys(p.nodeSelector).length > 0 && Object.entries(p.nodeSelector).every(([k, v]) => node.labels[k] === v));
  return matching.sort((a, b) => Number(a.name === 'worker') - Number(b.name === 'worker'))[0] ?? null;
}

export function isUpToDate(node: ClusterNode): boolean {
  return node.currentConfig !== null && node.currentConfig === node.desiredConfig && (node.mcoState === null || node.mcoState === 'Done');
}

export function pendingRollout(node: ClusterNode): string | null {
  if (!node.currentConfig || !node.desiredConfig || node.currentConfig === node.desiredConfig) return null;
  return `${node.currentConfig} -> ${node.desiredConfig}`;
}

export function poolWarnings(pools: MachineConfigPool[], clientName: string): string[] {
  const warnings: string[] = [];
  for (const p of pools) {
    if (p.degraded?.status) {
      warnings.push(`MachineConfigPool ${p.name} is degraded${p.degraded.message ? `: ${p.degraded.message}` : ''}; its nodes may keep an old registries.conf (${clientName} icsp status)`);
    } else if (p.updating?.status) {
      warnings.push(
        `MachineConfigPool ${p.name} is still updating (${p.updatedMachineCount}/${p.machineCount} machines updated): nodes may not have the latest mirror configuration yet (${clientName} icsp status)`,
      );
    }
    if (p.paused) warnings.push(`MachineConfigPool ${p.name} is paused: policy changes do not reach its nodes until it is unpaused`);
  }
  return warnings;
}
