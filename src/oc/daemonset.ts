// Every node at once: one DaemonSet in the run's namespace puts a privileged pod on each
// selected node (tolerating every taint, so control-plane and infra nodes too), and one client
// process follows all their logs. A DaemonSet pod restarts when its command ends, so the command
// stays asleep after the node script: a node is done when its output says so (NodeSink.finished).
// The DaemonSet controller, not the user, creates the pods, so OpenShift's SCC admission checks
// the pods' service account (`default` in the run's namespace): a RoleBinding in that namespace to
// ClusterRole system:openshift:scc:privileged lets it use the privileged SCC, and goes with the
// namespace (openshift/apiserver-library-go pkg/securitycontextconstraints/sccadmission). A pod the
// API refuses shows only as a FailedCreate event on the DaemonSet
// (kubernetes pkg/controller/daemon/daemon_controller.go), which is read when pods are missing.
import { randomBytes } from 'node:crypto';
import { clientError } from './client-talk.js';
import { fallbackDebugImage, REQUIRED_SCC } from './kubectl-pod.js';
import { CREATE_FROM_STDIN, createRunNamespace, deleteNamespace, deleteNamespaceArgs, MANAGED_BY, NAMESPACE_PLACEHOLDER, RUN_ID_LABEL, runNamespaceManifest } from './namespace.js';
import type { NodeEnd, NodeRunner, NodeRunRequest, NodeSink, PlannedCall } from './node-runner.js';
import type { OcRunner, RunningProcess } from './runner.js';

const CONTAINER = 'probe';
const DAEMONSET = 'oc-icsp-probe';
/** Keeps the pod alive after the node script, so the DaemonSet does not run it again. */
const STAY = '"$@"; while :; do sleep 3600; done';

export interface DaemonSetOptions {
  image: string | undefined;
  /** How often pod states are read while pods start. */
  pollMs?: number;
}

export const PRIVILEGED_SCC_ROLE = 'system:openshift:scc:privileged';

/** The DaemonSet's service account may use the privileged SCC, in the run's namespace only. */
export function sccBinding(namespace: string, runId: string) {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'oc-icsp-privileged-scc', namespace, labels: { ...MANAGED_BY, [RUN_ID_LABEL]: runId } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: PRIVILEGED_SCC_ROLE },
    subjects: [{ kind: 'ServiceAccount', name: 'default', namespace }],
  };
}

/**
 * The binding and the DaemonSet, one JSON document after the other: one `create -f -` makes both,
 * in that order, each validated on the server (a List would be validated on the client against
 * /openapi/v2 instead, k8s.io/cli-runtime pkg/resource/query_param_verifier_v3.go).
 */
export function runObjectsManifest(runId: string, namespace: string, nodes: string[], image: string, command: string[]): string {
  return `${JSON.stringify(sccBinding(namespace, runId))}\n${daemonSetManifest(runId, namespace, nodes, image, command)}\n`;
}

export function daemonSetManifest(runId: string, namespace: string, nodes: string[], image: string, command: string[]): string {
  const labels = { ...MANAGED_BY, [RUN_ID_LABEL]: runId };
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: DAEMONSET, namespace, labels },
    spec: {
      selector: { matchLabels: { [RUN_ID_LABEL]: runId } },
      template: {
        metadata: { labels, annotations: { [REQUIRED_SCC]: 'privileged' } },
        spec: {
          hostPID: true,
          hostNetwork: true,
          // Every taint: control-plane, infra and NoExecute taints alike.
          tolerations: [{ operator: 'Exists' }],
          // Exactly the selected nodes (-l or --nodes, Ready ones), by name.
          affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: nodes }] }] } } },
          // No priority class: a probe never preempts a workload on a full node.
          terminationGracePeriodSeconds: 0,
          volumes: [{ name: 'host', hostPath: { path: '/' } }],
          containers: [
            {
              name: CONTAINER,
              image,
              command: ['/bin/sh', '-c', STAY, 'oc-icsp-probe', ...command],
              securityContext: { privileged: true, runAsUser: 0 },
              volumeMounts: [{ name: 'host', mountPath: '/host' }],
            },
          ],
        },
      },
    },
  });
}

export const podsArgs = (namespace: string, runId: string) => ['get', 'pods', '-n', namespace, `--selector=${RUN_ID_LABEL}=${runId}`, '-o', 'json'];
/**
 * Every pod's log, from its first line: picking pods by selector, kubectl asks for only the last
 * 10 lines unless told (--tail's default, staging/src/k8s.io/kubectl/pkg/cmd/logs/logs.go).
 */
export const followAllArgs = (namespace: string, runId: string, nodes: number) => [
  'logs', '-f', '-n', namespace, `--selector=${RUN_ID_LABEL}=${runId}`, '--tail=-1', '--prefix', '--all-containers', '--ignore-errors', `--max-log-requests=${Math.max(nodes, 1)}`,
];
export const followOneArgs = (namespace: string, pod: string) => ['logs', '-f', '-n', namespace, `pod/${pod}`, '--prefix', '-c', CONTAINER];
export const deleteDaemonSetArgs = (namespace: string) => ['delete', 'daemonset', DAEMONSET, '-n', namespace, '--ignore-not-found', '--wait=false'];
export const FAILED_CREATE_ARGS = (namespace: string) => [
  'get', 'events', '-n', namespace, `--field-selector=involvedObject.kind=DaemonSet,involvedObject.name=${DAEMONSET},reason=FailedCreate`, '-o', 'json',
];
export const NODE_NAMES_ARGS = ['get', 'nodes', '-o', 'name'];
export const TOOLS_IMAGE_ARGS = ['get', 'imagestreamtag', 'tools:latest', '-n', 'openshift', '-o', 'jsonpath={.image.dockerImageReference}'];

interface PodState {
  name: string;
  node: string;
  running: boolean;
  /** Why it is not running: a waiting reason, or the scheduler's. */
  problem: string | null;
}

export function daemonSetRunner(oc: OcRunner, options: DaemonSetOptions): NodeRunner {
  let namespace: string | null = null;
  let gone = false;
  return {
    strategy: 'daemonset',
    plan(nodes, command) {
      const runId = '<run-id>';
      return [
        { node: null, argv: oc.commandLine(CREATE_FROM_STDIN), stdin: runNamespaceManifest(runId) },
        { node: null, argv: oc.commandLine(CREATE_FROM_STDIN), stdin: runObjectsManifest(runId, NAMESPACE_PLACEHOLDER, nodes, options.image ?? '<the openshift/tools image>', command) },
        { node: null, argv: oc.commandLine(followAllArgs(NAMESPACE_PLACEHOLDER, runId, nodes.length)) },
        { node: null, argv: oc.commandLine(deleteDaemonSetArgs(NAMESPACE_PLACEHOLDER)) },
        { node: null, argv: oc.commandLine(deleteNamespaceArgs(NAMESPACE_PLACEHOLDER)) },
      ] satisfies PlannedCall[];
    },
    pending: () => (namespace && !gone ? [`namespace/${namespace}`] : []),
    abandon() {
      if (namespace && !gone) oc.runDetached(deleteNamespaceArgs(namespace));
    },
    async run(request) {
      if (request.nodes.length === 0 || request.signal.aborted) return { namespace: null, cleanedUp: true, notices: [] };
      const notices: string[] = [];
      const runId = randomBytes(4).toString('hex');
      request.onStatus?.('creating a namespace and a DaemonSet');
      const [image, created] = await Promise.allSettled([podImage(oc, options, notices), createRunNamespace(oc, runId)]);
      if (created.status === 'rejected') throw created.reason;
      namespace = created.value;
      try {
        if (image.status === 'rejected') throw image.reason;
        const made = await oc.run(CREATE_FROM_STDIN, { input: runObjectsManifest(runId, namespace, request.nodes, image.value, request.command) });
        if (made.exitCode !== 0) throw clientError(oc, 'create the DaemonSet and its SCC binding', made);
        await followAll(oc, namespace, runId, request, options.pollMs ?? 250);
      } finally {
        request.onStatus?.(`deleting namespace ${namespace}`);
        await oc.run(deleteDaemonSetArgs(namespace));
        gone = await deleteNamespace(oc, namespace);
      }
      return { namespace, cleanedUp: gone, notices };
    },
  };
}

/**
 * --image, else the cluster's tools image stream, else the support-tools image, as oc debug picks
 * them (openshift/oc pkg/cli/debug/debug.go); with either client, since the pods are ours.
 */
async function podImage(oc: OcRunner, options: DaemonSetOptions, notices: string[]): Promise<string> {
  if (options.image) return options.image;
  const found = await oc.run(TOOLS_IMAGE_ARGS);
  const image = found.exitCode === 0 ? found.stdout.trim() : '';
  if (image) return image;
  const fallback = await fallbackDebugImage(oc);
  notices.push(`no openshift/tools image stream: the DaemonSet uses ${fallback}, as oc debug would; pass --image where it is not mirrored`);
  return fallback;
}

/** Reads pod states, follows logs, ends each node once, stops everything at the end. */
async function followAll(oc: OcRunner, namespace: string, runId: string, request: NodeRunRequest, pollMs: number): Promise<void> {
  const started = Date.now();
  const sinks = new Map<string, NodeSink>(request.nodes.map((n) => [n, request.start(n)]));
  const podToNode = new Map<string, string>();
  const followed = new Set<string>();
  const ended = new Set<string>();
  const lastState = new Map<string, PodState>();
  const processes: RunningProcess[] = [];
  let wake: () => void = () => {};

  const end = async (node: string, e: Omit<NodeEnd, 'durationMs'>) => {
    if (ended.has(node)) return;
    ended.add(node);
    await request.end(node, { ...e, durationMs: Date.now() - started });
    wake();
  };
  const route = {
    onStdoutLine(line: string) {
      const m = /^\[pod\/([^/\]]+)\/[^\]]+\] ?(.*)$/.exec(line);
      const node = m ? podToNode.get(m[1]!) : undefined;
      if (!m || !node) {
        if (line.trim()) for (const s of sinks.values()) s.clientTalk(line);
        return;
      }
      const sink = sinks.get(node)!;
      sink.output(m[2]!);
      if (sink.finished()) void end(node, { status: 'exited', exitCode: 0, clientSaid: null });
    },
    onStderrLine(line: string) {
      if (line.trim()) for (const s of sinks.values()) s.clientTalk(line);
    },
  };
  const onAbort = () => wake();
  request.signal.addEventListener('abort', onAbort);
  // The controller needs a moment to make the pods; its refusals are read after that.
  let nextEventRead = started + 1500;
  try {
    let firstFollow = true;
    while (ended.size < request.nodes.length && !request.signal.aborted) {
      const pods = await readPods(oc, namespace, runId);
      for (const p of pods) {
        podToNode.set(p.name, p.node);
        lastState.set(p.node, p);
      }
      const running = pods.filter((p) => p.running && !followed.has(p.name) && !ended.has(p.node));
      const settled = pods.length >= request.nodes.length && pods.every((p) => p.running || p.problem);
      // Logs are read from the start whenever followed, so waiting for the pods to settle loses
      // nothing and keeps it to one client process; stragglers are followed one by one.
      const patience = Math.min(request.timeoutMs / 3, 30_000);
      if (firstFollow && running.length > 0 && (settled || Date.now() - started > patience)) {
        // One client process for every pod running now; later ones are followed one by one.
        firstFollow = false;
        for (const p of running) followed.add(p.name);
        processes.push(oc.stream(followAllArgs(namespace, runId, request.nodes.length), route));
      } else if (!firstFollow) {
        for (const p of running) {
          followed.add(p.name);
          processes.push(oc.stream(followOneArgs(namespace, p.name), route));
        }
      }
      const podless = request.nodes.filter((n) => !ended.has(n) && !lastState.has(n));
      if (podless.length > 0 && Date.now() >= nextEventRead) {
        nextEventRead = Date.now() + 1000;
        const refused = await refusedPods(oc, namespace, podless, Date.now() - started > 5000);
        for (const [node, said] of refused) await end(node, { status: 'could-not-start', exitCode: null, clientSaid: said });
      }
      for (const node of request.nodes) {
        if (ended.has(node) || Date.now() - started < request.timeoutMs) continue;
        const state = lastState.get(node);
        const said = state
          ? (state.problem ?? (state.running ? null : 'the pod is still Pending'))
          : 'no pod was created for the node (a quota or an admission webhook refused it, or the node is gone): see the DaemonSet\'s events';
        await end(node, { status: 'timed-out', exitCode: null, clientSaid: said });
      }
      // Pod states are read often while pods start, then seldom: the log stream carries the rest.
      const wait = followed.size >= request.nodes.length - ended.size ? pollMs * 8 : pollMs;
      if (ended.size < request.nodes.length) await new Promise<void>((resolve) => ((wake = resolve), setTimeout(resolve, wait)));
    }
  } finally {
    request.signal.removeEventListener('abort', onAbort);
    for (const p of processes) p.stop();
    await Promise.all(processes.map((p) => p.done));
    for (const node of request.nodes) if (!ended.has(node)) await end(node, { status: 'interrupted', exitCode: null, clientSaid: null });
  }
}

async function readPods(oc: OcRunner, namespace: string, runId: string): Promise<PodState[]> {
  const result = await oc.run(podsArgs(namespace, runId));
  if (result.exitCode !== 0) return [];
  let items: Record<string, unknown>[];
  try {
    items = JSON.parse(result.stdout).items ?? [];
  } catch {
    return [];
  }
  return items.flatMap((item) => {
    const metadata = (item.metadata ?? {}) as { name?: string };
    const spec = (item.spec ?? {}) as { nodeName?: string; affinity?: unknown };
    const status = (item.status ?? {}) as {
      phase?: string;
      conditions?: { type: string; status: string; reason?: string; message?: string }[];
      containerStatuses?: { state?: { running?: unknown; waiting?: { reason?: string; message?: string } } }[];
    };
    const node = spec.nodeName ?? nodeFromAffinity(spec.affinity);
    if (!metadata.name || !node) return [];
    const container = status.containerStatuses?.[0]?.state;
    const waiting = container?.waiting;
    const unschedulable = status.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    const problem = waiting?.reason && waiting.reason !== 'ContainerCreating'
      ? [waiting.reason, waiting.message].filter(Boolean).join(': ')
      : unschedulable
        ? [unschedulable.reason, unschedulable.message].filter(Boolean).join(': ')
        : null;
    return [{ name: metadata.name, node, running: Boolean(container?.running), problem }];
  });
}

// A DaemonSet pod not yet bound names its node in its own affinity (the controller pins each pod).
function nodeFromAffinity(affinity: unknown): string | undefined {
  const terms = (affinity as { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: { matchFields?: { values?: string[] }[] }[] } } })?.nodeAffinity
    ?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  const values = terms?.[0]?.matchFields?.[0]?.values;
  return values?.length === 1 ? values[0] : undefined;
}

/**
 * Nodes that will get no pod, and why: the API refused the controller's pods (its FailedCreate
 * event, `Error creating: pods "NAME-" is forbidden: ...`), or the node is gone. Read only while
 * pods are missing.
 */
export async function refusedPods(oc: OcRunner, namespace: string, podless: string[], askNodes: boolean): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const events = await oc.run(FAILED_CREATE_ARGS(namespace));
  let message: string | null = null;
  try {
    const items = (JSON.parse(events.stdout).items ?? []) as { message?: string; lastTimestamp?: string }[];
    message = items.sort((a, b) => (a.lastTimestamp ?? '').localeCompare(b.lastTimestamp ?? '')).at(-1)?.message ?? null;
  } catch {
    // no events to read
  }
  if (!message && !askNodes) return found;
  const names = await oc.run(NODE_NAMES_ARGS);
  const existing = new Set(names.stdout.split('\n').map((l) => l.trim().replace(/^node\//, '')).filter(Boolean));
  for (const node of podless) {
    if (names.exitCode === 0 && !existing.has(node)) found.set(node, `the node is gone: nodes "${node}" not found`);
    else if (message) found.set(node, `the DaemonSet controller could not create the pod: ${message}`);
  }
  return found;
}
