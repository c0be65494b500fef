// A proposed change in words: what it applies and deletes, and what its rollout does to each node
// (registries/crio-rollout.ts decides it); and the same in a document.
import type { ObjectRef } from '../app/proposal.js';
import type { CrioRollout } from '../registries/crio-rollout.js';

export function rolloutWords({ action, because }: CrioRollout): string {
  if (action === 'none') return 'none: the files the MCO writes do not change';
  if (action === 'reload') return `CRI-O reloads, no drain (${because})`;
  return `every node of each pool is drained before the file lands (${because})`;
}

const refs = (list: ObjectRef[]) => list.map((r) => `${r.kind}/${r.name}`);

/** "as if ImageDigestMirrorSet/x were applied and ImageContentSourcePolicy/y deleted". */
export function proposalWords(p: { applied: ObjectRef[]; deleted: ObjectRef[] }): string {
  const parts = [...(p.applied.length ? [`${refs(p.applied).join(', ')} were applied`] : []), ...(p.deleted.length ? [`${refs(p.deleted).join(', ')} deleted`] : [])];
  return `as if ${parts.join(' and ')}`;
}

type PoolRollout = CrioRollout & { pool: string };

/** A proposed change in a document: what it applies and deletes, and what its rollout does in each pool; null without one. */
export function proposalDocument(p: { applied: ObjectRef[]; deleted: ObjectRef[]; rollout: PoolRollout[] } | null): object | null {
  return p && { applied: refs(p.applied), deleted: refs(p.deleted), rollout: p.rollout.map((r) => ({ pool: r.pool, action: r.action, because: r.because, message: rolloutWords(r) })) };
}

/** One line a distinct rollout, its pools named: `rollout: worker, infra: CRI-O reloads, no drain (...)`. */
export function rolloutLines(rollouts: PoolRollout[]): string[] {
  const byWords = new Map<string, string[]>();
  for (const r of rollouts) (byWords.get(rolloutWords(r)) ?? byWords.set(rolloutWords(r), []).get(rolloutWords(r))!).push(r.pool);
  return [...byWords].map(([words, pools]) => `rollout: ${pools.join(', ')}: ${words}`);
}
