// `oc icsp audit`: what CRI-O itself did, from each node's journal: every pull, which source
// served it, and the findings that matter (silent fallbacks to the source, tag pulls under
// digest-only policies, pulls that failed on every mirror, pulls a signature stopped). Read-only: no pod, no image.
import { UserError } from '../errors.js';
import type { Client } from '../oc/client.js';
import { type ClusterNode, listNodes, serverKubeMinor } from '../oc/cluster.js';
import { endpointTime, followNodeLogs, olderBootProbeArgs } from '../oc/node-logs.js';
import { JournalSlices } from './journal-slices.js';
import { type Clock, systemClock } from '../clock.js';
import { type AbortStopper, forEachLimited, stopOnAbort } from '../oc/node-runner.js';
import { type CrioAttempt, CrioJournalReader, type CrioPull, journalLineTime } from '../pull-log/crio-journal.js';
import { repositoryOf } from '../pull-log/hints.js';
import type { MirrorRule } from '../registries/policies.js';
import { parseReference, referenceName } from '../registries/reference.js';
import { readClusterPolicies } from './cluster-policies.js';
import { expectationFor } from './policy-summary.js';
import { type Outcome, outcomeOf } from './outcome.js';

export interface AuditRequest {
  /** An image, or a repository prefix; only pulls of it are reported. */
  filter: string | undefined;
  /** The window read, in UTC: from since to until (the start of the run). */
  since: Date;
  until: Date;
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

export type FindingKind = 'silent-fallback' | 'tag-under-digest-only' | 'failed-on-every-mirror' | 'signature-refused';

/** A finding is a code (its kind) with fields; report/finding-words.ts says it in words. */
export type Finding = { node: string; image: string; at: string } & (
  | { kind: 'tag-under-digest-only'; policies: string[] }
  /** Served by the source although policies cover the image: the mirrors tried first (hosts), and the policies. */
  | { kind: 'silent-fallback'; mirrorsTried: string[]; coveredBy: string[] }
  | { kind: 'failed-on-every-mirror'; mirrors: number; error: string | null }
  /** The signature policy stopped the pull where the manifest came from (CRI-O's SignatureValidationFailed): no other source was tried. */
  | { kind: 'signature-refused'; endpoint: string; mirror: boolean; missing: boolean; error: string | null }
);

export interface NodeAudit {
  name: string;
  pulls: AuditPull[];
  error: string | null;
  /** Whether the whole window was read; if not, up to when (the kubelet cut the answers short). */
  complete: boolean;
  readUpTo: string | null;
  /**
   * The window holds boots the kubelet does not read: OpenShift 4.12 and 4.13 answer with the
   * previous and the current boot only (the old carry's Copy), so earlier pulls are missing.
   */
  olderBoots: boolean;
}

export interface AuditResult {
  since: string;
  until: string;
  nodes: NodeAudit[];
  findings: Finding[];
}

/** Answers asked of one node's journal at the most; each is cut at the kubelet's 30 s. */
const MAX_SLICES = 20;

export async function audit(request: AuditRequest, client: Client, signal: AbortSignal, clock: Clock = systemClock): Promise<AuditResult> {
  if (!client.nodeLogs) throw new UserError('audit reads node journals with `oc adm node-logs`, which kubectl lacks: run it with oc (--client oc)');
  await client.whoAmI();
  const all = await listNodes(client.runner, request.selector);
  const nodes = pick(all, request.nodeNames);
  const rules = (await readClusterPolicies(client.runner)).rules;
  const byNode = new Map<string, Omit<NodeAudit, 'name'>>();
  const live = stopOnAbort(signal, clock);
  // Unknown, the server is taken as current: every boot read.
  const twoBootsOnly = ((await serverKubeMinor(client.runner)) ?? NODE_LOG_QUERY_MINOR) < NODE_LOG_QUERY_MINOR;
  try {
    await forEachLimited(nodes, request.parallel, signal, async (node) => {
      const read = await readNode(client, node, request, live, clock);
      byNode.set(node.name, read.complete && twoBootsOnly ? await withOlderBoots(client, node.name, request, read) : read);
    });
  } finally {
    live.dispose();
  }
  const result: AuditResult = { since: request.since.toISOString(), until: request.until.toISOString(), nodes: [], findings: [] };
  for (const node of nodes) {
    const read = byNode.get(node.name) ?? { pulls: [], error: 'interrupted', complete: false, readUpTo: null, olderBoots: false };
    const pulls = read.pulls.filter((p) => matches(p.image, request.filter));
    result.nodes.push({ name: node.name, ...read, pulls });
    for (const pull of pulls) result.findings.push(...findingsFor(node.name, pull, rules));
  }
  return result;
}

async function readNode(client: Client, node: ClusterNode, request: AuditRequest, live: AbortStopper, clock: Clock): Promise<Omit<NodeAudit, 'name'>> {
  if (!node.ready) return { pulls: [], error: `node is not Ready: ${node.notReadyReason}`, complete: false, readUpTo: null, olderBoots: false };
  const reader = new CrioJournalReader();
  const slices = new JournalSlices(request.until, (l) => reader.feed(l));
  const until = endpointTime(request.until);
  const deadline = clock.now() + request.timeoutMs;
  let from: string | null = endpointTime(request.since);
  let error: string | null = null;
  let answers = 0;
  while (from !== null && answers < MAX_SLICES && !error) {
    const talk: string[] = [];
    slices.begin();
    let ended = false;
    const proc = followNodeLogs(client.runner, node.name, from, until, {
      onStdoutLine: (l) => slices.feed(l),
      onStderrLine: (l) => talk.push(l),
      onStdoutEnd: (whole) => ((ended = true), slices.end(whole)),
    });
    const { end, timedOut } = await live.wait(proc, Math.max(1, deadline - clock.now()));
    // A client stopped before its output ended: what it held last may be cut.
    if (!ended) slices.end(false);
    answers++;
    error = end.failedToStart ?? (timedOut ? null : end.exitCode !== 0 ? (talk.filter(Boolean).join(' ').trim() || `exit code ${end.exitCode}`) : null);
    if (timedOut || end.signal) break;
    const unread = error ? null : slices.unread();
    if (unread) {
      error = `the kubelet did not read crio's journal (${unread}): its check that crio logs to the journal failed or ran out of time; run audit again`;
      break;
    }
    from = slices.next();
  }
  const pulls = reader.result().pulls.map((p) => toAuditPull(p, request.until));
  return { pulls, error, complete: from === null && !error, readUpTo: slices.readUpTo(), olderBoots: false };
}

/** Kubernetes 1.27 (OpenShift 4.14) serves NodeLogQuery, which reads every boot. */
const NODE_LOG_QUERY_MINOR = 27;

/**
 * On the old carry, asks for one line of the boot before the previous one in the window: if there
 * is one, the window spans boots the answers left out, and the node was not read whole.
 */
async function withOlderBoots(client: Client, node: string, request: AuditRequest, read: Omit<NodeAudit, 'name'>): Promise<Omit<NodeAudit, 'name'>> {
  const answer = await client.runner.run(olderBootProbeArgs(node, endpointTime(request.since), endpointTime(request.until)));
  const older = answer.exitCode === 0 && answer.stdout.split('\n').some((l) => journalLineTime(l, request.until) !== null);
  return older ? { ...read, complete: false, olderBoots: true } : read;
}

function toAuditPull(pull: CrioPull, until: Date): AuditPull {
  const source = pull.image;
  const attempts = pull.attempts.map((a) => ({ ...a, at: isoTime(a.at, until), mirror: a.reference !== source }));
  const served = pull.outcome === 'succeeded' ? (attempts.at(-1) ?? null) : null;
  return { image: pull.image, at: isoTime(pull.at, until), outcome: pull.outcome, servedBy: served?.reference ?? null, mirror: served ? served.mirror : null, attempts, error: pull.error };
}

/** CRI-O's logrus time (`2026-11-30 03:48:59.356000000Z`) or the journal's stamp, as ISO 8601 (to the millisecond). */
export function isoTime(at: string, until: Date): string {
  const logrus = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(at);
  if (logrus) return `${logrus[1]}T${logrus[2]}.${(logrus[3] ?? '').padEnd(3, '0').slice(0, 3)}Z`;
  const stamp = journalLineTime(`${at} `, until);
  return stamp ? stamp.at.toISOString() : at;
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
  if (expectation.mismatch?.kind === 'tag-pull-digest-mirrors') {
    return [{ ...base, kind: 'tag-under-digest-only', policies: expectation.mismatch.policies }];
  }
  if (pull.outcome === 'succeeded' && pull.mirror === false && expectation.coveredBy.length) {
    return [{ ...base, kind: 'silent-fallback', mirrorsTried: mirrorsTried.map((a) => a.reference.split('/')[0]!), coveredBy: expectation.coveredBy }];
  }
  const last = pull.attempts.at(-1);
  if (pull.outcome === 'failed' && last?.reason === 'signature') {
    const error = last.message ?? pull.error;
    return [{ ...base, kind: 'signature-refused', endpoint: repositoryOf(last.reference), mirror: last.mirror, missing: /no signature exists/.test(error ?? ''), error }];
  }
  if (pull.outcome === 'failed' && mirrorsTried.length > 0) {
    return [{ ...base, kind: 'failed-on-every-mirror', mirrors: mirrorsTried.length, error: pull.error }];
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

/** Findings, or a journal read only in part: that has no "no findings" to give. */
export function auditOutcome(result: AuditResult): Outcome {
  return outcomeOf(result.findings.length > 0 || result.nodes.some((n) => n.error || !n.complete));
}
