// Following a DaemonSet run's pods to every node's end: the one pod watch delivers each probe's
// state and, once it has ended, its report (daemonset-pods.ts probeReport); a report too long for
// the termination message is read from the probe's log, a shard at a time (logReadsDue decides
// which); at the timeout, what the late probes have logged so far is read, for a few seconds at
// most, and they end as timed out.
import { probeLogArgs, shardLogArgs, shardsOf, watchPodsArgs } from './daemonset-objects.js';
import { type PodState, podStateLine, probeReport, refusedPods } from './daemonset-pods.js';
import type { NodeEnd, NodeRunRequest, NodeSink } from './node-runner.js';
import type { OcRunner, RunningProcess, StreamHandlers } from './runner.js';

/** How long a probe that ended without a report waits for the rest of its shard before its log is read. */
export const SHARD_PATIENCE_MS = 3000;
/** How long the late probes' logs are read for at the timeout. */
const LATE_READ_MS = 10_000;

/** A probe that ended without a report in its termination message: its log is to be read. */
export interface Unreported {
  pod: string;
  exitCode: number;
  /** When the watch said it had ended. */
  since: number;
}

export type LogRead = { shard: number; nodes: string[] } | { node: string; pod: string };

/**
 * The log reads due now: a shard's probes are read together (one client process, kubectl's
 * requests one after another) once every one of them has ended, cannot start, or the first has
 * waited SHARD_PATIENCE_MS; a probe of a shard already read is read on its own.
 */
export function logReadsDue(
  shards: string[][],
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

const NO_POD = "no pod was created for the node (a quota or an admission webhook refused it, or the node is gone): see the DaemonSet's events";

/** Why a node's pod had not done its work by the timeout, as far as the watch saw. */
export function lateReason(state: PodState | undefined): string | null {
  if (!state) return NO_POD;
  return state.problem ?? (state.running || state.ended ? null : 'the pod is still Pending');
}

export class DaemonSetFollow {
  private readonly started = Date.now();
  private readonly shards: string[][];
  private readonly shardOf: Map<string, number>;
  private readonly sinks: Map<string, NodeSink>;
  private readonly podToNode = new Map<string, string>();
  private readonly states = new Map<string, PodState>();
  private readonly ended = new Set<string>();
  /** Probes that ended without a report, until their log is being read. */
  private readonly unreported = new Map<string, Unreported>();
  /** Nodes whose probe's log is being read, and its exit code. */
  private readonly reading = new Map<string, number>();
  private readonly shardsRead = new Set<number>();
  private readonly processes: RunningProcess[] = [];
  private wake: () => void = () => {};
  private watchEnded = false;
  private watchStarted = 0;

  constructor(
    private readonly oc: OcRunner,
    private readonly namespace: string,
    private readonly runId: string,
    private readonly request: NodeRunRequest,
    private readonly pollMs: number,
  ) {
    this.shards = shardsOf(request.nodes);
    this.shardOf = new Map(this.shards.flatMap((shard, i) => shard.map((node) => [node, i] as const)));
    this.sinks = new Map(request.nodes.map((n) => [n, request.start(n)]));
  }

  /** Until every node has ended, the run is stopped, or the timeout has ended the rest. */
  async run(): Promise<void> {
    const { request } = this;
    const onAbort = () => this.wake();
    request.signal.addEventListener('abort', onAbort);
    // The controller needs a moment to make the pods; its refusals are read after that.
    let nextEventRead = this.started + 1500;
    try {
      this.startWatch();
      while (this.ended.size < request.nodes.length && !request.signal.aborted) {
        if (this.watchEnded && Date.now() - this.watchStarted > 1000) this.startWatch();
        this.readDueLogs();
        const podless = request.nodes.filter((n) => !this.ended.has(n) && !this.states.has(n));
        if (podless.length > 0 && Date.now() >= nextEventRead) {
          nextEventRead = Date.now() + 1000;
          const refused = await refusedPods(this.oc, this.namespace, podless, (n) => this.shardOf.get(n)!, Date.now() - this.started > 5000);
          for (const [node, said] of refused) await this.end(node, { status: 'could-not-start', exitCode: null, clientSaid: said });
        }
        if (Date.now() - this.started >= request.timeoutMs) await this.endLate();
        if (this.ended.size < request.nodes.length) await new Promise<void>((resolve) => ((this.wake = resolve), setTimeout(resolve, this.pollMs)));
      }
    } finally {
      request.signal.removeEventListener('abort', onAbort);
      for (const p of this.processes) p.stop();
      await Promise.all(this.processes.map((p) => p.done));
      for (const node of request.nodes) await this.end(node, { status: 'interrupted', exitCode: null, clientSaid: null });
    }
  }

  private async end(node: string, e: Omit<NodeEnd, 'durationMs'>): Promise<void> {
    if (this.ended.has(node)) return;
    this.ended.add(node);
    await this.request.end(node, { ...e, durationMs: Date.now() - this.started });
    this.wake();
  }

  private toEveryNode = (line: string): void => {
    if (line.trim()) for (const s of this.sinks.values()) s.clientTalk(line);
  };

  /** A prefixed line of a log read ([pod/NAME/CONTAINER] text) goes to the pod's node. */
  private logLines(talk: (line: string) => void): StreamHandlers {
    return {
      onStdoutLine: (line) => {
        const m = /^\[pod\/([^/\]]+)\/[^\]]+\] ?(.*)$/.exec(line);
        const node = m ? this.podToNode.get(m[1]!) : undefined;
        if (!m || !node) return talk(line);
        if (!this.ended.has(node)) this.sinks.get(node)!.output(m[2]!);
      },
      onStderrLine: talk,
    };
  }

  /** The watch ends only if the client or the API server ends it: then it is started again. */
  private startWatch(): void {
    this.watchStarted = Date.now();
    this.watchEnded = false;
    const watch = this.oc.stream(watchPodsArgs(this.namespace, this.runId), {
      onStdoutLine: (line) => {
        const pod = podStateLine(line);
        if (!pod || !this.shardOf.has(pod.node)) return;
        this.podToNode.set(pod.name, pod.node);
        this.states.set(pod.node, pod);
        if (pod.ended) this.probeEnded(pod, pod.ended);
        this.wake();
      },
      onStderrLine: this.toEveryNode,
    });
    void watch.done.then(() => ((this.watchEnded = true), this.wake()));
    this.processes.push(watch);
  }

  private probeEnded(pod: PodState, probe: NonNullable<PodState['ended']>): void {
    const node = pod.node;
    if (this.ended.has(node) || this.reading.has(node) || this.unreported.has(node)) return;
    const report = probeReport(probe.message);
    if (!report) return void this.unreported.set(node, { pod: pod.name, exitCode: probe.exitCode, since: Date.now() });
    const sink = this.sinks.get(node)!;
    for (const line of report.lines) sink.output(line);
    void this.end(node, { status: 'exited', exitCode: report.exitCode, clientSaid: null });
  }

  private readDueLogs(): void {
    const settled = (n: string) => this.ended.has(n) || this.reading.has(n) || Boolean(this.states.get(n)?.problem);
    for (const read of logReadsDue(this.shards, this.unreported, settled, this.shardsRead, Date.now())) {
      if ('shard' in read) {
        this.shardsRead.add(read.shard);
        this.readLogs(shardLogArgs(this.namespace, this.runId, read.shard), read.nodes, this.toEveryNode);
      } else {
        const sink = this.sinks.get(read.node)!;
        this.readLogs(probeLogArgs(this.namespace, read.pod), [read.node], (line) => line.trim() && sink.clientTalk(line));
      }
    }
  }

  /** Reads ended probes' logs; each node ends with its probe's exit code once the read is over. */
  private readLogs(args: string[], nodes: string[], talk: (line: string) => void): RunningProcess {
    for (const n of nodes) {
      this.reading.set(n, this.unreported.get(n)?.exitCode ?? 0);
      this.unreported.delete(n);
    }
    const log = this.oc.stream(args, this.logLines(talk));
    this.processes.push(log);
    void log.done.then(async () => {
      for (const n of nodes) await this.end(n, { status: 'exited', exitCode: this.reading.get(n)!, clientSaid: null });
    });
    return log;
  }

  /**
   * At the timeout: what the probes still running, or ended and not yet read, have logged so far
   * (a shard at a time, for LATE_READ_MS at most: a node's kubelet may not answer); then an ended
   * probe's node ends as exited, the others as timed out, with what the watch saw of them.
   */
  private async endLate(): Promise<void> {
    const late = this.request.nodes.filter((n) => !this.ended.has(n));
    // Probes that have ended, read or not: their exit codes.
    const ended = new Map<string, number>([...[...this.unreported].map(([n, u]) => [n, u.exitCode] as const), ...this.reading]);
    const toRead = late.filter((n) => (this.states.get(n)?.running || this.unreported.has(n)) && !this.reading.has(n));
    const reads = [...new Set(toRead.map((n) => this.shardOf.get(n)!))].map((i) => this.oc.stream(shardLogArgs(this.namespace, this.runId, i), this.logLines(this.toEveryNode)));
    this.processes.push(...reads);
    let bound: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(reads.map((r) => r.done)), new Promise((resolve) => (bound = setTimeout(resolve, LATE_READ_MS)))]);
    clearTimeout(bound);
    for (const node of late) {
      const exitCode = ended.get(node);
      if (exitCode !== undefined) await this.end(node, { status: 'exited', exitCode, clientSaid: null });
      else await this.end(node, { status: 'timed-out', exitCode: null, clientSaid: lateReason(this.states.get(node)) });
    }
  }
}
