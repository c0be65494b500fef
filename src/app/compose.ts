// Many images on many nodes, exact and fast: a pull's result depends on the node only through
// its files (one digest, node-check/facts/fingerprint) and on what its network answers each host.
// One node per digest reads every image; every other node of that digest takes the reader's
// verdict for an image wherever its network answered alike on each host that read touched, and
// reads the image itself otherwise. Pure: the run (app/verify.ts) feeds it what the nodes said.
import type { Fingerprint } from '../node-check/facts/fingerprint.js';
import type { NodeVerdict } from '../pull-log/evidence.js';
import { hostOf } from '../pull-log/hints.js';

export interface Surveyed {
  node: string;
  /** null: the node's survey said nothing of its files (its run failed): its run's end is its answer. */
  fingerprint: Fingerprint | null;
}

/** One reader per digest, the first node of it in the order given (the cluster's). */
export function readersOf(surveyed: Surveyed[]): Map<string, string> {
  const readers = new Map<string, string>();
  for (const { node, fingerprint } of surveyed) if (fingerprint && !readers.has(fingerprint.digest)) readers.set(fingerprint.digest, node);
  return readers;
}

/** The hosts a read went to, in its order: the ones whose answers the verdict rests on. */
export function hostsTouched(read: Pick<NodeVerdict, 'attempts'>): string[] {
  return [...new Set(read.attempts.map((a) => hostOf(a.reference)))];
}

/**
 * Whether a node may take the reader's verdict: the read ended in an answer of the registries (not
 * a failed run), and the node's network answered as the reader's on every host the read touched
 * (a host neither was asked about is not known to answer alike).
 */
export function mayBorrow(node: Fingerprint, reader: Fingerprint, read: Pick<NodeVerdict, 'attempts' | 'verdict'>): boolean {
  if (node.digest !== reader.digest || read.verdict === 'error' || read.verdict === 'skipped') return false;
  return hostsTouched(read).every((h) => node.reach[h] !== undefined && node.reach[h] === reader.reach[h]);
}
