// What a DaemonSet run creates, and the client calls that read and remove it. One `create -f -`
// makes it all, in order: the run's namespace (named by the run id, so nothing needs its
// generated name first), a RoleBinding that lets the namespace's `default` account use the
// privileged SCC, and one DaemonSet per shard of at most PODS_PER_SHARD nodes. The objects
// are JSON documents one after the other, each validated on the server (a List would be
// validated on the client against /openapi/v2 instead, k8s.io/cli-runtime
// pkg/resource/query_param_verifier_v3.go).
import PROBE_WRAPPER from '../node-check/probe-wrapper.sh';
import { withoutComments } from '../node-check/shell-text.js';
import { hostPodSpec, REQUIRED_SCC } from './host-pod.js';
import { MANAGED_BY, RUN_ID_LABEL, RUN_NAMESPACE_PREFIX, runNamespaceObject } from './namespace.js';

export const CONTAINER = 'probe';
const DAEMONSET_PREFIX = 'oc-icsp-probe';
export const SHARD_LABEL = 'oc-icsp/shard';
/**
 * The pod's one container: it only keeps the pod up once the probe has run, so the DaemonSet does
 * not run it again. sleep on its own, which SIGTERM ends (about 68 years otherwise).
 */
export const STAY_CONTAINER = 'stay';
const STAY = ['sleep', '2147483647'];

/**
 * What the probe's termination message starts with: the node script's exit status and its whole
 * output, gzipped and in base64, follow. The kubelet keeps the last 4096 bytes a container writes
 * there (kubernetes pkg/kubelet/container/runtime.go MaxContainerTerminationMessageLength, read by
 * pkg/kubelet/kuberuntime/kuberuntime_container.go getTerminationMessage), so a longer output is
 * not written and is read from the log instead.
 */
export const REPORT_PREFIX = 'oc-icsp/1';
export const TERMINATION_MESSAGE_BYTES = 4096;

/** The longest report that fits: the prefix, a space, the exit status (3 digits at most), a space. */
export const REPORT_ROOM = TERMINATION_MESSAGE_BYTES - REPORT_PREFIX.length - 5;
/**
 * The probe, an init container: probe-wrapper.sh runs the node script, logs its output as it
 * comes, and puts the whole of it in the termination message when it fits in REPORT_ROOM.
 */
export const REPORT = withoutComments(PROBE_WRAPPER).trimEnd();
export const PRIVILEGED_SCC_ROLE = 'system:openshift:scc:privileged';

/**
 * The nodes one DaemonSet takes: a shard. Measured under the DaemonSet controller's real pace
 * (two DaemonSets synced at a time, slow-start batches of 1, 2, 4 ...: fewer, larger DaemonSets
 * get their pods sooner), 500 nodes took 5.28 s with 15 a shard, 3.99 s with 30 and 4.46 s with 50
 * (`npm run bench`, fan-out, 20 ms a pod create; docs/scale.md). A shard's probes whose reports do
 * not fit their termination messages have their logs read by one client process, whose requests
 * pass client-go's rate limiter, 5 a second after a burst of 10 (k8s.io/client-go/rest/config.go:
 * DefaultQPS 5, DefaultBurst 10; seen here as "Waited for 1.198s due to client-side throttling"
 * at -v=1): 30 pods take about 4 s.
 */
export const PODS_PER_SHARD = 30;

export const runNamespaceName = (runId: string) => `${RUN_NAMESPACE_PREFIX}${runId}`;
export const daemonSetName = (shard: number) => `${DAEMONSET_PREFIX}-${shard}`;

/** The nodes, in shards of at most PODS_PER_SHARD, each its own DaemonSet. */
export function shardsOf(nodes: string[]): string[][] {
  const shards: string[][] = [];
  for (let i = 0; i < nodes.length; i += PODS_PER_SHARD) shards.push(nodes.slice(i, i + PODS_PER_SHARD));
  return shards;
}

/** The DaemonSets' service account may use the privileged SCC, in the run's namespace only. */
export function sccBinding(namespace: string, runId: string) {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'oc-icsp-privileged-scc', namespace, labels: { ...MANAGED_BY, [RUN_ID_LABEL]: runId } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: PRIVILEGED_SCC_ROLE },
    subjects: [{ kind: 'ServiceAccount', name: 'default', namespace }],
  };
}

export function daemonSet(runId: string, namespace: string, shard: number, nodes: string[], image: string, command: string[]) {
  const labels = { ...MANAGED_BY, [RUN_ID_LABEL]: runId, [SHARD_LABEL]: String(shard) };
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: daemonSetName(shard), namespace, labels },
    spec: {
      selector: { matchLabels: { [RUN_ID_LABEL]: runId, [SHARD_LABEL]: String(shard) } },
      template: {
        metadata: { labels, annotations: { [REQUIRED_SCC]: 'privileged' } },
        spec: {
          ...probePodSpec(image, command),
          // Exactly the shard's nodes (-l or --nodes, Ready ones), by name.
          affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: nodes }] }] } } },
        },
      },
    },
  };
}

/**
 * The host pod's container runs first, as an init container, and reports through its termination
 * message; a container that only stays follows it.
 */
function probePodSpec(image: string, command: string[]) {
  const { containers, ...spec } = hostPodSpec({ container: CONTAINER, image, command: ['/bin/sh', '-c', REPORT, 'oc-icsp-probe', ...command] });
  return { ...spec, initContainers: containers, containers: [{ name: STAY_CONTAINER, image, command: STAY }] };
}

/** Everything the run creates, one JSON document a line, in the order it must be created. */
export function runObjectsManifest(runId: string, nodes: string[], image: string, command: string[]): string {
  const namespace = runNamespaceName(runId);
  const objects = [runNamespaceObject(runId, namespace), sccBinding(namespace, runId), ...shardsOf(nodes).map((shard, i) => daemonSet(runId, namespace, i, shard, image, command))];
  return `${objects.map((o) => JSON.stringify(o)).join('\n')}\n`;
}

const selector = (runId: string, shard?: number) => `--selector=${RUN_ID_LABEL}=${runId}${shard === undefined ? '' : `,${SHARD_LABEL}=${shard}`}`;

/**
 * Each pod as it changes, one line each (kubectl get --watch): name, node, the node its affinity
 * pins it to (before the scheduler binds it), the probe's state (its termination message once it
 * has ended) and the PodScheduled condition.
 * The fields are parted by the unit separator (0x1f): a watch prints through a tabwriter
 * (staging/src/k8s.io/kubectl/pkg/cmd/get/get.go, printers.GetNewTabWriter), which turns tabs into
 * runs of spaces (seen here with the real kubectl), and a waiting message may hold spaces.
 */
export const POD_FIELD_SEPARATOR = '\x1f';
export const POD_FIELDS = [
  '{.metadata.name}',
  '{.spec.nodeName}',
  '{.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0]}',
  '{.status.initContainerStatuses[0].state}',
  '{.status.conditions[?(@.type=="PodScheduled")]}',
];
export const watchPodsArgs = (namespace: string, runId: string) => ['get', 'pods', '-n', namespace, selector(runId), '--watch', '-o', `jsonpath=${POD_FIELDS.join('{"\\x1f"}')}{"\\n"}`];

/** An ended probe's log, read when its termination message holds no report (too long). */
export const probeLogArgs = (namespace: string, pod: string) => ['logs', '-n', namespace, `pod/${pod}`, '--prefix', '-c', CONTAINER];

/**
 * What one shard's probes have logged so far, read once when the run times out. Picking pods by
 * selector, kubectl asks for only the last 10 lines unless told (--tail's default,
 * staging/src/k8s.io/kubectl/pkg/cmd/logs/logs.go).
 */
export const shardLogArgs = (namespace: string, runId: string, shard: number) => [
  'logs', '-n', namespace, selector(runId, shard), '--tail=-1', '--prefix', '-c', CONTAINER, '--ignore-errors',
];
export const deleteDaemonSetsArgs = (namespace: string, runId: string) => ['delete', 'daemonsets', '-n', namespace, selector(runId), '--ignore-not-found', '--wait=false'];
export const FAILED_CREATE_ARGS = (namespace: string) => ['get', 'events', '-n', namespace, '--field-selector=involvedObject.kind=DaemonSet,reason=FailedCreate', '-o', 'json'];
export const NODE_NAMES_ARGS = ['get', 'nodes', '-o', 'name'];
export const TOOLS_IMAGE_ARGS = ['get', 'imagestreamtag', 'tools:latest', '-n', 'openshift', '-o', 'jsonpath={.image.dockerImageReference}'];
