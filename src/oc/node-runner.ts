// "Run this command on these nodes": the one seam every way of reaching nodes plugs into.
// It starts the nodes' pods, bounded; streams each node's lines to that node's sink; reports
// each node's end; stops everything on request; and removes all it created, whatever happens.
import { type Clock, systemClock } from '../clock.js';
import { summarizeClientTalk, TALK_TAIL } from './client-talk.js';
import { CREATE_FROM_STDIN, createRunNamespace, deleteNamespaceArgs, NAMESPACE_PLACEHOLDER, NamespaceLifecycle, newRunId, runNamespaceManifest } from './namespace.js';
import type { OcRunner, ProcessEnd, RunningProcess, StreamHandlers } from './runner.js';

export interface NodeSink {
  /** A line the node command printed (its stdout and stderr, merged as pod logs are). */
  output(line: string): void;
  /** A line of the client's own talk about the pod. */
  clientTalk(line: string): void;
}

export type NodeEndStatus = 'exited' | 'timed-out' | 'interrupted' | 'could-not-start';

export interface NodeEnd {
  status: NodeEndStatus;
  exitCode: number | null;
  /** The client's words that explain a failure, or why the pod could not start. */
  clientSaid: string | null;
  durationMs: number;
}

export interface NodeRunRequest {
  nodes: string[];
  command: string[];
  parallel: number;
  timeoutMs: number;
  signal: AbortSignal;
  /** Called as a node's pod starts: where its lines go. */
  start(node: string): NodeSink;
  /** Called once per started node. */
  end(node: string, end: NodeEnd): void | Promise<void>;
  onStatus?(text: string): void;
}

export interface NodeRunOutcome {
  namespace: string | null;
  /** Everything the run created is gone (or on its way: deletion was accepted). */
  cleanedUp: boolean;
  /** What the user should know about how the nodes were reached (a default image, say). */
  notices: RunnerNotice[];
}

/**
 * How the nodes' pods got their image, where the user should know: kubectl has no default debug
 * image (the support-tools one oc would use is taken); the cluster has no openshift/tools image
 * stream (the DaemonSet takes the support-tools image).
 */
export type RunnerNotice = { code: 'kubectl-default-image' } | { code: 'no-tools-image-stream'; image: string };

/** One client call of a run, for --dry-run. `node` is null for the run's own setup and teardown. */
export interface PlannedCall {
  node: string | null;
  argv: string[];
  stdin?: string;
  /**
   * A node's call as it is for any node: built with NODE_PLACEHOLDER as the node, so that only
   * the fields that hold the node's name say NODE (a node named `worker` or `crio` leaves the
   * image, the pod's other fields and the script alone).
   */
  template?: { argv: string[]; stdin?: string };
}

/** What a planned call shows where a node's name goes. */
export const NODE_PLACEHOLDER = 'NODE';

export interface NodeRunner {
  /** How nodes are reached, for messages: "oc debug", "kubectl debug". */
  readonly strategy: string;
  plan(nodes: string[], command: string[]): PlannedCall[];
  /** Starts the reads a run will need (an image to use, say) beside the caller's own; run waits for them. */
  prepare?(): void;
  run(request: NodeRunRequest): Promise<NodeRunOutcome>;
  /** What this run created and has not yet removed, e.g. `namespace/oc-icsp-x7k2p`. */
  pending(): string[];
  /** Stop waiting: leave the removal of what is pending to client calls that outlive us. */
  abandon(): void;
}

/** What differs between ways of running one pod per node. */
export interface PodStrategy {
  readonly name: string;
  readonly notices: RunnerNotice[];
  start(node: string, namespace: string, command: string[], handlers: StreamHandlers): RunningProcess;
  plan(node: string, namespace: string, command: string[]): PlannedCall[];
}

/** Each node's calls, each with its template: the same call made for NODE_PLACEHOLDER (built once). */
function withTemplates(nodes: string[], plan: (node: string) => PlannedCall[]): PlannedCall[] {
  if (nodes.length === 0) return [];
  const templates = plan(NODE_PLACEHOLDER).map(({ argv, stdin }) => ({ argv, stdin }));
  return nodes.flatMap((node) => plan(node).map((call, i) => ({ ...call, template: templates[i] })));
}

/** One pod per node, `parallel` at a time, in a namespace made for the run. */
export function podPerNodeRunner(oc: OcRunner, strategy: PodStrategy, clock: Clock = systemClock): NodeRunner {
  const namespace = new NamespaceLifecycle(oc);
  return {
    strategy: strategy.name,
    plan(nodes, command) {
      return [
        { node: null, argv: oc.commandLine(CREATE_FROM_STDIN), stdin: runNamespaceManifest('<run-id>') },
        ...withTemplates(nodes, (node) => strategy.plan(node, NAMESPACE_PLACEHOLDER, command)),
        { node: null, argv: oc.commandLine(deleteNamespaceArgs(NAMESPACE_PLACEHOLDER)) },
      ];
    },
    pending: () => namespace.pending(),
    abandon: () => namespace.abandon(),
    async run(request) {
      if (request.nodes.length === 0 || request.signal.aborted) return { namespace: null, cleanedUp: true, notices: [] };
      request.onStatus?.('creating a namespace for the node pods');
      const name = namespace.made(await createRunNamespace(oc, await newRunId()));
      const live = stopOnAbort(request.signal, clock);
      let cleanedUp: boolean;
      try {
        await forEachLimited(request.nodes, request.parallel, request.signal, (node) => runOne(strategy, name, node, request, live, clock));
      } finally {
        live.dispose();
        request.onStatus?.(`deleting namespace ${name}`);
        cleanedUp = await namespace.remove();
      }
      return { namespace: name, cleanedUp, notices: strategy.notices };
    },
  };
}

async function runOne(strategy: PodStrategy, namespace: string, node: string, request: NodeRunRequest, live: AbortStopper, clock: Clock): Promise<void> {
  const started = clock.now();
  const sink = request.start(node);
  const talk: string[] = [];
  const proc = strategy.start(node, namespace, request.command, {
    onStdoutLine: (line) => sink.output(line),
    onStderrLine(line) {
      talk.push(line);
      if (talk.length > TALK_TAIL) talk.shift();
      sink.clientTalk(line);
    },
  });
  const { end: exit, status } = await live.wait(proc, request.timeoutMs);
  await request.end(node, {
    status,
    exitCode: exit.exitCode,
    clientSaid: exit.failedToStart ?? summarizeClientTalk(talk),
    durationMs: clock.now() - started,
  });
}

/**
 * How a node's pod ended: its client could not start, the run's timeout stopped it, the interrupt
 * did, or it exited (the pod-per-node strategies' whole state: started, then one of these).
 */
export function podEndStatus(exit: ProcessEnd, timedOut: boolean, interrupted: boolean): NodeEndStatus {
  if (exit.failedToStart) return 'could-not-start';
  if (timedOut) return 'timed-out';
  return interrupted ? 'interrupted' : 'exited';
}

/** One node pod's run: running, stopping (its timeout or the interrupt came), ended with a status. */
export interface PodRun {
  phase: 'running' | 'stopping' | 'ended';
  timedOut: boolean;
  interrupted: boolean;
  status: NodeEndStatus | null;
}
export type PodEvent = { type: 'timeout' } | { type: 'interrupt' } | { type: 'exited'; exit: ProcessEnd };
export type PodAction = { type: 'stop' } | { type: 'end'; status: NodeEndStatus };

export const POD_STARTED: PodRun = { phase: 'running', timedOut: false, interrupted: false, status: null };

/** The pure step of a node pod's run: the first of the timeout and the interrupt stops it; its client's end ends it. */
export function podStep(run: PodRun, event: PodEvent): { run: PodRun; actions: PodAction[] } {
  if (run.phase === 'ended') return { run, actions: [] };
  if (event.type === 'exited') {
    const status = podEndStatus(event.exit, run.timedOut, run.interrupted);
    return { run: { ...run, phase: 'ended', status }, actions: [{ type: 'end', status }] };
  }
  if (run.phase === 'stopping') return { run, actions: [] };
  const stopping = { ...run, phase: 'stopping' as const, timedOut: event.type === 'timeout', interrupted: event.type === 'interrupt' };
  return { run: stopping, actions: [{ type: 'stop' }] };
}

export interface AbortStopper {
  /** Waits for p to end, stopping it at its deadline or when the signal aborts (podStep decides). */
  wait(p: RunningProcess, timeoutMs: number): Promise<{ end: ProcessEnd; timedOut: boolean; status: NodeEndStatus }>;
  dispose(): void;
}

/** Stops the processes it waits for when signal aborts: one listener for all of them, because an
 * AbortSignal warns past 10 listeners and --parallel runs more at once. */
export function stopOnAbort(signal: AbortSignal, clock: Clock = systemClock): AbortStopper {
  const live = new Set<(event: PodEvent) => void>();
  const stopAll = () => live.forEach((feed) => feed({ type: 'interrupt' }));
  signal.addEventListener('abort', stopAll);
  return {
    async wait(p, timeoutMs) {
      let run = POD_STARTED;
      const feed = (event: PodEvent) => {
        const step = podStep(run, event);
        run = step.run;
        for (const action of step.actions) if (action.type === 'stop') p.stop();
      };
      const cancel = clock.setTimer(timeoutMs, () => feed({ type: 'timeout' }));
      live.add(feed);
      try {
        const end = await p.done;
        feed({ type: 'exited', exit: end });
        return { end, timedOut: run.timedOut, status: run.status! };
      } finally {
        cancel();
        live.delete(feed);
      }
    },
    dispose: () => signal.removeEventListener('abort', stopAll),
  };
}

/** Runs work on each item, at most `limit` at once, starting no more once signal aborts. */
export async function forEachLimited<T>(items: T[], limit: number, signal: AbortSignal, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal.aborted) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * `--strategy auto`: a pod per node up to `threshold` nodes, DaemonSets above it. The choice
 * is made when the run starts, from the number of nodes it is given.
 */
export function autoRunner(small: NodeRunner, large: NodeRunner, threshold: number): NodeRunner {
  let chosen: NodeRunner | null = null;
  const pick = (nodes: number) => (chosen = nodes > threshold ? large : small);
  return {
    get strategy() {
      return chosen?.strategy ?? `auto (${small.strategy} up to ${threshold} nodes, else ${large.strategy})`;
    },
    plan: (nodes, command) => pick(nodes.length).plan(nodes, command),
    // Before the nodes are known: the large run's reads are the ones that delay it.
    prepare: () => large.prepare?.(),
    run: (request) => pick(request.nodes.length).run(request),
    pending: () => chosen?.pending() ?? [],
    abandon: () => chosen?.abandon(),
  };
}
