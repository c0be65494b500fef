// `oc adm node-logs`: a node's journal through the API server and the kubelet's journal endpoint
// (nodes/log permission only: no pod, no image). oc only: kubectl has no such verb. oc sends
// unit, since and until as they are (openshift/oc pkg/cli/admin/node/logs.go RunLogs), and the
// endpoint (openshift/kubernetes pkg/kubelet/kubelet_server_journal.go, OpenShift's old carry on
// 4.12/4.13, NodeLogQuery from 4.14) takes:
// - since/until as `(+|-)N(s|m|h|d)` or `YYYY-MM-DD HH:MM:SS[.ffffff]`, which journalctl reads in
//   the node's local time zone (journalctl.c parse_timestamp; --utc sets the output only): UTC on
//   RHCOS unless someone changed /etc/localtime;
// - on 4.12/4.13 a grep of at most 100 characters of [a-zA-Z0-9 -_.@] only, so no alternation
//   (4.14+ takes any regular expression); the lines audit needs share no word, so it asks for
//   the unit's whole journal and filters itself;
// - and it kills journalctl at its deadline (30 s) and answers 200 with what it had, oldest
//   first, without a word, usually inside a line: an answer may be cut short, and only asking
//   again tells (app/journal-slices.ts). 4.12/4.13 read only the previous and the current boot.
import type { OcRunner, RunningProcess, StreamHandlers } from './runner.js';

/** The endpoint's date form, to the microsecond, in UTC. */
export function endpointTime(at: Date, micros = at.getUTCMilliseconds() * 1000): string {
  const iso = at.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${String(micros).padStart(6, '0')}`;
}

export function nodeLogsArgs(node: string, since: string, until: string): string[] {
  return ['adm', 'node-logs', node, '-u', 'crio', `--since=${since}`, `--until=${until}`];
}

export function followNodeLogs(oc: OcRunner, node: string, since: string, until: string, handlers: StreamHandlers): RunningProcess {
  return oc.stream(nodeLogsArgs(node, since, until), handlers);
}

/** One line of the boot before the previous one in the window: the old carry reads only two boots. */
export function olderBootProbeArgs(node: string, since: string, until: string): string[] {
  return [...nodeLogsArgs(node, since, until), '--boot=-2', '--tail=1'];
}
