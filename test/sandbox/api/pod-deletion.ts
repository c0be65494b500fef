// How long a deleted pod's processes get to stop, as the API server and the kubelet work it out.
import type { KubeObject } from './types.js';

/** The API defaults an unset grace period (kubernetes pkg/apis/core/v1/defaults.go SetDefaults_PodSpec). */
export const DEFAULT_TERMINATION_GRACE_SECONDS = 30;

/**
 * The grace period a DELETE gives a pod (pkg/registry/core/pod/strategy.go CheckGracefulDelete):
 * the request's, else the pod's own; 0 for a pod not bound to a node or already finished; a
 * negative one becomes 1. At 0 the object goes at once (k8s.io/apiserver
 * pkg/registry/generic/registry/store.go, updateForGracefulDeletionAndFinalizers).
 */
export function deletionGraceSeconds(pod: KubeObject, requested: number | undefined): number {
  let period = requested ?? (pod.spec?.terminationGracePeriodSeconds as number | undefined) ?? 0;
  if (!pod.spec?.nodeName) period = 0;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') period = 0;
  return period < 0 ? 1 : period;
}

/**
 * A DELETE of a pod already terminating (k8s.io/apiserver pkg/registry/rest/delete.go
 * BeforeDelete): it may only shorten the grace period, compared with the period
 * CheckGracefulDelete works out for this request first (the request's, else the pod's own, 0 for
 * a pod unbound or finished by now). The new one, 0 to remove the pod now (also when it had none
 * or 0), or null when nothing changes (the deletion is pending).
 */
export function shortenedGraceSeconds(pod: KubeObject, requested: number | undefined): number | null {
  const current = pod.metadata.deletionGracePeriodSeconds as number | undefined;
  if (current === undefined || current === 0) return 0;
  const period = deletionGraceSeconds(pod, requested);
  if (period >= current) return null;
  return Math.max(period, 0);
}

/**
 * How long the kubelet lets a deleted pod's container run after SIGTERM before SIGKILL: the
 * deletion's grace period when the API set one, else the pod's own, never under 1
 * (pkg/kubelet/pod_workers.go calculateEffectiveGracePeriod), and never under 2 s when the
 * container is stopped (pkg/kubelet/kuberuntime/kuberuntime_container.go killContainer,
 * minimumGracePeriodInSeconds).
 */
export function killWindowSeconds(pod: KubeObject): number {
  const deletion = pod.metadata.deletionGracePeriodSeconds as number | undefined;
  const own = (pod.spec?.terminationGracePeriodSeconds as number | undefined) ?? 0;
  const grace = Math.max(deletion ?? own, 1);
  return Math.max(grace, 2);
}
