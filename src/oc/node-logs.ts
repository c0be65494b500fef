// `oc adm node-logs`: a node's journal through the API server and the kubelet (nodes/log
// permission only: no pod, no image). oc only: kubectl has no such verb.
import type { OcRunner, RunningProcess, StreamHandlers } from './runner.js';

/** What audit asks the journal for: the pull lines and CRI-O's starts and reloads. */
export const CRIO_PULL_GREP = 'Pulling image|Pulled image|Trying to access|Accessing|Error pulling image|Starting CRI-O|registry configuration|registries reload failed';

export function nodeLogsArgs(node: string, since: string, grep: string): string[] {
  return ['adm', 'node-logs', node, '-u', 'crio', `--since=${since}`, `--grep=${grep}`];
}

export function followNodeLogs(oc: OcRunner, node: string, since: string, handlers: StreamHandlers): RunningProcess {
  return oc.stream(nodeLogsArgs(node, since, CRIO_PULL_GREP), handlers);
}
