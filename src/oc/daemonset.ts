// Every node at once: DaemonSets in the run's namespace put a privileged pod on each selected
// node (tolerating every taint, so control-plane and infra nodes too); one watch follows the
// pods' states, and one log follower per shard of pods follows their output. A DaemonSet pod
// restarts when its command ends, so the command stays asleep after the node script: a node is
// done when its output says so (NodeSink.finished).
// The DaemonSet controller, not the user, creates the pods, so OpenShift's SCC admission checks
// the pods' service account (`default` in the run's namespace): a RoleBinding in that namespace to
// ClusterRole system:openshift:scc:privileged lets it use the privileged SCC, and goes with the
// namespace (openshift/apiserver-library-go pkg/securitycontextconstraints/sccadmission). A pod the
// API refuses shows only as a FailedCreate event on its DaemonSet
// (kubernetes pkg/controller/daemon/daemon_controller.go), which is read when pods are missing.
import { clientError } from './client-talk.js';
import {
  deleteDaemonSetsArgs, followOneArgs, followShardArgs, runNamespaceName, runObjectsManifest, shardsOf, TOOLS_IMAGE_ARGS, watchPodsArgs,
} from './daemonset-objects.js';
import { type PodState, podStateLine, refusedPods } from './daemonset-pods.js';
import { fallbackDebugImage } from './kubectl-pod.js';
import { CREATE_FROM_STDIN, deleteNamespaceArgs, NamespaceLifecycle, newRunId } from './namespace.js';
import type { NodeEnd, NodeRunner, NodeRunRequest, NodeSink, PlannedCall } from './node-runner.js';
import type { OcRunner, RunningProcess, StreamHandlers } from './runner.js';

export interface DaemonSetOptions {
  image: string | undefined;
  /** How often the run looks at its pods' states while they start. */
  pollMs?: number;
}

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
        ...shardsOf(nodes).map((shard, i) => ({ node: null, argv: oc.commandLine(followShardArgs(ns, runId, i, shard.length)) })),
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

/** Follows the pods' states and logs, ends each node once, stops everything at the end. */
async function followAll(oc: OcRunner, namespace: string, runId: string, request: NodeRunRequest, pollMs: number): Promise<void> {
  const started = Date.now();
  const shards = shardsOf(request.nodes);
  const shardOf = new Map(shards.flatMap((shard, i) => shard.map((node) => [node, i] as const)));
  const sinks = new Map<string, NodeSink>(request.nodes.map((n) => [n, request.start(n)]));
  const podToNode = new Map<string, string>();
  const states = new Map<string, PodState>();
  const followed = new Set<string>();
  const shardFollowed = new Set<number>();
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
  const route: StreamHandlers = {
    onStdoutLine(line) {
      const m = /^\[pod\/([^/\]]+)\/[^\]]+\] ?(.*)$/.exec(line);
      const node = m ? podToNode.get(m[1]!) : undefined;
      if (!m || !node) return toEveryNode(line);
      const sink = sinks.get(node)!;
      sink.output(m[2]!);
      if (sink.finished()) void end(node, { status: 'exited', exitCode: 0, clientSaid: null });
    },
    onStderrLine: toEveryNode,
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
        wake();
      },
      onStderrLine: toEveryNode,
    });
    void watch.done.then(() => ((watchEnded = true), wake()));
    processes.push(watch);
  };
  const onAbort = () => wake();
  request.signal.addEventListener('abort', onAbort);
  // The controller needs a moment to make the pods; its refusals are read after that.
  let nextEventRead = started + 1500;
  try {
    startWatch();
    while (ended.size < request.nodes.length && !request.signal.aborted) {
      if (watchEnded && Date.now() - watchStarted > 1000) startWatch();
      // Logs are read from the start whenever followed, so waiting for a shard's pods to settle
      // loses nothing and keeps it to one client process a shard; stragglers are followed one by one.
      const patience = Math.min(request.timeoutMs / 3, 30_000);
      shards.forEach((shard, i) => {
        const pods = shard.map((n) => states.get(n)).filter((p): p is PodState => Boolean(p));
        const running = pods.filter((p) => p.running && !followed.has(p.name) && !ended.has(p.node));
        if (running.length === 0) return;
        if (!shardFollowed.has(i)) {
          const settled = pods.length >= shard.length && pods.every((p) => p.running || p.problem);
          if (!settled && Date.now() - started <= patience) return;
          shardFollowed.add(i);
          for (const p of running) followed.add(p.name);
          processes.push(oc.stream(followShardArgs(namespace, runId, i, shard.length), route));
          return;
        }
        for (const p of running) {
          followed.add(p.name);
          processes.push(oc.stream(followOneArgs(namespace, p.name), route));
        }
      });
      const podless = request.nodes.filter((n) => !ended.has(n) && !states.has(n));
      if (podless.length > 0 && Date.now() >= nextEventRead) {
        nextEventRead = Date.now() + 1000;
        const refused = await refusedPods(oc, namespace, podless, (n) => shardOf.get(n)!, Date.now() - started > 5000);
        for (const [node, said] of refused) await end(node, { status: 'could-not-start', exitCode: null, clientSaid: said });
      }
      for (const node of request.nodes) {
        if (ended.has(node) || Date.now() - started < request.timeoutMs) continue;
        const state = states.get(node);
        const said = state
          ? (state.problem ?? (state.running ? null : 'the pod is still Pending'))
          : 'no pod was created for the node (a quota or an admission webhook refused it, or the node is gone): see the DaemonSet\'s events';
        await end(node, { status: 'timed-out', exitCode: null, clientSaid: said });
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
