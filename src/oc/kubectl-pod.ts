// The kubectl way: `kubectl debug` neither waits, nor streams, nor deletes, so we create the
// debug pod ourselves, wait for its container, follow its logs, and delete it. Same pod shape as
// `oc debug node/N`. `kubectl logs -f pod/X` does not wait for a named pod: while the container
// waits, the API answers 400 "is waiting to start" (kubernetes staging/src/k8s.io/kubectl/pkg/
// polymorphichelpers/logsforobject.go; pkg/kubelet/kubelet_pods.go validateContainerLogStatus),
// so the pod is watched until its container runs or has ended first.
import { clientError } from './client-talk.js';
import { serverKubeMinor } from './cluster.js';
import { type ContainerState, hostPodSpec, REQUIRED_SCC, stuckContainer } from './host-pod.js';
import { CREATE_FROM_STDIN, MANAGED_BY } from './namespace.js';
import type { DebugRequest } from './oc-debug.js';
import type { PlannedCall, PodStrategy } from './node-runner.js';
import { type OcRunner, type ProcessEnd, type RunningProcess, type StreamHandlers } from './runner.js';

/** What oc falls back to for node debugging (openshift/oc pkg/cli/debug, release-4.16 and later). */
export const DEFAULT_NODE_DEBUG_IMAGE = 'registry.redhat.io/rhel9/support-tools';
/** ... and on release-4.11 to release-4.15 (commit 9e11d6430 moved it to rhel9). */
export const RHEL8_NODE_DEBUG_IMAGE = 'registry.redhat.io/rhel8/support-tools';

/**
 * The support-tools image oc debug of the cluster's release falls back to: rhel8 up to
 * OpenShift 4.15 (Kubernetes 1.28), rhel9 from 4.16. The release is read from the server's
 * Kubernetes version; unknown, it is the current one.
 */
export async function fallbackDebugImage(client: OcRunner): Promise<string> {
  const minor = await serverKubeMinor(client);
  return minor !== null && minor <= 28 ? RHEL8_NODE_DEBUG_IMAGE : DEFAULT_NODE_DEBUG_IMAGE;
}
const CONTAINER = 'container-00';
// kubectl waits this long for the container to run; our own --timeout is the real bound.
const POD_RUNNING_TIMEOUT = '15m';

export function nodePodManifest({ node, namespace, image, command }: DebugRequest): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${node.replaceAll('.', '')}-icsp-`,
      namespace,
      labels: { ...MANAGED_BY },
      // openshift.io/required-scc: no higher-priority custom SCC is picked (as oc 4.15+ does, openshift/oc#1763).
      annotations: { 'debug.openshift.io/source-resource': `/v1, Resource=nodes/${node}`, [REQUIRED_SCC]: 'privileged' },
    },
    spec: withHostEnv({ ...hostPodSpec({ container: CONTAINER, image: image ?? DEFAULT_NODE_DEBUG_IMAGE, command }), nodeName: node, hostIPC: true, restartPolicy: 'Never' }),
  });
}

// oc debug tells the container where the host is.
function withHostEnv<S extends ReturnType<typeof hostPodSpec>>(spec: S): S {
  return { ...spec, containers: spec.containers.map((c) => ({ ...c, env: [{ name: 'HOST', value: '/host' }] })) };
}

/** One line per change of the container's state, as JSON (kubectl get --watch). */
export function watchContainerArgs(pod: string, namespace: string): string[] {
  return ['get', 'pod', pod, '-n', namespace, '--watch', '-o', 'jsonpath={.status.containerStatuses[0].state}{"\\n"}'];
}

export type ContainerProgress = { kind: 'started' } | { kind: 'stuck'; said: string } | { kind: 'waiting' };

/** What one watched state line says: started (running or ended), stuck for good, or not yet. */
export function containerProgress(line: string): ContainerProgress {
  let state: ContainerState;
  try {
    state = JSON.parse(line);
  } catch {
    return { kind: 'waiting' };
  }
  if (state?.running || state?.terminated) return { kind: 'started' };
  const said = stuckContainer(CONTAINER, state);
  return said ? { kind: 'stuck', said } : { kind: 'waiting' };
}

export function followLogsArgs(pod: string, namespace: string): string[] {
  return ['logs', '-f', `pod/${pod}`, '-n', namespace, '-c', CONTAINER, `--pod-running-timeout=${POD_RUNNING_TIMEOUT}`];
}

export function deletePodArgs(pod: string, namespace: string): string[] {
  return ['delete', 'pod', pod, '-n', namespace, '--wait=false', '--ignore-not-found'];
}

export function getPodArgs(pod: string, namespace: string): string[] {
  return ['get', 'pod', pod, '-n', namespace, '-o', 'json'];
}

export function kubectlPodStrategy(kubectl: OcRunner, image: string | undefined): PodStrategy {
  let fallback: Promise<string> | undefined;
  const podImage = () => (image ? Promise.resolve(image) : (fallback ??= fallbackDebugImage(kubectl)));
  return {
    name: 'kubectl pods',
    notices: image ? [] : [{ code: 'kubectl-default-image' }],
    start: (node, namespace, command, handlers) => deferred(podImage().then((chosen) => runNodePod(kubectl, { node, namespace, image: chosen, command }, handlers))),
    plan(node, namespace, command): PlannedCall[] {
      const pod = `${node.replaceAll('.', '')}-icsp-<generated>`;
      return [
        { node, argv: kubectl.commandLine(CREATE_FROM_STDIN), stdin: nodePodManifest({ node, namespace, image, command }) },
        { node, argv: kubectl.commandLine(watchContainerArgs(pod, namespace)) },
        { node, argv: kubectl.commandLine(followLogsArgs(pod, namespace)) },
        { node, argv: kubectl.commandLine(deletePodArgs(pod, namespace)) },
      ];
    },
  };
}

/** A process known only once a promise settles: stop() before then stops it as soon as it starts. */
function deferred(pending: Promise<RunningProcess>): RunningProcess {
  let stopped = false;
  let proc: RunningProcess | undefined;
  void pending.then((p) => {
    proc = p;
    if (stopped) p.stop();
  });
  return {
    stop() {
      stopped = true;
      proc?.stop();
    },
    done: pending.then((p) => p.done),
  };
}

/** Create, wait for the container, follow, delete; on an early stop, say why the container is not running, as oc does. */
export function runNodePod(kubectl: OcRunner, request: DebugRequest, handlers: StreamHandlers): RunningProcess {
  let current: RunningProcess | null = null;
  let stopped = false;
  const done = (async (): Promise<ProcessEnd> => {
    const created = await kubectl.run(CREATE_FROM_STDIN, { input: nodePodManifest(request) });
    if (created.exitCode !== 0) {
      return { exitCode: null, signal: null, failedToStart: clientError(kubectl, `create the debug pod on ${request.node}`, created).message };
    }
    const pod = created.stdout.trim().replace(/^pod\//, '');
    handlers.onStderrLine(`Starting pod/${pod} ...`);
    try {
      if (stopped) return { exitCode: null, signal: 'SIGINT' };
      const progress = await waitForContainer(kubectl, pod, request.namespace, (p) => (current = p));
      if (stopped) {
        await reportWaiting(kubectl, pod, request.namespace, handlers);
        return { exitCode: null, signal: 'SIGINT' };
      }
      if (progress.kind === 'stuck') return { exitCode: null, signal: null, failedToStart: progress.said };
      current = kubectl.stream(followLogsArgs(pod, request.namespace), handlers);
      return await current.done;
    } finally {
      await kubectl.run(deletePodArgs(pod, request.namespace));
      handlers.onStderrLine('Removing debug pod ...');
    }
  })();
  return {
    stop() {
      stopped = true;
      current?.stop();
    },
    done,
  };
}

/** Watches the pod until its container has started or is stuck; `waiting` if the watch ends first (a stop). */
function waitForContainer(kubectl: OcRunner, pod: string, namespace: string, track: (p: RunningProcess) => void): Promise<ContainerProgress> {
  return new Promise((resolve) => {
    let decided: ContainerProgress = { kind: 'waiting' };
    const watch = kubectl.stream(watchContainerArgs(pod, namespace), {
      onStdoutLine(line) {
        if (decided.kind !== 'waiting') return;
        decided = containerProgress(line);
        if (decided.kind !== 'waiting') watch.stop();
      },
      onStderrLine: () => {},
    });
    track(watch);
    void watch.done.then(() => resolve(decided));
  });
}

async function reportWaiting(kubectl: OcRunner, pod: string, namespace: string, handlers: StreamHandlers): Promise<void> {
  const result = await kubectl.run(getPodArgs(pod, namespace));
  if (result.exitCode !== 0) return;
  try {
    const status = JSON.parse(result.stdout).status ?? {};
    const waiting = (status.containerStatuses ?? []).map((c: { state?: { waiting?: { reason?: string; message?: string } } }) => c.state?.waiting).find(Boolean);
    if (waiting) {
      handlers.onStderrLine(`warning: Container ${CONTAINER} is unable to start due to an error: ${[waiting.reason, waiting.message].filter(Boolean).join(': ')}`);
    } else if (status.phase === 'Pending') {
      handlers.onStderrLine(`warning: pod ${pod} is still Pending${status.reason ? `: ${status.reason}` : ''}`);
    }
  } catch {
    // no status to report
  }
}
