// The thin driver of a DaemonSet run's state machine (daemonset-run.ts): it feeds the machine the
// watch's pod states, the ends of the log reads and the refusal checks, the interrupt and the
// ticks of an injected clock, and runs what the machine decides: the watch, log reads (a prefixed
// line goes to its pod's node), the refusal check, the nodes' ends.
import type { Clock } from '../clock.js';
import { probeLogArgs, shardLogArgs, shardsOf, watchPodsArgs } from './daemonset-objects.js';
import { podStateLine, refusedPods } from './daemonset-pods.js';
import { type FollowAction, type FollowEvent, type FollowState, followStart, followStep, type LogRead, nextWake } from './daemonset-run.js';
import type { NodeRunRequest, NodeSink } from './node-runner.js';
import type { OcRunner, RunningProcess, StreamHandlers } from './runner.js';

export class DaemonSetFollow {
  private state!: FollowState;
  private readonly shardOf: Map<string, number>;
  private readonly sinks: Map<string, NodeSink>;
  private readonly podToNode = new Map<string, string>();
  private readonly processes = new Set<RunningProcess>();
  private readonly lateReads = new Set<RunningProcess>();
  private readonly ends: Promise<void>[] = [];
  private cancelTimer: () => void = () => {};
  private finished: () => void = () => {};
  private finishing = false;

  constructor(
    private readonly oc: OcRunner,
    private readonly namespace: string,
    private readonly runId: string,
    private readonly request: NodeRunRequest,
    private readonly clock: Clock,
  ) {
    this.shardOf = new Map(shardsOf(request.nodes).flatMap((shard, i) => shard.map((node) => [node, i] as const)));
    this.sinks = new Map(request.nodes.map((n) => [n, request.start(n)]));
  }

  /** Until every node has ended: by its probe, the timeout, or the interrupt. */
  run(): Promise<void> {
    const { request } = this;
    const done = new Promise<void>((resolve) => (this.finished = resolve));
    const onAbort = () => this.dispatch({ type: 'interrupt' });
    request.signal.addEventListener('abort', onAbort);
    const start = followStart(request.nodes, shardsOf(request.nodes), request.timeoutMs, this.clock.now());
    this.state = start.state;
    this.act(start.actions);
    if (request.signal.aborted) onAbort();
    return done.finally(() => request.signal.removeEventListener('abort', onAbort));
  }

  private dispatch(event: FollowEvent): void {
    if (this.finishing) return;
    const { state, actions } = followStep(this.state, event, this.clock.now());
    this.state = state;
    this.act(actions);
  }

  private act(actions: FollowAction[]): void {
    for (const action of actions) this.perform(action);
    this.cancelTimer();
    const at = nextWake(this.state);
    if (at !== null && !this.finishing) this.cancelTimer = this.clock.setTimer(Math.max(0, at - this.clock.now()), () => this.dispatch({ type: 'tick' }));
  }

  private perform(action: FollowAction): void {
    switch (action.type) {
      case 'start-watch':
        return this.startWatch();
      case 'report': {
        const sink = this.sinks.get(action.node)!;
        for (const line of action.lines) sink.output(line);
        return;
      }
      case 'read-logs':
        return this.readLogs(action.read);
      case 'ask-refusals':
        void refusedPods(this.oc, this.namespace, action.podless, (n) => this.shardOf.get(n)!, action.askNodes).then(
          (refused) => this.dispatch({ type: 'refusals', refused: [...refused] }),
          () => this.dispatch({ type: 'refusals', refused: [] }),
        );
        return;
      case 'read-late': {
        for (const shard of action.shards) this.lateReads.add(this.spawn(shardLogArgs(this.namespace, this.runId, shard), this.logLines(this.toEveryNode)));
        const reads = [...this.lateReads];
        void Promise.all(reads.map((r) => r.done)).then(() => this.dispatch({ type: 'late-reads-ended' }));
        return;
      }
      case 'end': {
        const { node, end } = action;
        this.ends.push(Promise.resolve(this.request.end(node, { ...end, durationMs: this.clock.now() - this.state.startedAt })));
        return;
      }
      case 'stop-all':
        void this.stopAll().then(() => this.dispatch({ type: 'stopped' }));
        return;
      case 'finish':
        this.finishing = true;
        this.cancelTimer();
        void this.stopAll()
          .then(() => Promise.all(this.ends))
          .then(() => this.finished());
        return;
    }
  }

  private async stopAll(): Promise<void> {
    for (const p of this.processes) p.stop();
    await Promise.all([...this.processes].map((p) => p.done));
  }

  private spawn(args: string[], handlers: StreamHandlers): RunningProcess {
    const p = this.oc.stream(args, handlers);
    this.processes.add(p);
    void p.done.then(() => this.processes.delete(p));
    return p;
  }

  private toEveryNode = (line: string): void => {
    if (line.trim()) for (const s of this.sinks.values()) s.clientTalk(line);
  };

  /** A prefixed line of a log read ([pod/NAME/CONTAINER] text) goes to the pod's node, while it has not ended. */
  private logLines(talk: (line: string) => void): StreamHandlers {
    return {
      onStdoutLine: (line) => {
        const m = /^\[pod\/([^/\]]+)\/[^\]]+\] ?(.*)$/.exec(line);
        const node = m ? this.podToNode.get(m[1]!) : undefined;
        if (!m || !node) return talk(line);
        if (!this.state.ended.has(node)) this.sinks.get(node)!.output(m[2]!);
      },
      onStderrLine: talk,
    };
  }

  /** The watch ends only if the client or the API server ends it: the machine starts it again. */
  private startWatch(): void {
    const watch = this.spawn(watchPodsArgs(this.namespace, this.runId), {
      onStdoutLine: (line) => {
        const pod = podStateLine(line);
        if (!pod || !this.shardOf.has(pod.node)) return;
        this.podToNode.set(pod.name, pod.node);
        this.dispatch({ type: 'pod', pod });
      },
      onStderrLine: this.toEveryNode,
    });
    void watch.done.then(() => this.dispatch({ type: 'watch-ended' }));
  }

  /** Reads ended probes' logs; the machine ends their nodes once the read is over. */
  private readLogs(read: LogRead): void {
    const nodes = 'shard' in read ? read.nodes : [read.node];
    const log =
      'shard' in read
        ? this.spawn(shardLogArgs(this.namespace, this.runId, read.shard), this.logLines(this.toEveryNode))
        : this.spawn(probeLogArgs(this.namespace, read.pod), this.logLines((line) => void (line.trim() && this.sinks.get(read.node)!.clientTalk(line))));
    void log.done.then(() => this.dispatch({ type: 'read-ended', nodes }));
  }
}
