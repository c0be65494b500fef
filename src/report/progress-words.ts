// The line a person watches on a terminal while verify runs (the spinner's, on stderr): the step,
// nodes and images done, and the node that has run longest of those still running.
import type { Progress } from '../app/node-phases.js';
import { formatDuration } from '../durations.js';

// A node is named as the slowest once it has run this long: before, every node is about as slow.
const SLOW_MS = 10_000;

export function progressWords(p: Progress, now: number): string {
  const slow = p.slowest && now - p.slowest.since >= SLOW_MS ? `; slowest: ${p.slowest.node}, ${formatDuration(now - p.slowest.since)}` : '';
  const images = p.images > p.nodes ? `, ${p.imagesBegun}/${p.images} image reads begun` : '';
  switch (p.step) {
    case 'survey':
      return `surveying ${p.nodesDone}/${p.nodes} nodes: the files pulls depend on, and what each reaches${slow}`;
    case 'read':
      return `reading every image on ${p.nodes} node(s), one per fingerprint: ${p.imagesBegun}/${p.images} begun${slow}`;
    case 'own-read':
      return `reading on ${p.nodes} node(s) whose network answered otherwise: ${p.nodesDone}/${p.nodes} done${images}${slow}`;
    default:
      return `${p.nodesDone}/${p.nodes} nodes checked${images}${slow}`;
  }
}
