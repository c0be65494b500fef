// The run's own namespace: privileged, labelled as ours, deleted at the end of every run.
// oc's own temporary namespaces leak when oc is interrupted (its cleanup is a defer that
// os.Exit skips), so we make and delete one ourselves and pass it to every node's pod.
import { UserError } from '../errors.js';
import { clientError } from './client-talk.js';
import type { OcRunner } from './runner.js';

export const RUN_NAMESPACE_PREFIX = 'oc-icsp-';
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'oc-icsp' };
/** Each run's objects carry its id, so a run finds its own and cleanup finds every run's. */
export const RUN_ID_LABEL = 'oc-icsp/run-id';

/**
 * A new run's id, which names its namespace: random, so that no one can make that namespace
 * first. node:crypto loads only here: most invocations (help, explain) never start a run, and
 * loading it cost every start about 7 ms.
 */
export async function newRunId(): Promise<string> {
  const { randomBytes } = await import('node:crypto');
  return randomBytes(4).toString('hex');
}
/** Shown where the real name is not known yet (dry run): the API server picks it. */
export const NAMESPACE_PLACEHOLDER = `${RUN_NAMESPACE_PREFIX}<generated>`;

export function runNamespaceManifest(runId: string): string {
  return JSON.stringify(runNamespaceObject(runId));
}

/** The run's namespace: named (a DaemonSet run names it by its run id), or left to the API server to name. */
export function runNamespaceObject(runId: string, name?: string) {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      ...(name ? { name } : { generateName: RUN_NAMESPACE_PREFIX }),
      labels: {
        'pod-security.kubernetes.io/enforce': 'privileged',
        'pod-security.kubernetes.io/audit': 'privileged',
        'pod-security.kubernetes.io/warn': 'privileged',
        'security.openshift.io/scc.podSecurityLabelSync': 'false',
        ...MANAGED_BY,
        [RUN_ID_LABEL]: runId,
      },
      annotations: { 'openshift.io/node-selector': '', 'oc-icsp/purpose': 'temporary pods of oc icsp' },
    },
  };
}

export const CREATE_FROM_STDIN = ['create', '-f', '-', '-o', 'name'];

export function deleteNamespaceArgs(name: string): string[] {
  return ['delete', 'namespace', name, '--ignore-not-found', '--wait=false'];
}

export async function createRunNamespace(oc: OcRunner, runId: string): Promise<string> {
  let result = await oc.run(CREATE_FROM_STDIN, { input: runNamespaceManifest(runId) });
  // generateName can collide with an existing name; the API server then asks to try again.
  if (result.exitCode !== 0 && /already exists/i.test(result.stderr)) result = await oc.run(CREATE_FROM_STDIN, { input: runNamespaceManifest(runId) });
  if (result.exitCode !== 0) throw clientError(oc, 'create a namespace for the node pods', result);
  const name = result.stdout.trim().replace(/^namespace\//, '');
  if (!name.startsWith(RUN_NAMESPACE_PREFIX)) throw new UserError(`unexpected answer creating the namespace: ${result.stdout.trim()}`);
  return name;
}

export async function deleteNamespace(oc: OcRunner, name: string): Promise<boolean> {
  return (await oc.run(deleteNamespaceArgs(name))).exitCode === 0;
}

/**
 * The run's namespace from its making to its removal, for either way of reaching nodes: what is
 * pending while it lives, a removal that outlives us when the user will not wait, and the removal
 * at the end. A named namespace is known before its create, so nothing escapes removal.
 */
export class NamespaceLifecycle {
  private name: string | null = null;
  private gone = false;

  constructor(private readonly oc: OcRunner) {}

  get current(): string | null {
    return this.name;
  }

  /** A run's namespace; a runner that runs again (a composed verify's later steps) makes another. */
  made(name: string): string {
    this.name = name;
    this.gone = false;
    return name;
  }

  pending(): string[] {
    return this.name && !this.gone ? [`namespace/${this.name}`] : [];
  }

  abandon(): void {
    if (this.name && !this.gone) this.oc.runDetached(deleteNamespaceArgs(this.name));
  }

  /** Deletes it (the API accepts and finishes it in the background); whether it was accepted. */
  async remove(): Promise<boolean> {
    if (!this.name) return true;
    this.gone = await deleteNamespace(this.oc, this.name);
    return this.gone;
  }
}
