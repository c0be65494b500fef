// The kubectl path: `kubectl debug` neither waits, nor streams, nor deletes, so we create the
// debug pod ourselves, follow its logs, and delete it. Same pod shape as `oc debug node/N`.
import { clientError } from './cluster.js';
import type { DebugRequest } from './debug.js';
import type { OcRunner, RunningProcess, StreamHandlers } from './runner.js';

/** What oc falls back to for node debugging (openshift/oc pkg/cli/debug, release-4.16 and later). */
export const DEFAULT_NODE_DEBUG_IMAGE = 'registry.redhat.io/rhel9/support-tools';
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
      labels: { 'app.kubernetes.io/managed-by': 'oc-icsp' },
      annotations: { 'debug.openshift.io/source-resource': `/v1, Resource=nodes/${node}` },
    },
    spec: {
      nodeName: node,
      hostNetwork: true,
      hostPID: true,
      hostIPC: true,
      restartPolicy: 'Never',
      tolerations: [{ operator: 'Exists' }],
      volumes: [{ name: 'host', hostPath: { path: '/' } }],
      containers: [
        {
          name: CONTAINER,
          image: image ?? DEFAULT_NODE_DEBUG_IMAGE,
          command,
          securityContext: { privileged: true, runAsUser: 0 },
          volumeMounts: [{ name: 'host', mountPath: '/host' }],
          env: [{ name: 'HOST', value: '/host' }],
        },
      ],
    },
  });
}

export function followLogsArgs(pod: string, namespace: string): string[] {
  return ['logs', '-f', `pod/${pod}`, '-n', namespace, '-c', CONTAINER, `--pod-running-timeout=${POD_RUNNING_TIMEOUT}`];
}

/** Create, follow, delete; on an early stop, say why the container is not running, as oc does. */
export function runNodePod(kubectl: OcRunner, request: DebugRequest, handlers: StreamHandlers): RunningProcess {
  let current: RunningProcess | null = null;
  let stoppedWith: NodeJS.Signals | null = null;
  const done = (async () => {
    const created = await kubectl.run(['create', '-f', '-', '-o', 'name'], { input: nodePodManifest(request) });
    if (created.exitCode !== 0) {
      handlers.onStderrLine(`error: ${clientError(`create the debug pod on ${request.node}`, created).message}`);
      return { exitCode: 1, signal: null };
    }
    const pod = created.stdout.trim().replace(/^pod\//, '');
    handlers.onStderrLine(`Starting pod/${pod} ...`);
    try {
      if (stoppedWith) return { exitCode: null, signal: stoppedWith };
      current = kubectl.stream(followLogsArgs(pod, request.namespace), handlers);
      const result = await current.done;
      if (stoppedWith) await reportWaiting(kubectl, pod, request.namespace, handlers);
      return result;
    } finally {
      await kubectl.run(['delete', 'pod', pod, '-n', request.namespace, '--wait=false', '--grace-period=0', '--ignore-not-found']);
      handlers.onStderrLine('Removing debug pod ...');
    }
  })();
  return {
    kill(signal) {
      stoppedWith ??= signal;
      current?.kill(signal);
    },
    done,
  };
}

async function reportWaiting(kubectl: OcRunner, pod: string, namespace: string, handlers: StreamHandlers): Promise<void> {
  const result = await kubectl.run(['get', 'pod', pod, '-n', namespace, '-o', 'json']);
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
