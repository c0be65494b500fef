// Which client binary to drive, and whether it has a session.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { UserError } from '../errors.js';
import { kubectlPodStrategy } from './kubectl-pod.js';
import { daemonSetRunner } from './daemonset.js';
import { autoRunner, type NodeRunner, podPerNodeRunner } from './node-runner.js';
import { ocDebugStrategy } from './oc-debug.js';
import type { OcRunner, RunResult } from './runner.js';
import { firstErrorLine } from './client-talk.js';

export type ClientKind = 'oc' | 'kubectl';

export interface ClientChoice {
  binary: string;
  kind: ClientKind;
}

/** What differs between the clients, decided here and nowhere else. */
export interface ClientTraits {
  /** What to do without a session, in this client's words. */
  loginAdvice: string;
  /** `adm node-logs` (the kubelet's journal endpoint): oc's, not kubectl's (openshift/oc pkg/cli/admin/node/logs.go). */
  nodeLogs: boolean;
  /** How a pod reaches a node: oc debug waits, streams and deletes; kubectl's debug does none of these. */
  podPerNode: 'oc debug' | 'kubectl pods';
}

const CLIENTS: Record<ClientKind, ClientTraits> = {
  oc: { loginAdvice: 'run `oc login`', nodeLogs: true, podPerNode: 'oc debug' },
  kubectl: { loginAdvice: 'point kubectl at a cluster (`kubectl config use-context`, or --kubeconfig)', nodeLogs: false, podPerNode: 'kubectl pods' },
};

export const clientTraits = (kind: ClientKind): ClientTraits => CLIENTS[kind];

/** `--client` wins; otherwise the client the user typed (oc icsp, kubectl icsp) from PATH, then the other. */
export function findClient(requested: string | undefined, pathEnv: string | undefined, preferred: ClientKind = 'oc'): ClientChoice {
  if (requested) {
    const binary = requested.includes('/') ? requested : lookPath(requested, pathEnv);
    if (!binary || !isExecutable(binary)) {
      throw new UserError(`client ${JSON.stringify(requested)} not found or not executable: pass --client with the path of oc or kubectl`);
    }
    return { binary, kind: /kubectl[^/]*$/.test(binary) ? 'kubectl' : 'oc' };
  }
  for (const kind of preferred === 'oc' ? (['oc', 'kubectl'] as const) : (['kubectl', 'oc'] as const)) {
    const binary = lookPath(kind, pathEnv);
    if (binary) return { binary, kind };
  }
  throw new UserError('neither oc nor kubectl is on PATH: install the OpenShift CLI (oc), or pass --client PATH');
}

export function lookPath(name: string, pathEnv: string | undefined): string | undefined {
  for (const dir of (pathEnv ?? '').split(delimiter)) {
    if (dir === '' || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The client, with everything that depends on which one it is decided here, once. */
export interface Client extends Readonly<ClientTraits> {
  readonly name: ClientKind;
  readonly runner: OcRunner;
  /** The logged-in user, or a UserError telling how to log in. */
  whoAmI(): Promise<string>;
  /** How this client runs a command on nodes; `image` is the pod image (--image). */
  nodeRunner(options: NodeRunnerOptions): NodeRunner;
}

export interface NodeRunnerOptions {
  image: string | undefined;
  /** debug: a pod per node; daemonset: DaemonSets; auto: by the number of nodes. */
  strategy?: 'debug' | 'daemonset' | 'auto';
  /** For auto: the most nodes a pod per node serves. */
  threshold?: number;
}

export function openClient(kind: ClientKind, runner: OcRunner): Client {
  const traits = CLIENTS[kind];
  return {
    ...traits,
    name: kind,
    runner,
    whoAmI: () => (kind === 'oc' ? whoAmI(runner, OC_WHOAMI) : kubectlWhoAmI(runner)),
    nodeRunner({ image, strategy = 'debug', threshold = Number.POSITIVE_INFINITY }) {
      const perNode = () => podPerNodeRunner(runner, traits.podPerNode === 'oc debug' ? ocDebugStrategy(runner, image) : kubectlPodStrategy(runner, image));
      const daemonSet = () => daemonSetRunner(runner, { image });
      if (strategy === 'debug') return perNode();
      if (strategy === 'daemonset') return daemonSet();
      return autoRunner(perNode(), daemonSet(), threshold);
    },
  };
}

export const OC_WHOAMI = ['whoami'];
export const KUBECTL_WHOAMI = ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'];
/** OpenShift's own answer to "who am I" (what `oc whoami` asks), served on every release. */
export const USERS_TILDE = ['get', '--raw', '/apis/user.openshift.io/v1/users/~'];

/**
 * kubectl auth whoami needs the SelfSubjectReview API: on by default only from Kubernetes 1.27
 * (KEP-3325), so not on OpenShift 4.12 (1.25) and 4.13 (1.26), where kubectl says "the
 * selfsubjectreviews API is not enabled in the cluster". There the login is proved as oc does it.
 */
async function kubectlWhoAmI(runner: OcRunner): Promise<string> {
  const first = await runner.run(KUBECTL_WHOAMI);
  if (first.exitCode === 0 || !/selfsubjectreviews API is not enabled/.test(first.stderr)) return whoAmIFrom(runner, first);
  const user = await runner.run(USERS_TILDE);
  if (user.exitCode !== 0) return whoAmIFrom(runner, user);
  try {
    return String(JSON.parse(user.stdout).metadata.name);
  } catch {
    throw new UserError(`cannot tell who is logged in: ${runner.binary} ${USERS_TILDE.join(' ')} printed something that is not a User`);
  }
}

async function whoAmI(runner: OcRunner, args: string[]): Promise<string> {
  return whoAmIFrom(runner, await runner.run(args));
}

function whoAmIFrom(runner: OcRunner, result: RunResult): string {
  if (result.failedToStart) throw new UserError(`cannot run ${runner.binary}: ${result.failedToStart}`);
  if (result.exitCode !== 0) {
    const reason = firstErrorLine(result.stderr);
    throw new UserError(`not logged in to a cluster (${reason}): ${runner.loginAdvice} first`);
  }
  return result.stdout.trim();
}


/** The kubeconfig's context names (no cluster needed), for shell completion. */
export async function listContexts(runner: OcRunner): Promise<string[]> {
  const result = await runner.run(['config', 'get-contexts', '-o', 'name']);
  return result.exitCode === 0 ? result.stdout.split('\n').map((l) => l.trim()).filter(Boolean) : [];
}
