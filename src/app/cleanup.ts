// `oc icsp cleanup`: remove what killed runs left behind, and say what it was. Also the check
// verify makes at start, to point at cleanup when old leftovers are there.
import type { Client } from '../oc/client.js';
import { deleteRunNamespace, listRunNamespaces, namespaceContents, type RunNamespace } from '../oc/leftovers.js';
import { type Outcome, outcomeOf } from './outcome.js';
import type { Warning } from './warnings.js';

export const LEFTOVER_AGE_MS = 3_600_000;

export interface Leftover {
  namespace: string;
  runId: string | null;
  ageMs: number | null;
  contents: string[];
  removed: boolean;
}

export interface CleanupRequest {
  olderThanMs: number;
  dryRun: boolean;
  now?: Date;
}

export async function cleanup(client: Client, request: CleanupRequest): Promise<{ leftovers: Leftover[]; kept: number }> {
  await client.whoAmI();
  const now = request.now ?? new Date();
  const all = await listRunNamespaces(client.runner);
  const old = all.filter((n) => age(n, now) === null || age(n, now)! >= request.olderThanMs);
  const leftovers: Leftover[] = [];
  for (const ns of old) {
    const contents = await namespaceContents(client.runner, ns.name);
    const removed = request.dryRun ? false : await deleteRunNamespace(client.runner, ns.name);
    leftovers.push({ namespace: ns.name, runId: ns.runId, ageMs: age(ns, now), contents, removed });
  }
  return { leftovers, kept: all.length - old.length };
}

/** verify's warning: leftovers older than an hour, and the command that removes them. */
export async function leftoverWarning(client: Client, now = new Date()): Promise<Warning | null> {
  let all: RunNamespace[];
  try {
    all = await listRunNamespaces(client.runner);
  } catch {
    return null;
  }
  const old = all.filter((n) => (age(n, now) ?? 0) >= LEFTOVER_AGE_MS);
  if (old.length === 0) return null;
  return { code: 'leftover-namespaces', namespaces: old.map((n) => n.name) };
}

function age(ns: RunNamespace, now: Date): number | null {
  return ns.createdAt ? now.getTime() - ns.createdAt.getTime() : null;
}

/** Something that should have gone is still there (a dry run removes nothing, and finds nothing wrong in that). */
export function cleanupOutcome(leftovers: Leftover[], dryRun: boolean): Outcome {
  return outcomeOf(!leftovers.every((l) => l.removed || dryRun));
}
