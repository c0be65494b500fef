// Running a command on a node through a debug pod, in a namespace of our own.
import { UserError } from '../errors.js';
import { clientError } from './cluster.js';
import { runNodePod } from './node-pod.js';
import type { OcRunner, RunningProcess, StreamHandlers } from './runner.js';

export const RUN_NAMESPACE_PREFIX = 'oc-icsp-';

/**
 * A privileged namespace for this run's debug pods. oc's own temporary namespaces leak when
 * oc is interrupted (its cleanup is a defer that os.Exit skips), so we make and delete one ourselves.
 */
export function runNamespaceManifest(): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      generateName: RUN_NAMESPACE_PREFIX,
      labels: {
        'pod-security.kubernetes.io/enforce': 'privileged',
        'pod-security.kubernetes.io/audit': 'privileged',
        'pod-security.kubernetes.io/warn': 'privileged',
        'security.openshift.io/scc.podSecurityLabelSync': 'false',
        'app.kubernetes.io/managed-by': 'oc-icsp',
      },
      annotations: { 'openshift.io/node-selector': '', 'oc-icsp/purpose': 'temporary debug pods of oc icsp verify' },
    },
  });
}

export async function createRunNamespace(oc: OcRunner): Promise<string> {
  const result = await oc.run(['create', '-f', '-', '-o', 'name'], { input: runNamespaceManifest() });
  if (result.exitCode !== 0) throw clientError('create a namespace for the debug pods', result);
  const name = result.stdout.trim().replace(/^namespace\//, '');
  if (!name.startsWith(RUN_NAMESPACE_PREFIX)) throw new UserError(`unexpected answer creating the namespace: ${result.stdout.trim()}`);
  return name;
}

export async function deleteNamespace(oc: OcRunner, name: string): Promise<boolean> {
  const result = await oc.run(['delete', 'namespace', name, '--ignore-not-found', '--wait=false']);
  return result.exitCode === 0;
}

export interface DebugRequest {
  node: string;
  namespace: string;
  image: string | undefined;
  command: string[];
}

export function debugNodeArgs({ node, namespace, image, command }: DebugRequest): string[] {
  // --flag=value: a value can never be taken for another flag.
  return ['debug', `node/${node}`, `--to-namespace=${namespace}`, ...(image ? [`--image=${image}`] : []), '--', ...command];
}

/**
 * oc streams the command's stdout and stderr merged on its stdout, its own talk on stderr.
 * kubectl's debug does not wait or stream, so with kubectl the pod is run by hand.
 */
export function debugNode(oc: OcRunner, request: DebugRequest, handlers: StreamHandlers): RunningProcess {
  if (oc.kind === 'kubectl') return runNodePod(oc, request, handlers);
  return oc.stream(debugNodeArgs(request), handlers);
}
