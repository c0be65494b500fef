// Every node at once: DaemonSets in the run's namespace put a privileged pod on each selected
// node (tolerating every taint, so control-plane and infra nodes too). The node script runs in
// the pod's init container and reports in its termination message, which the one pod watch
// delivers: no log is read unless a report is too long for it (then the probe's log), or the run
// times out (what the late probes have logged so far). A DaemonSet pod restarts what ends, so
// the pod's one container only stays.
// The DaemonSet controller, not the user, creates the pods, so OpenShift's SCC admission checks
// the pods' service account (`default` in the run's namespace): a RoleBinding in that namespace to
// ClusterRole system:openshift:scc:privileged lets it use the privileged SCC, and goes with the
// namespace (openshift/apiserver-library-go pkg/securitycontextconstraints/sccadmission). A pod the
// API refuses shows only as a FailedCreate event on its DaemonSet
// (kubernetes pkg/controller/daemon/daemon_controller.go), which is read when pods are missing.
import { clientError } from './client-talk.js';
import {
  deleteDaemonSetsArgs, probeLogArgs, runNamespaceName, runObjectsManifest, shardLogArgs, shardsOf, TOOLS_IMAGE_ARGS, watchPodsArgs,
} from './daemonset-objects.js';
import { type PodState, podStateLine, probeReport, refusedPods } from './daemonset-pods.js';
import { fallbackDebugImage } from './kubectl-pod.js';
import { CREATE_FROM_STDIN, deleteNamespaceArgs, NamespaceLifecycle, newRunId } from './namespace.js';
import type { NodeEnd, NodeRunner, NodeRunRequest, NodeSink, PlannedCall } from './node-runner.js';
import type { OcRunner, RunningProcess, StreamHandlers } from './runner.js';

export interface DaemonSetOptions {
  image: string | undefined;
  /** How often the run looks at its pods' states while they start. */
  pollMs?: number;
}

/** How long a probe that ended without a report waits for the rest of its shard before its log is read. */
const SHARD_PATIENCE_MS = 3000;
/** How long the late probes' logs are read for at the timeout. */
const LATE_READ_MS = 10_000;

export function daemonSetRunner(oc: OcRunner, options: DaemonSetOptions): NodeRunner {
  const namespace = new NamespaceLifecycle(oc);
  let image: Promise<ChosenImage> | undefined;
  const chooseImage = () => (image ??= podImage(oc, options));
  return {
    strategy: 'daemonset',
    plan(nodes, command) {
      const runId = '<run-id>';
      const ns = runNamespaceName(runId);
      return [
        { node: null, argv: oc.commandLine(CREATE_FROM_STDIN), stdin: runObjectsManifest(runId, nodes, options.image ?? '<the openshift/tools image>', command) },
        { node: null, argv: oc.commandLine(watchPodsArgs(ns, runId)) },
        { node: null, argv: oc.commandLine(deleteDaemonSetsArgs(ns, runId)) },
        { node: null, argv: oc.commandLine(deleteNamespaceArgs(ns)) },
      ] satisfies PlannedCall[];
    },
    pending: () => namespace.pending(),
    abandon: () => namespace.abandon(),
    prepare: () => void chooseImage(),
    async run(request) {
      if (request.nodes.length === 0 || request.signal.aborted) return { namespace: null, cleanedUp: true, notices: [] };
      const runId = await newRunId();
      request.onStatus?.('creating a namespace and the DaemonSets');
      const { image, notices } = await chooseImage();
      // Named before it exists: whatever happens from here, the finally removes it.
      const name = namespace.made(runNamespaceName(runId));
      let cleanedUp: boolean;
      try {
        const made = await oc.run(CREATE_FROM_STDIN, { input: runObjectsManifest(runId, request.nodes, image, request.command) });
        if (made.exitCode !== 0) throw clientError(oc, 'create the namespace, the DaemonSets and their SCC binding', made);
        await followAll(oc, name, runId, request, options.pollMs ?? 250);
      } finally {
        request.onStatus?.(`deleting namespace ${name}`);
        // The DaemonSets go at once, so their pods stop while the namespace is being emptied.
        [, cleanedUp] = await Promise.all([oc.run(deleteDaemonSetsArgs(name, runId)), namespace.remove()]);
      }
      return { namespace: name, cleanedUp, notices };
    },
  };
}

/**
 * --image, else the cluster's tools image stream, else the support-tools image, as oc debug picks
 * them (openshift/oc pkg/cli/debug/debug.go); with either client, since the pods are ours.
 */
interface ChosenImage {
  image: string;
  notices: string[];
}

async function podImage(oc: OcRunner, options: DaemonSetOptions): Promise<ChosenImage> {
  if (options.image) return { image: options.image, notices: [] };
  const found = await oc.run(TOOLS_IMAGE_ARGS);
  const image = found.exitCode === 0 ? found.stdout.trim() : '';
  if (image) return { image, notices: [] };
  const fallback = await fallbackDebugImage(oc);
  return { image: fallback, notices: [`no openshift/tools image stream: the DaemonSet uses ${fallback}, as oc debug would; pass --image where it is not mirrored`] };
}

/**
 * Follows the pods' states and ends each node once: with its probe's report when the probe has
 * ended (its log when the report did not fit), and at the timeout with what it has logged so far.
 */
async function followAll(oc: OcRunner, namespace: string, runId: string, request: NodeRunRequest, pollMs: number): Promise<void> {
  const started = Date.now();
  const shards = shardsOf(request.nodes);
  const shardOf = new Map(shards.flatMap((shard, i) => shard.map((node) => [node, i] as const)));
  const sinks = new Map<string, NodeSink>(request.nodes.map((n) => [n, request.start(n)]));
  const podToNode = new Map<string, string>();
  const states = new Map<string, PodState>();
  /** Nodes whose probe's log is being read. */
  const reading = new Set<string>();
  const ended = new Set<string>();
  const processes: RunningProcess[] = [];
  let wake: () => void = () => {};

  const end = async (node: string, e: Omit<NodeEnd, 'durationMs'>) => {
    if (ended.has(node)) return;
    ended.add(node);
    await request.end(node, { ...e, durationMs: Date.now() - started });
    wake();
  };
  const toEveryNode = (line: string) => {
    if (line.trim()) for (const s of sinks.values()) s.clientTalk(line);
  };
  // A prefixed line of a log read ([pod/NAME/CONTAINER] text) goes to the pod's node.
  const logLines = (talk: (line: string) => void): StreamHandlers => ({
    onStdoutLine(line) {
      const m = /^\[pod\/([^/\]]+)\/[^\]]+\] ?(.*)$/.exec(line);
      const node = m ? podToNode.get(m[1]!) : undefined;
      if (!m || !node) return talk(line);
      if (!ended.has(node)) sinks.get(node)!.output(m[2]!);
    },
    onStderrLine: talk,
  });
  // A probe that ended without a report in its message (its output too long) is read from its
  // log: once per shard when the shard's probes have ended or it has waited long enough (one
  // client process, kubectl's requests one after another), else on its own.
  const unreported = new Map<string, { pod: string; exitCode: number; since: number }>();
  const shardRead = new Set<number>();
  const probeEnded = (pod: PodState) => {
    if (ended.has(pod.node) || reading.has(pod.node) || unreported.has(pod.node)) return;
    const report = probeReport(pod.ended!.message);
    if (!report) return void unreported.set(pod.node, { pod: pod.name, exitCode: pod.ended!.exitCode, since: Date.now() });
    const sink = sinks.get(pod.node)!;
    for (const line of report.lines) sink.output(line);
    void end(pod.node, { status: 'exited', exitCode: report.exitCode, clientSaid: null });
  };
  const readLogs = (args: string[], nodes: string[], talk: (line: string) => void) => {
    for (const n of nodes) reading.add(n);
    const log = oc.stream(args, logLines(talk));
    processes.push(log);
    void log.done.then(async () => {
      for (const n of nodes) await end(n, { status: 'exited', exitCode: unreported.get(n)!.exitCode, clientSaid: null });
    });
  };
  const readUnreported = () => {
    shards.forEach((shard, i) => {
      const waiting = shard.filter((n) => unreported.has(n) && !reading.has(n));
      if (waiting.length === 0) return;
      if (shardRead.has(i)) {
        for (const n of waiting) readLogs(probeLogArgs(namespace, unreported.get(n)!.pod), [n], (line) => line.trim() && sinks.get(n)!.clientTalk(line));
        return;
      }
      const settled = shard.every((n) => ended.has(n) || unreported.has(n) || states.get(n)?.problem);
      if (!settled && Date.now() - Math.min(...waiting.map((n) => unreported.get(n)!.since)) < SHARD_PATIENCE_MS) return;
      shardRead.add(i);
      readLogs(shardLogArgs(namespace, runId, i), waiting, toEveryNode);
    });
  };
  // The watch ends only if the client or the API server ends it: then it is started again.
  let watchEnded = false;
  let watchStarted = 0;
  const startWatch = () => {
    watchStarted = Date.now();
    watchEnded = false;
    const watch = oc.stream(watchPodsArgs(namespace, runId), {
      onStdoutLine(line) {
        const pod = podStateLine(line);
        if (!pod || !shardOf.has(pod.node)) return;
        podToNode.set(pod.name, pod.node);
        states.set(pod.node, pod);
        if (pod.ended) probeEnded(pod);
        wake();
      },
      onStderrLine: toEveryNode,
    });
    void watch.done.then(() => ((watchEnded = true), wake()));
    processes.push(watch);
  };
  // What the probes still running at the timeout have logged, one read a shard, for a few
  // seconds at most (a node's kubelet may not answer).
  const readSoFar = async (nodes: string[]) => {
    const running = nodes.filter((n) => (states.get(n)?.running || unreported.has(n)) && !reading.has(n));
    const reads = [...new Set(running.map((n) => shardOf.get(n)!))].map((i) => oc.stream(shardLogArgs(namespace, runId, i), logLines(toEveryNode)));
    processes.push(...reads);
    let bound: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(reads.map((r) => r.done)), new Promise((resolve) => (bound = setTimeout(resolve, LATE_READ_MS)))]);
    clearTimeout(bound);
  };
  const onAbort = () => wake();
  request.signal.addEventListener('abort', onAbort);
  // The controller needs a moment to make the pods; its refusals are read after that.
  let nextEventRead = started + 1500;
  try {
    startWatch();
    while (ended.size < request.nodes.length && !request.signal.aborted) {
      if (watchEnded && Date.now() - watchStarted > 1000) startWatch();
      readUnreported();
      const podless = request.nodes.filter((n) => !ended.has(n) && !states.has(n));
      if (podless.length > 0 && Date.now() >= nextEventRead) {
        nextEventRead = Date.now() + 1000;
        const refused = await refusedPods(oc, namespace, podless, (n) => shardOf.get(n)!, Date.now() - started > 5000);
        for (const [node, said] of refused) await end(node, { status: 'could-not-start', exitCode: null, clientSaid: said });
      }
      if (Date.now() - started >= request.timeoutMs) {
        const late = request.nodes.filter((n) => !ended.has(n));
        await readSoFar(late);
        for (const node of late) {
          // Its probe has ended, its log just read.
          if (unreported.has(node)) {
            await end(node, { status: 'exited', exitCode: unreported.get(node)!.exitCode, clientSaid: null });
            continue;
          }
          const state = states.get(node);
          const said = state
            ? (state.problem ?? (state.running || state.ended ? null : 'the pod is still Pending'))
            : 'no pod was created for the node (a quota or an admission webhook refused it, or the node is gone): see the DaemonSet\'s events';
          await end(node, { status: 'timed-out', exitCode: null, clientSaid: said });
        }
      }
      if (ended.size < request.nodes.length) await new Promise<void>((resolve) => ((wake = resolve), setTimeout(resolve, pollMs)));
    }
  } finally {
    request.signal.removeEventListener('abort', onAbort);
    for (const p of processes) p.stop();
    await Promise.all(processes.map((p) => p.done));
    for (const node of request.nodes) if (!ended.has(node)) await end(node, { status: 'interrupted', exitCode: null, clientSaid: null });
  }
}
