// The one sentence that answers a verify run, from the counts its document keeps as well.
import type { Verdict } from '../pull-log/evidence.js';

/** `3 node(s) x 2 images: 5 mirrored, 1 skipped`: the line under the table, from the counts a document keeps too. */
export function verdictsSentence(nodes: number, images: number, counts: Partial<Record<Verdict, number>>): string {
  const parts = (Object.entries(counts) as [Verdict, number][]).filter(([, n]) => n > 0).map(([v, n]) => `${n} ${v}`);
  return `${nodes} node(s)${images > 1 ? ` x ${images} images` : ''}: ${parts.join(', ') || 'none checked'}`;
}
