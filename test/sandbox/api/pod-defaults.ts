// What the API fills in on a pod it is given (kubernetes pkg/apis/core/v1/defaults.go):
// SetDefaults_PodSpec gives a grace period of 30 s and restartPolicy Always; SetDefaults_Container
// gives every container, init containers too, its termination message at /dev/termination-log,
// read from that file only (TerminationMessageReadFile).
import { DEFAULT_TERMINATION_GRACE_SECONDS } from './pod-deletion.js';
import type { Container, PodSpec } from './types.js';

const withContainerDefaults = (c: Container): Container => ({ terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', ...c });

export function withPodDefaults(spec: PodSpec): PodSpec {
  return {
    terminationGracePeriodSeconds: DEFAULT_TERMINATION_GRACE_SECONDS,
    restartPolicy: 'Always',
    ...spec,
    containers: (spec.containers ?? []).map(withContainerDefaults),
    ...(spec.initContainers ? { initContainers: spec.initContainers.map(withContainerDefaults) } : {}),
  };
}
