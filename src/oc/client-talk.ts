// What the client said on stderr while it ran a node's pod, boiled down to the one line that
// explains a failure. oc's progress talk is not that line.
import { UserError } from '../errors.js';
import type { ClientProblem } from '../pull-log/evidence.js';
import type { OcRunner, RunResult } from './runner.js';

const CHATTER = /^(Starting pod\/|To use host binaries|Removing debug pod|Temporary namespace|Pod IP:|$)/;

/** How many of the client's last stderr lines are kept per node. */
export const TALK_TAIL = 8;

/** The last error, with the last warning as its reason (oc's "unable to start" warning names the image). */
export function summarizeClientTalk(lines: string[]): string | null {
  const meaningful = lines.map((l) => l.trim()).filter((l) => !CHATTER.test(l));
  const warning = meaningful.filter((l) => l.startsWith('warning:')).at(-1);
  const error = meaningful.filter((l) => l.startsWith('error:')).at(-1);
  const warningText = warning?.replace(/^warning:\s*/, '');
  const errorText = error?.replace(/^error:\s*/, '');
  if (errorText && warningText) return `${warningText} (${errorText})`;
  return errorText ?? warningText ?? meaningful.at(-1) ?? null;
}

/**
 * What the client's words about a node's pod say went wrong, read once here: its image could not
 * be pulled (the kubelet's and oc's words for it), a quota refused it, or the user may not create
 * it. A quota's refusal is a Forbidden too: "exceeded quota: NAME, requested: …, used: …,
 * limited: …" (k8s.io/apiserver/pkg/admission/plugin/resourcequota/controller.go, the
 * ResourceQuota admission; OpenShift's ClusterResourceQuota admission evaluates with the same).
 */
export function clientProblemOf(said: string | null): ClientProblem | null {
  if (said === null) return null;
  if (/ImagePullBackOff|ErrImagePull|Back-off pulling image|unable to start/i.test(said)) return 'debug-image-unreachable';
  if (/exceeded quota:/i.test(said)) return 'quota';
  if (/forbidden/i.test(said)) return 'forbidden';
  return null;
}

export function firstErrorLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const line = lines.find((l) => /^error:/i.test(l)) ?? lines.at(-1) ?? 'no output';
  return line.replace(/^error:\s*/i, '');
}

/** A failed client call as advice: what could not be done, the client's reason, what to do. */
export function clientError(oc: OcRunner, what: string, result: RunResult): UserError {
  if (result.failedToStart) return new UserError(`cannot ${what}: ${result.failedToStart}`);
  const line = firstErrorLine(result.stderr);
  if (/forbidden/i.test(line)) return new UserError(`cannot ${what}: ${line}: log in as a cluster administrator`);
  if (/Unauthorized|must be logged in/i.test(line)) return new UserError(`cannot ${what}: ${line}: ${oc.loginAdvice}`);
  return new UserError(`cannot ${what}: ${line}`);
}

/**
 * The API serves no such type here (an older OpenShift, or not OpenShift): kubectl's words for a
 * kind discovery does not list (k8s.io/cli-runtime pkg/resource, k8s.io/apimachinery meta errors).
 */
export function isUnservedType(result: RunResult): boolean {
  return /the server doesn't have a resource type|no matches for kind|could not find the requested resource/.test(result.stderr);
}

/** The client's -o json answer, or a UserError naming what was being done ("list nodes"). */
export function clientJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UserError(`cannot ${what}: the client printed something that is not JSON`);
  }
}
