// The oc way: `oc debug node/N` makes the pod, streams the command's output (stdout and stderr
// merged, on its own stdout; its talk on stderr), and deletes the pod, also on SIGINT.
import type { PodStrategy } from './node-runner.js';
import type { OcRunner } from './runner.js';

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

/** oc picks the debug image itself (the cluster's tools image stream) unless --image is given. */
export function ocDebugStrategy(oc: OcRunner, image: string | undefined): PodStrategy {
  return {
    name: 'oc debug',
    notices: [],
    start: (node, namespace, command, handlers) => oc.stream(debugNodeArgs({ node, namespace, image, command }), handlers),
    plan: (node, namespace, command) => [{ node, argv: oc.commandLine(debugNodeArgs({ node, namespace, image, command })) }],
  };
}
