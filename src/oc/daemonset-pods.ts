// What the DaemonSet run reads back: each pod's state from the pod watch, the probe's report in
// its termination message, and why a node got no pod at all (the controller's FailedCreate
// events, or the node is gone).
import { gunzipSync } from 'node:zlib';
import type { ContainerState } from './host-pod.js';
import { stuckContainer } from './host-pod.js';
import { CONTAINER, daemonSetName, FAILED_CREATE_ARGS, NODE_NAMES_ARGS, POD_FIELD_SEPARATOR, REPORT_PREFIX } from './daemonset-objects.js';
import type { OcRunner } from './runner.js';

export interface PodState {
  name: string;
  node: string;
  /** The probe (the pod's init container) is running. */
  running: boolean;
  /** Why it is not running: a waiting reason, or the scheduler's. */
  problem: string | null;
  /** The probe has ended: its exit code and termination message. */
  ended: { exitCode: number; message: string } | null;
}

/** What the probe's wrapper wrote to its termination message (daemonset-objects.ts REPORT). */
export interface ProbeReport {
  /** The node script's exit status. */
  exitCode: number;
  /** Its output, stdout and stderr merged, as its log holds it. */
  lines: string[];
}

/**
 * The node script's exit status and output from the probe's termination message, or null when
 * the message holds none (the output did not fit, or the image lacks gzip or base64): then the
 * probe's log is read instead.
 */
export function probeReport(message: string): ProbeReport | null {
  const [prefix, status, encoded, ...rest] = message.split(' ');
  if (prefix !== REPORT_PREFIX || !/^\d{1,3}$/.test(status ?? '') || !encoded || rest.length > 0) return null;
  try {
    const text = gunzipSync(Buffer.from(encoded, 'base64')).toString('utf8');
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    return { exitCode: Number(status), lines };
  } catch {
    return null;
  }
}

/**
 * Waiting reasons of a container on its way: being created, or, in a pod with init containers,
 * not started yet (kubernetes pkg/kubelet/kubelet_pods.go convertToAPIContainerStatuses).
 */
const ON_ITS_WAY = new Set(['ContainerCreating', 'PodInitializing']);

/** A line of the pod watch (daemonset-objects.ts POD_FIELDS), or null for one that is not. */
export function podStateLine(line: string): PodState | null {
  const [name = '', nodeName = '', pinned = '', stateText = '', scheduledText = ''] = line.split(POD_FIELD_SEPARATOR);
  const node = nodeName || pinned;
  if (!name || !node) return null;
  const state = parse<ContainerState>(stateText);
  const scheduled = parse<{ status?: string; reason?: string; message?: string }>(scheduledText);
  const waiting = state?.waiting;
  // Any waiting reason but these is worth saying.
  const problem = waiting?.reason && !ON_ITS_WAY.has(waiting.reason)
    ? (stuckContainer(CONTAINER, state) ?? [waiting.reason, waiting.message].filter(Boolean).join(': '))
    : scheduled?.status === 'False'
      ? [scheduled.reason, scheduled.message].filter(Boolean).join(': ')
      : null;
  const terminated = state?.terminated;
  const ended = terminated ? { exitCode: terminated.exitCode ?? 0, message: terminated.message ?? '' } : null;
  return { name, node, running: Boolean(state?.running), problem, ended };
}

function parse<T>(text: string): T | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/**
 * Refusals the DaemonSet controller retries until they pass, which end no node: a new namespace's
 * `default` account not made yet (kubernetes plugin/pkg/admission/serviceaccount/admission.go,
 * "error looking up service account"); its SCC ranges not given yet by the cluster-policy-controller
 * (apiserver-library-go sccmatching: "unable to find annotation openshift.io/sa.scc.uid-range",
 * after a 10 s wait); the API server's namespace cache behind (OriginPodNodeEnvironment:
 * `namespace "NAME" not found`).
 */
const TRANSIENT = /error looking up service account|unable to find annotation openshift\.io\/sa\.scc|namespaces? "[^"]*" not found/;

/**
 * Any other refusal ends its nodes only once it repeats: the controller retries every refusal
 * (daemon_controller.go processNextWorkItem, queue.AddRateLimited), and the event recorder counts
 * a repeat on the same event (count 2 and more).
 */
const REPEATED = 2;

/**
 * Nodes that will get no pod, and why: the API refused their DaemonSet's pods (its latest
 * FailedCreate event, `Error creating: pods "NAME-" is forbidden: ...`), or the node is gone.
 * Read only while pods are missing; `shardOf` names each node's DaemonSet.
 */
export async function refusedPods(oc: OcRunner, namespace: string, podless: string[], shardOf: (node: string) => number, askNodes: boolean): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const events = await oc.run(FAILED_CREATE_ARGS(namespace));
  const latest = new Map<string, { message: string; count: number }>();
  try {
    const items = (JSON.parse(events.stdout).items ?? []) as { message?: string; count?: number; lastTimestamp?: string; involvedObject?: { name?: string } }[];
    for (const e of items.sort((a, b) => (a.lastTimestamp ?? '').localeCompare(b.lastTimestamp ?? ''))) {
      if (e.message && e.involvedObject?.name) latest.set(e.involvedObject.name, { message: e.message, count: e.count ?? 1 });
    }
  } catch {
    // no events to read
  }
  const messageFor = (node: string) => {
    const refusal = latest.get(daemonSetName(shardOf(node)));
    return refusal && refusal.count >= REPEATED && !TRANSIENT.test(refusal.message) ? refusal.message : null;
  };
  if (!podless.some(messageFor) && !askNodes) return found;
  const names = await oc.run(NODE_NAMES_ARGS);
  const existing = new Set(names.stdout.split('\n').map((l) => l.trim().replace(/^node\//, '')).filter(Boolean));
  for (const node of podless) {
    const message = messageFor(node);
    if (names.exitCode === 0 && !existing.has(node)) found.set(node, `the node is gone: nodes "${node}" not found`);
    else if (message) found.set(node, `the DaemonSet controller could not create the pod: ${message}`);
  }
  return found;
}
