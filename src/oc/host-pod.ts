// The privileged pod that reaches a node's host, as `oc debug node/N` makes it (openshift/oc
// pkg/cli/debug/debug.go: host network and PID, every taint tolerated, the host's / at /host,
// a privileged root container): one shape for the kubectl pods and the DaemonSet's, and one
// reading of what the kubelet says about its container.

/** Asks SCC admission for the privileged SCC by name, so no custom SCC of higher priority is picked (oc 4.15+, openshift/oc#1763). */
export const REQUIRED_SCC = 'openshift.io/required-scc';

export interface HostPodRequest {
  container: string;
  image: string;
  command: string[];
}

export function hostPodSpec({ container, image, command }: HostPodRequest) {
  return {
    hostNetwork: true,
    hostPID: true,
    // Every taint: control-plane, infra and NoExecute taints alike.
    tolerations: [{ operator: 'Exists' }],
    // No priority class: a probe never preempts a workload on a full node.
    // Deleted mid-pull, the node script stops podman and removes the run's store on SIGTERM (a
    // big partial pull takes a moment to remove); SIGKILL follows once this is over
    // (pkg/kubelet/pod_workers.go calculateEffectiveGracePeriod, kuberuntime_container.go
    // killContainer). Only a bound: the pod goes as soon as the script has exited.
    terminationGracePeriodSeconds: 10,
    volumes: [{ name: 'host', hostPath: { path: '/' } }],
    containers: [
      {
        name: container,
        image,
        command,
        securityContext: { privileged: true, runAsUser: 0 },
        volumeMounts: [{ name: 'host', mountPath: '/host' }],
      },
    ],
  };
}

export interface ContainerState {
  running?: unknown;
  terminated?: { exitCode?: number; message?: string };
  waiting?: { reason?: string; message?: string };
}

/**
 * Waiting reasons the kubelet keeps a container in when it will not start by itself
 * (kubernetes pkg/kubelet/images/types.go, pkg/kubelet/kuberuntime/kuberuntime_container.go).
 */
const STUCK = new Set(['ImagePullBackOff', 'ErrImagePull', 'CreateContainerConfigError', 'CreateContainerError', 'InvalidImageName', 'ErrImageNeverPull']);

/** Why a container will not start by itself, in oc debug's words, or null while it may still start. */
export function stuckContainer(container: string, state: ContainerState | undefined): string | null {
  const reason = state?.waiting?.reason;
  if (!reason || !STUCK.has(reason)) return null;
  return `Container ${container} is unable to start due to an error: ${[reason, state.waiting?.message].filter(Boolean).join(': ')}`;
}
