// A DaemonSet run as a state machine: per-node state, and a pure step (state, event, now) ->
// (state, actions), after the DaemonSet controller's syncNodes (a diff of what is wanted and what
// is, then actions). daemonset-follow.ts is the thin driver that runs the actions (the watch,
// log reads, the refusal check) and feeds back what they bring, with the clock injected.
//
// The one pod watch delivers each probe's state and, once it has ended, its report in its
// termination message (daemonset-pods.ts probeReport). A report too long for the message is read
// from the probe's log, a shard at a time (logReadsDue). Pods the API refused end their nodes as
// could-not-start, once the controller has had a moment. At the timeout, what the late probes have
// logged so far is read for LATE_READ_MS at most, and they end as timed out.
import { type PodState, probeReport } from './daemonset-pods.js';
import type { NodeEnd } from './node-runner.js';

/** How long a probe that ended without a report waits for the rest of its shard before its log is read. */
export const SHARD_PATIENCE_MS = 3000;
/** How long the late probes' logs are read for at the timeout. */
export const LATE_READ_MS = 10_000;
/** The controller needs a moment to make the pods: its refusals are first read then, and again a second later. */
export const FIRST_REFUSAL_CHECK_MS = 1500;
export const REFUSAL_CHECK_EVERY_MS = 1000;
/** After this, a node without a pod is also asked about: it may be gone. */
export const ASK_NODES_AFTER_MS = 5000;
/** A watch the API server ended is started again this long after it started. */
export const WATCH_RESTART_MS = 1000;

/** A probe that ended without a report in its termination message: its log is to be read. */
export interface Unreported {
  pod: string;
  exitCode: number;
  /** When the watch said it had ended. */
  since: number;
}

export type LogRead = { shard: number; nodes: string[] } | { node: string; pod: string };

export interface FollowState {
  readonly startedAt: number;
  readonly timeoutMs: number;
  readonly nodes: readonly string[];
  readonly shards: readonly (readonly string[])[];
  /** Each node's pod's last state, as the watch delivered it. */
  readonly pods: ReadonlyMap<string, PodState>;
  readonly ended: ReadonlySet<string>;
  /** Probes that ended without a report, until their log is being read. */
  readonly unreported: ReadonlyMap<string, Unreported>;
  /** Nodes whose probe's log is being read, and its exit code. */
  readonly reading: ReadonlyMap<string, number>;
  readonly shardsRead: ReadonlySet<number>;
  readonly watch: { readonly running: boolean; readonly startedAt: number };
  readonly refusals: { readonly nextAt: number; readonly asking: boolean };
  /** The timeout has come: the late nodes' logs are being read until this deadline. */
  readonly late: { readonly deadline: number } | null;
  /** Interrupted: everything is being stopped. */
  readonly stopping: boolean;
}

export type FollowEvent =
  | { type: 'tick' }
  | { type: 'pod'; pod: PodState }
  | { type: 'watch-ended' }
  | { type: 'refusals'; refused: [node: string, said: string][] }
  | { type: 'read-ended'; nodes: string[] }
  | { type: 'late-reads-ended' }
  | { type: 'interrupt' }
  /** After an interrupt, every process the run started has ended. */
  | { type: 'stopped' };

export type FollowAction =
  | { type: 'start-watch' }
  /** A probe's report, from its termination message: its lines to its node. */
  | { type: 'report'; node: string; lines: string[] }
  | { type: 'read-logs'; read: LogRead }
  | { type: 'ask-refusals'; podless: string[]; askNodes: boolean }
  | { type: 'read-late'; shards: number[] }
  | { type: 'end'; node: string; end: Omit<NodeEnd, 'durationMs'> }
  /** Stop every process the run started; `stopped` follows once they have ended. */
  | { type: 'stop-all' }
  /** Every node has ended. */
  | { type: 'finish' };

export interface Step {
  state: FollowState;
  actions: FollowAction[];
}

export function followStart(nodes: string[], shards: string[][], timeoutMs: number, now: number): Step {
  const state: FollowState = {
    startedAt: now,
    timeoutMs,
    nodes,
    shards,
    pods: new Map(),
    ended: new Set(),
    unreported: new Map(),
    reading: new Map(),
    shardsRead: new Set(),
    watch: { running: true, startedAt: now },
    refusals: { nextAt: now + FIRST_REFUSAL_CHECK_MS, asking: false },
    late: null,
    stopping: false,
  };
  return nodes.length === 0 ? { state, actions: [{ type: 'finish' }] } : { state, actions: [{ type: 'start-watch' }] };
}

const NO_POD = "no pod was created for the node (a quota or an admission webhook refused it, or the node is gone): see the DaemonSet's events";

/** Why a node's pod had not done its work by the timeout, as far as the watch saw. */
export function lateReason(state: PodState | undefined): string | null {
  if (!state) return NO_POD;
  return state.problem ?? (state.running || state.ended ? null : 'the pod is still Pending');
}

/**
 * The log reads due now: a shard's probes are read together (one client process, kubectl's
 * requests one after another) once every one of them has ended, cannot start, or the first has
 * waited SHARD_PATIENCE_MS; a probe of a shard already read is read on its own.
 */
export function logReadsDue(
  shards: readonly (readonly string[])[],
  unreported: ReadonlyMap<string, Unreported>,
  isSettled: (node: string) => boolean,
  shardsRead: ReadonlySet<number>,
  now: number,
): LogRead[] {
  return shards.flatMap((shard, i): LogRead[] => {
    const waiting = shard.filter((n) => unreported.has(n));
    if (waiting.length === 0) return [];
    if (shardsRead.has(i)) return waiting.map((n) => ({ node: n, pod: unreported.get(n)!.pod }));
    const settled = shard.every((n) => unreported.has(n) || isSettled(n));
    const waited = now - Math.min(...waiting.map((n) => unreported.get(n)!.since));
    return settled || waited >= SHARD_PATIENCE_MS ? [{ shard: i, nodes: waiting }] : [];
  });
}

/** A state being stepped: copies of what the step changes, and the actions it takes. */
class Draft {
  readonly pods: Map<string, PodState>;
  readonly ended: Set<string>;
  readonly unreported: Map<string, Unreported>;
  readonly reading: Map<string, number>;
  readonly shardsRead: Set<number>;
  watch: FollowState['watch'];
  refusals: FollowState['refusals'];
  late: FollowState['late'];
  stopping: boolean;
  readonly actions: FollowAction[] = [];

  constructor(
    readonly base: FollowState,
    readonly now: number,
  ) {
    this.pods = new Map(base.pods);
    this.ended = new Set(base.ended);
    this.unreported = new Map(base.unreported);
    this.reading = new Map(base.reading);
    this.shardsRead = new Set(base.shardsRead);
    this.watch = base.watch;
    this.refusals = base.refusals;
    this.late = base.late;
    this.stopping = base.stopping;
  }

  end(node: string, end: Omit<NodeEnd, 'durationMs'>): void {
    if (this.ended.has(node)) return;
    this.ended.add(node);
    this.unreported.delete(node);
    this.reading.delete(node);
    this.actions.push({ type: 'end', node, end });
  }

  done(): Step {
    const { base } = this;
    const state: FollowState = {
      ...base,
      pods: this.pods,
      ended: this.ended,
      unreported: this.unreported,
      reading: this.reading,
      shardsRead: this.shardsRead,
      watch: this.watch,
      refusals: this.refusals,
      late: this.late,
      stopping: this.stopping,
    };
    if (state.ended.size === state.nodes.length && !this.actions.some((a) => a.type === 'finish')) this.actions.push({ type: 'finish' });
    return { state, actions: this.actions };
  }
}

export function followStep(state: FollowState, event: FollowEvent, now: number): Step {
  // A finished run takes no more events (a watch or a read that ends after its last node).
  if (state.ended.size === state.nodes.length) return { state, actions: [] };
  const d = new Draft(state, now);
  switch (event.type) {
    case 'pod':
      podSeen(d, event.pod);
      break;
    case 'watch-ended':
      d.watch = { ...d.watch, running: false };
      break;
    case 'refusals':
      d.refusals = { ...d.refusals, asking: false };
      for (const [node, said] of event.refused) d.end(node, { status: 'could-not-start', exitCode: null, clientSaid: said });
      break;
    case 'read-ended':
      // A read cut short by an interrupt leaves its nodes' output partial.
      for (const node of event.nodes) d.end(node, d.stopping ? interrupted : { status: 'exited', exitCode: state.reading.get(node) ?? 0, clientSaid: null });
      break;
    case 'late-reads-ended':
      if (d.late) endLate(d);
      break;
    case 'interrupt':
      if (!d.stopping) {
        d.stopping = true;
        d.actions.push({ type: 'stop-all' });
      }
      return d.done();
    case 'stopped':
      for (const node of state.nodes) d.end(node, interrupted);
      return d.done();
    case 'tick':
      break;
  }
  if (!d.stopping) due(d);
  return d.done();
}

const interrupted: Omit<NodeEnd, 'durationMs'> = { status: 'interrupted', exitCode: null, clientSaid: null };

/** A pod's state from the watch: an ended probe's report reaches its node, or its log is to be read. */
function podSeen(d: Draft, pod: PodState): void {
  if (!d.base.nodes.includes(pod.node)) return;
  d.pods.set(pod.node, pod);
  const probe = pod.ended;
  if (!probe || d.ended.has(pod.node) || d.reading.has(pod.node) || d.unreported.has(pod.node)) return;
  const report = probeReport(probe.message);
  if (!report) return void d.unreported.set(pod.node, { pod: pod.name, exitCode: probe.exitCode, since: d.now });
  d.actions.push({ type: 'report', node: pod.node, lines: report.lines });
  d.end(pod.node, { status: 'exited', exitCode: report.exitCode, clientSaid: null });
}

/** What is due now: the watch started again, log reads, the refusal check, the timeout. */
function due(d: Draft): void {
  const { base, now } = d;
  if (!d.watch.running && now - d.watch.startedAt >= WATCH_RESTART_MS) {
    d.watch = { running: true, startedAt: now };
    d.actions.push({ type: 'start-watch' });
  }
  if (d.late) {
    if (now >= d.late.deadline) endLate(d);
    return;
  }
  const settled = (n: string) => d.ended.has(n) || d.reading.has(n) || Boolean(d.pods.get(n)?.problem);
  for (const read of logReadsDue(base.shards, d.unreported, settled, d.shardsRead, now)) {
    const nodes = 'shard' in read ? read.nodes : [read.node];
    if ('shard' in read) d.shardsRead.add(read.shard);
    for (const n of nodes) {
      d.reading.set(n, d.unreported.get(n)!.exitCode);
      d.unreported.delete(n);
    }
    d.actions.push({ type: 'read-logs', read });
  }
  const podless = base.nodes.filter((n) => !d.ended.has(n) && !d.pods.has(n));
  if (podless.length > 0 && !d.refusals.asking && now >= d.refusals.nextAt) {
    d.refusals = { nextAt: now + REFUSAL_CHECK_EVERY_MS, asking: true };
    d.actions.push({ type: 'ask-refusals', podless, askNodes: now - base.startedAt > ASK_NODES_AFTER_MS });
  }
  if (now - base.startedAt >= base.timeoutMs) startLate(d);
}

/** The timeout: read what the late probes have logged so far, a shard at a time. */
function startLate(d: Draft): void {
  const late = d.base.nodes.filter((n) => !d.ended.has(n));
  const toRead = late.filter((n) => (d.pods.get(n)?.running || d.unreported.has(n)) && !d.reading.has(n));
  const shards = [...new Set(toRead.map((n) => d.base.shards.findIndex((s) => s.includes(n))))];
  d.late = { deadline: d.now + LATE_READ_MS };
  if (shards.length === 0) return endLate(d);
  d.actions.push({ type: 'read-late', shards });
}

/** The late reads are over (or their time is): an ended probe's node ends as exited, the others as timed out. */
function endLate(d: Draft): void {
  for (const node of d.base.nodes) {
    if (d.ended.has(node)) continue;
    const exitCode = d.unreported.get(node)?.exitCode ?? d.reading.get(node);
    if (exitCode !== undefined) d.end(node, { status: 'exited', exitCode, clientSaid: null });
    else d.end(node, { status: 'timed-out', exitCode: null, clientSaid: lateReason(d.pods.get(node)) });
  }
}

/** When the run next has something to do by itself (null: only an event can move it). */
export function nextWake(state: FollowState): number | null {
  if (state.stopping || state.ended.size === state.nodes.length) return null;
  if (state.late) return state.late.deadline;
  const times = [state.startedAt + state.timeoutMs];
  if (!state.watch.running) times.push(state.watch.startedAt + WATCH_RESTART_MS);
  if (!state.refusals.asking && state.nodes.some((n) => !state.ended.has(n) && !state.pods.has(n))) times.push(state.refusals.nextAt);
  for (const [i, shard] of state.shards.entries()) {
    if (state.shardsRead.has(i)) continue;
    const since = shard.flatMap((n) => state.unreported.get(n)?.since ?? []);
    if (since.length) times.push(Math.min(...since) + SHARD_PATIENCE_MS);
  }
  return Math.min(...times);
}
