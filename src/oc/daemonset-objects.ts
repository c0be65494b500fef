// What a DaemonSet run creates, and the client calls that read and remove it. One `create -f -`
// makes it all, in order: the run's namespace (named by the run id, so nothing needs its
// generated name first), a RoleBinding that lets the namespace's `default` account use the
// privileged SCC, and one DaemonSet per shard of at most PODS_PER_FOLLOWER nodes. The objects
// are JSON documents one after the other, each validated on the server (a List would be
// validated on the client against /openapi/v2 instead, k8s.io/cli-runtime
// pkg/resource/query_param_verifier_v3.go).
import { hostPodSpec, REQUIRED_SCC } from './host-pod.js';
import { MANAGED_BY, RUN_ID_LABEL, RUN_NAMESPACE_PREFIX, runNamespaceObject } from './namespace.js';

export const CONTAINER = 'probe';
const DAEMONSET_PREFIX = 'oc-icsp-probe';
export const SHARD_LABEL = 'oc-icsp/shard';
/**
 * Keeps the pod alive after the node script, so the DaemonSet does not run it again. The kubelet's
 * SIGTERM reaches this shell only (the pod's own process), so it passes it on to the node script,
 * whose trap removes what its pull wrote, and waits for it: a shell runs a trap at once only
 * during wait, hence the background jobs.
 */
const STAY = `trap 'kill "$!" 2>/dev/null; wait "$!"; exit 143' TERM; "$@" & wait "$!"; while :; do sleep 3600 & wait "$!"; done`;
export const PRIVILEGED_SCC_ROLE = 'system:openshift:scc:privileged';

/**
 * The pods one log follower takes. kubectl follows each pod of a selector with a request of its
 * own (staging/src/k8s.io/kubectl/pkg/cmd/logs/logs.go parallelConsumeRequest), and every
 * request of a kubectl process passes client-go's rate limiter, 5 a second after a burst of 10
 * (k8s.io/client-go/rest/config.go: QPS and Burst default to DefaultQPS 5, DefaultBurst 10; seen
 * here as "Waited for 1.198s due to client-side throttling" at -v=1). One follower for 500 pods
 * waits about 100 s; 15 pods a follower wait about 1 s, the followers side by side. Fewer pods
 * a follower mean more kubectl processes starting at once: at 500 nodes (npm run bench, two
 * cores) 10, 12, 15, 20 and 25 pods a follower took 7.3, 7.0, 6.4, 6.9 and 7.6 s.
 */
export const PODS_PER_FOLLOWER = 15;

export const runNamespaceName = (runId: string) => `${RUN_NAMESPACE_PREFIX}${runId}`;
export const daemonSetName = (shard: number) => `${DAEMONSET_PREFIX}-${shard}`;

/** The nodes, in shards of at most PODS_PER_FOLLOWER, each its own DaemonSet and follower. */
export function shardsOf(nodes: string[]): string[][] {
  const shards: string[][] = [];
  for (let i = 0; i < nodes.length; i += PODS_PER_FOLLOWER) shards.push(nodes.slice(i, i + PODS_PER_FOLLOWER));
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
          ...hostPodSpec({ container: CONTAINER, image, command: ['/bin/sh', '-c', STAY, 'oc-icsp-probe', ...command] }),
          // Exactly the shard's nodes (-l or --nodes, Ready ones), by name.
          affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: nodes }] }] } } },
        },
      },
    },
  };
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
 * pins it to (before the scheduler binds it), the container's state and the PodScheduled condition.
 * The fields are parted by the unit separator (0x1f): a watch prints through a tabwriter
 * (staging/src/k8s.io/kubectl/pkg/cmd/get/get.go, printers.GetNewTabWriter), which turns tabs into
 * runs of spaces (seen here with the real kubectl), and a waiting message may hold spaces.
 */
export const POD_FIELD_SEPARATOR = '\x1f';
export const POD_FIELDS = [
  '{.metadata.name}',
  '{.spec.nodeName}',
  '{.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0]}',
  '{.status.containerStatuses[0].state}',
  '{.status.conditions[?(@.type=="PodScheduled")]}',
];
export const watchPodsArgs = (namespace: string, runId: string) => ['get', 'pods', '-n', namespace, selector(runId), '--watch', '-o', `jsonpath=${POD_FIELDS.join('{"\\x1f"}')}{"\\n"}`];

/**
 * One shard's pods' logs, from their first line: picking pods by selector, kubectl asks for only
 * the last 10 lines unless told (--tail's default, staging/src/k8s.io/kubectl/pkg/cmd/logs/logs.go).
 */
export const followShardArgs = (namespace: string, runId: string, shard: number, pods: number) => [
  'logs', '-f', '-n', namespace, selector(runId, shard), '--tail=-1', '--prefix', '--all-containers', '--ignore-errors', `--max-log-requests=${Math.max(pods, 1)}`,
];
export const followOneArgs = (namespace: string, pod: string) => ['logs', '-f', '-n', namespace, `pod/${pod}`, '--prefix', '-c', CONTAINER];
export const deleteDaemonSetsArgs = (namespace: string, runId: string) => ['delete', 'daemonsets', '-n', namespace, selector(runId), '--ignore-not-found', '--wait=false'];
export const FAILED_CREATE_ARGS = (namespace: string) => ['get', 'events', '-n', namespace, '--field-selector=involvedObject.kind=DaemonSet,reason=FailedCreate', '-o', 'json'];
export const NODE_NAMES_ARGS = ['get', 'nodes', '-o', 'name'];
export const TOOLS_IMAGE_ARGS = ['get', 'imagestreamtag', 'tools:latest', '-n', 'openshift', '-o', 'jsonpath={.image.dockerImageReference}'];
