// The namespaces earlier runs left behind (a SIGKILL, a lost connection): every one the plugin
// makes carries app.kubernetes.io/managed-by=oc-icsp and its run id; deleting one deletes the
// DaemonSet and pods in it.
import { clientError } from './client-talk.js';
import { deleteNamespaceArgs, MANAGED_BY, RUN_ID_LABEL } from './namespace.js';
import type { OcRunner } from './runner.js';

export interface RunNamespace {
  name: string;
  runId: string | null;
  createdAt: Date | null;
}

const SELECTOR = Object.entries(MANAGED_BY).map(([k, v]) => `${k}=${v}`).join(',');

export async function listRunNamespaces(oc: OcRunner): Promise<RunNamespace[]> {
  const result = await oc.run(['get', 'namespaces', `--selector=${SELECTOR}`, '-o', 'json']);
  if (result.exitCode !== 0) throw clientError(oc, 'list the namespaces of earlier runs', result);
  const items = (JSON.parse(result.stdout).items ?? []) as { metadata?: { name?: string; labels?: Record<string, string>; creationTimestamp?: string } }[];
  return items.map((i) => ({
    name: i.metadata?.name ?? '',
    runId: i.metadata?.labels?.[RUN_ID_LABEL] ?? null,
    createdAt: i.metadata?.creationTimestamp ? new Date(i.metadata.creationTimestamp) : null,
  }));
}

/** What a namespace holds, as `kind/name`. */
export async function namespaceContents(oc: OcRunner, namespace: string): Promise<string[]> {
  const result = await oc.run(['get', 'daemonsets,pods', '-n', namespace, '-o', 'name']);
  return result.exitCode === 0 ? result.stdout.split('\n').map((l) => l.trim()).filter(Boolean) : [];
}

export async function deleteRunNamespace(oc: OcRunner, name: string): Promise<boolean> {
  return (await oc.run(deleteNamespaceArgs(name))).exitCode === 0;
}
