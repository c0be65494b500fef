// The privileged host pod both ways of reaching a node send, written out once for the tests: the
// shape `oc debug node/N` gives its pod (openshift/oc pkg/cli/debug/debug.go).
export function hostPodShape(container: string, image: string, command: string[], env?: { name: string; value: string }[]) {
  return {
    hostNetwork: true,
    hostPID: true,
    tolerations: [{ operator: 'Exists' }],
    terminationGracePeriodSeconds: 10,
    volumes: [{ name: 'host', hostPath: { path: '/' } }],
    containers: [{ name: container, image, command, securityContext: { privileged: true, runAsUser: 0 }, volumeMounts: [{ name: 'host', mountPath: '/host' }], ...(env ? { env } : {}) }],
  };
}
