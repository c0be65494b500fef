// `oc debug node/NAME [--to-namespace=NS] [--image=IMG] -- COMMAND...`, as openshift/oc
// pkg/cli/debug/debug.go does it for a node:
// - the node must exist (GET node);
// - the image: --image, else the openshift/tools:latest image stream tag, else
//   registry.redhat.io/rhel8/support-tools (oc 4.11-4.15) or rhel9/support-tools (4.16 on);
// - the pod (approximatePodTemplateForObject, *corev1.Node): named `<node without dots>-debug-<5>`
//   (4.14 on; `<node>-debug` before), bound to the node, host network/PID/IPC, / at /host,
//   priority class openshift-user-critical, container container-00 privileged as root, the
//   annotation openshift.io/required-scc: privileged from 4.16 (openshift/oc#1763);
// - without --to-namespace, a temporary privileged namespace `openshift-debug-*` (4.12 on);
// - stderr: `Starting pod/NAME ...`, the host-binaries hint, `warning: Container container-00 is
//   unable to start due to an error: ...` while it waits (up to a hard-coded 15 minutes), and
//   `\nRemoving debug pod ...` at the end, also on a signal (interrupt.New);
// - the command's output (stdout and stderr together) on stdout; exit 1 with
//   `error: non-zero exit code from debug container` when the command fails.
// The command's output is read as the pod's log stream: without a TTY or stdin, attaching and
// following the log carry the same bytes.
import { randomSuffix } from '../api/store.js';
import { type Connection, ClientError, call, errorText, json, stream } from './rest.js';

interface Pod {
  metadata: { name: string };
  status?: { phase?: string; containerStatuses?: { state?: { running?: unknown; terminated?: { exitCode?: number }; waiting?: { reason?: string; message?: string } } }[] };
}

const WAIT_MS = 15 * 60 * 1000;

export async function debugNode(c: Connection, release: number, target: string, flags: Map<string, string>, command: string[]): Promise<number> {
  const node = target.slice('node/'.length);
  await json(c, 'GET', `/api/v1/nodes/${encodeURIComponent(node)}`);
  const image = flags.get('--image') ?? (await toolsImage(c)) ?? `registry.redhat.io/${release <= 15 ? 'rhel8' : 'rhel9'}/support-tools`;
  let namespace = flags.get('--to-namespace');
  let temporary = false;
  if (!namespace) {
    const created = await json<{ metadata: { name: string } }>(c, 'POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        generateName: 'openshift-debug-',
        labels: { 'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/audit': 'privileged', 'pod-security.kubernetes.io/warn': 'privileged', 'security.openshift.io/scc.podSecurityLabelSync': 'false' },
        annotations: { 'openshift.io/node-selector': '', 'oc.openshift.io/command': 'oc debug' },
      },
    });
    namespace = created.metadata.name;
    temporary = true;
    process.stderr.write(`Temporary namespace ${namespace} is created for debugging node...\n`);
  }
  const simple = node.replaceAll('.', '');
  const podName = release >= 14 ? `${simple}-debug-${randomSuffix()}` : `${simple}-debug`;
  const pods = `/api/v1/namespaces/${namespace}/pods`;
  // kubectl pkg/util/interrupt: the pod goes, then os.Exit(1) (a temporary namespace is a defer
  // os.Exit skips). A signal while the pod is being created waits for it, then removes it.
  let pod: Pod | null = null;
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    temporary = false;
    if (pod) void remove().then(() => process.exit(1));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  pod = await json<Pod>(c, 'POST', pods, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: podName,
      namespace,
      // From oc 4.20 (openshift/oc pkg/cli/debug/debug.go debugPodLabelManagedBy).
      ...(release >= 20 ? { labels: { 'debug.openshift.io/managed-by': 'oc-debug' } } : {}),
      annotations: {
        'debug.openshift.io/source-container': 'container-00',
        'debug.openshift.io/source-resource': `/v1, Resource=nodes/${node}`,
        ...(release >= 16 ? { 'openshift.io/required-scc': 'privileged' } : {}),
      },
    },
    spec: {
      nodeName: node,
      hostNetwork: true,
      hostPID: true,
      hostIPC: true,
      priorityClassName: 'openshift-user-critical',
      restartPolicy: 'Never',
      volumes: [{ name: 'host', hostPath: { path: '/', type: 'Directory' } }],
      containers: [
        {
          name: 'container-00',
          image,
          command,
          env: [{ name: 'TMOUT', value: '900' }, { name: 'HOST', value: '/host' }],
          securityContext: { privileged: true, runAsUser: 0 },
          volumeMounts: [{ name: 'host', mountPath: '/host' }],
        },
      ],
    },
  });
  const name = pod.metadata.name;
  let removed = false;
  async function remove() {
    if (removed) return;
    removed = true;
    process.stderr.write('\nRemoving debug pod ...\n');
    await call(c, 'DELETE', `${pods}/${name}`, { gracePeriodSeconds: 0 });
    if (temporary) await call(c, 'DELETE', `/api/v1/namespaces/${namespace}`);
  }
  if (interrupted) {
    await remove();
    process.exit(1);
  }
  process.stderr.write(`Starting pod/${name} ...\n`);
  try {
    const started = await waitForContainer(c, `${pods}/${name}`);
    if (!started) throw new ClientError('error: timed out waiting for the condition');
    process.stderr.write('To use host binaries, run `chroot /host`. Instead, if you need to access host namespaces, run `nsenter -a -t 1`.\n');
    const logs = stream(c, `${pods}/${name}/log?container=container-00&follow=true`, (chunk) => process.stdout.write(chunk));
    const failed = await logs.done;
    if (failed) throw new ClientError(errorText(failed));
    const final = await json<Pod>(c, 'GET', `${pods}/${name}`);
    const exitCode = final.status?.containerStatuses?.[0]?.state?.terminated?.exitCode ?? 0;
    if (exitCode !== 0) throw new ClientError('error: non-zero exit code from debug container');
    return 0;
  } finally {
    await remove();
  }
}

async function toolsImage(c: Connection): Promise<string | null> {
  const answer = await call(c, 'GET', '/apis/image.openshift.io/v1/namespaces/openshift/imagestreamtags/tools:latest');
  if (answer.status !== 200) return null;
  return (JSON.parse(answer.body) as { image?: { dockerImageReference?: string } }).image?.dockerImageReference ?? null;
}

/** Until the container runs or has ended; warns (once per message) while it cannot start. */
async function waitForContainer(c: Connection, path: string): Promise<boolean> {
  const deadline = Date.now() + WAIT_MS;
  let warned = '';
  while (Date.now() < deadline) {
    const pod = await json<Pod>(c, 'GET', path);
    const state = pod.status?.containerStatuses?.[0]?.state;
    if (state?.running || state?.terminated) return true;
    const waiting = state?.waiting;
    if (waiting && ['ImagePullBackOff', 'ErrImagePull', 'CreateContainerError', 'CreateContainerConfigError'].includes(waiting.reason ?? '')) {
      const said = waiting.message ?? waiting.reason ?? '';
      if (said !== warned) process.stderr.write(`warning: Container container-00 is unable to start due to an error: ${said}\n`);
      warned = said;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
