// What a change's rollout does to each node, in a line (registries/crio-rollout.ts decides it).
import type { CrioRollout } from '../registries/crio-rollout.js';

export function rolloutWords({ action, because }: CrioRollout): string {
  if (action === 'none') return 'none: the files the MCO writes do not change';
  if (action === 'reload') return `CRI-O reloads, no drain (${because})`;
  return `every node of each pool is drained before the file lands (${because})`;
}
