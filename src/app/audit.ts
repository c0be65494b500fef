// `oc icsp audit`: what CRI-O itself did, from each node's journal: every pull, which source
// served it, and the findings that matter (silent fallbacks to the source, tag pulls under
// digest-only policies, pulls that failed on every mirror). Read-only: no pod, no image.
import { UserError } from '../errors.js';
import type { Client } from '../oc/client.js';
import { type ClusterNode, listNodes } from '../oc/cluster.js';
import { followNodeLogs } from '../oc/node-logs.js';
import { type AbortStopper, forEachLimited, stopOnAbort } from '../oc/node-runner.js';
import { type CrioAttempt, CrioJournalReader, type CrioPull } from '../pull-log/crio-journal.js';
import type { MirrorRule } from '../registries/policies.js';
import { parseReference, referenceName } from '../registries/reference.js';
import { readClusterPolicies } from './cluster-policies.js';
import { expectationFor } from './policy-summary.js';

export interface AuditRequest {
  /** An image, or a repository prefix; only pulls of it are reported. */
  filter: string | undefined;
  /** journalctl's --since: -24h, or a time. */
  since: string;
  selector: string | undefined;
  nodeNames: string[] | undefined;
  parallel: number;
  timeoutMs: number;
}

export interface AuditPull {
  image: string;
  at: string;
  outcome: CrioPull['outcome'];
  /** The source that served it (the last attempt of a pull that succeeded). */
  servedBy: string | null;
  mirror: boolean | null;
  attempts: (CrioAttempt & { mirror: boolean })[];
  error: string | null;
}

export type FindingKind = 'silent-fallback' | 'tag-under-digest-only' | 'failed-on-every-mirror';

export interface Finding {
  kind: FindingKind;
  node: string;
  image: string;
  at: string;
  detail: string;
}

export interface AuditResult {
  since: string;
  nodes: { name: string; pulls: AuditPull[]; error: string | null }[];
  findings: Finding[];
}

export async function audit(request: AuditRequest, client: Client, signal: AbortSignal): Promise<AuditResult> {
  if (client.name !== 'oc') throw new UserError('audit reads node journals with `oc adm node-logs`, which kubectl lacks: run it with oc (--client oc)');
  await client.whoAmI();
  const all = await listNodes(client.runner, request.selector);
  const nodes = pick(all, request.nodeNames);
  const rules = (await readClusterPolicies(client.runner)).rules;
  const byNode = new Map<string, { pulls: AuditPull[]; error: string | null }>();
  const live = stopOnAbort(signal);
  try {
    await forEachLimited(nodes, request.parallel, signal, async (node) => {
      byNode.set(node.name, await readNode(client, node, request, live));
    });
  } finally {
    live.dispose();
  }
  const result: AuditResult = { since: request.since, nodes: [], findings: [] };
  for (const node of nodes) {
    const read = byNode.get(node.name) ?? { pulls: [], error: 'interrupted' };
    const pulls = read.pulls.filter((p) => matches(p.image, request.filter));
    result.nodes.push({ name: node.name, pulls, error: read.error });
    for (const pull of pulls) result.findings.push(...findingsFor(node.name, pull, rules));
  }
  return result;
}

async function readNode(client: Client, node: ClusterNode, request: AuditRequest, live: AbortStopper): Promise<{ pulls: AuditPull[]; error: string | null }> {
  if (!node.ready) return { pulls: [], error: `node is not Ready: ${node.notReadyReason}` };
  const reader = new CrioJournalReader();
  const talk: string[] = [];
  const proc = followNodeLogs(client.runner, node.name, request.since, { onStdoutLine: (l) => reader.feed(l), onStderrLine: (l) => talk.push(l) });
  const { end, timedOut } = await live.wait(proc, request.timeoutMs);
  const error = end.failedToStart ?? (timedOut ? 'timed out reading the journal' : end.exitCode !== 0 ? (talk.filter(Boolean).at(-1) ?? `exit code ${end.exitCode}`) : null);
  return { pulls: reader.result().pulls.map(toAuditPull), error };
}

function toAuditPull(pull: CrioPull): AuditPull {
  const source = pull.image;
  const attempts = pull.attempts.map((a) => ({ ...a, mirror: a.reference !== source }));
  const served = pull.outcome === 'succeeded' ? (attempts.at(-1) ?? null) : null;
  return { image: pull.image, at: pull.at, outcome: pull.outcome, servedBy: served?.reference ?? null, mirror: served ? served.mirror : null, attempts, error: pull.error };
}

function findingsFor(node: string, pull: AuditPull, rules: MirrorRule[]): Finding[] {
  let ref;
  try {
    ref = parseReference(pull.image);
  } catch {
    return [];
  }
  const expectation = expectationFor(rules, ref);
  const base = { node, image: pull.image, at: pull.at };
  const mirrorsTried = pull.attempts.filter((a) => a.mirror);
  if (expectation.notApplicable?.startsWith('a tag pull')) {
    return [{ ...base, kind: 'tag-under-digest-only', detail: `${expectation.notApplicable}` }];
  }
  if (pull.outcome === 'succeeded' && pull.mirror === false && expectation.coveredBy) {
    const tried = mirrorsTried.length ? `after ${mirrorsTried.length} mirror(s) failed (${mirrorsTried.map((a) => a.reference.split('/')[0]).join(', ')})` : 'with no mirror tried';
    return [{ ...base, kind: 'silent-fallback', detail: `served by the source ${tried}, although ${expectation.coveredBy}` }];
  }
  if (pull.outcome === 'failed' && mirrorsTried.length > 0) {
    return [{ ...base, kind: 'failed-on-every-mirror', detail: `${mirrorsTried.length} mirror(s) tried, none served it${pull.error ? `: ${pull.error}` : ''}` }];
  }
  return [];
}

function matches(image: string, filter: string | undefined): boolean {
  if (!filter) return true;
  if (image === filter) return true;
  try {
    const name = referenceName(parseReference(image));
    return name === filter || name.startsWith(`${filter.replace(/\/$/, '')}/`);
  } catch {
    return image.startsWith(filter);
  }
}

function pick(nodes: ClusterNode[], names: string[] | undefined): ClusterNode[] {
  if (!names) return nodes;
  const missing = names.filter((n) => !nodes.some((x) => x.name === n));
  if (missing.length) throw new UserError(`no such node${missing.length > 1 ? 's' : ''}: ${missing.join(', ')} (see \`oc get nodes\`)`);
  return nodes.filter((n) => names.includes(n.name));
}
