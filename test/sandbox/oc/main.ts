// The sandbox's `oc`: thin. Its own verbs are the ones kubectl does not have, built over the
// sandbox's API as oc builds them: `whoami` (openshift/oc pkg/cli/whoami: GET users/~),
// `debug node/N` (./debug.ts), `adm node-logs` (openshift/oc pkg/cli/admin/node/logs.go) and
// `adm policy add-scc-to-user` (pkg/cli/admin/policy/modify_scc.go), `adm release info`
// (./release.ts). Every other verb is the
// real kubectl's own code, which oc vendors: it is executed with the same arguments.
import { spawn } from 'node:child_process';
import { debugNode } from './debug.js';
import { dirname, join } from 'node:path';
import { releaseInfo } from './release.js';
import { type Connection, ClientError, connect, json, kubeconfigPath, stream } from './rest.js';
import { KUBE_MINOR_OF_OPENSHIFT } from '../api/resources.js';

const argv = process.argv.slice(2);
const globals = new Map<string, string>();
const args: string[] = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i]!;
  if (a === '--') {
    args.push(...argv.slice(i));
    break;
  }
  const m = /^--(kubeconfig|context|request-timeout)(?:=(.*))?$/.exec(a);
  if (m) globals.set(m[1]!, m[2] ?? argv[++i] ?? '');
  else args.push(a);
}

const own = args[0] === 'whoami' || args[0] === 'debug' || (args[0] === 'adm' && (args[1] === 'node-logs' || args[1] === 'policy' || args[1] === 'release'));
if (!own) {
  const child = spawn('kubectl', argv, { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
  child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  try {
    const c = connect(globals.get('kubeconfig'), globals.get('context'));
    process.exitCode = await run(c);
  } catch (error) {
    if (!(error instanceof ClientError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  }
}

async function release(c: Connection): Promise<number> {
  // The oc that matches the cluster: its minor release from the server's Kubernetes version.
  const version = await json<{ minor: string }>(c, 'GET', '/version');
  const openshift = Object.entries(KUBE_MINOR_OF_OPENSHIFT).find(([, kube]) => String(kube) === version.minor.replace('+', ''))?.[0] ?? '4.18';
  // 5.0 is the branch 4.23 was (openshift/oc release-5.0 is release-4.23): it counts as 23.
  return openshift === '5.0' ? 23 : Number(openshift.split('.')[1]);
}

function flagsOf(list: string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < list.length; i++) {
    const m = /^(--?[\w-]+)(?:=(.*))?$/.exec(list[i]!);
    if (!m) continue;
    const next = list[i + 1];
    flags.set(m[1]!, m[2] ?? (next && !next.startsWith('-') ? (i++, next) : 'true'));
  }
  return flags;
}

async function run(c: Connection): Promise<number> {
  if (args[0] === 'whoami') {
    const user = await json<{ metadata: { name: string } }>(c, 'GET', '/apis/user.openshift.io/v1/users/~');
    process.stdout.write(`${user.metadata.name}\n`);
    return 0;
  }
  if (args[0] === 'debug') {
    const dash = args.indexOf('--');
    const target = args[1] ?? '';
    if (!target.startsWith('node/')) throw new ClientError('error: the sandbox oc debugs nodes only (node/NAME)');
    return debugNode(c, await release(c), target, flagsOf(args.slice(2, dash === -1 ? undefined : dash)), dash === -1 ? ['/bin/sh'] : args.slice(dash + 1));
  }
  if (args[1] === 'node-logs') return nodeLogs(c, args.slice(2));
  if (args[1] === 'release' && args[2] === 'info') return releaseInfo(c, args.slice(3), join(dirname(kubeconfigPath(globals.get('kubeconfig'))), 'workstation-certs'));
  return policy(c, args.slice(2));
}

async function nodeLogs(c: Connection, rest: string[]): Promise<number> {
  const nodes = rest.filter((a, i) => !a.startsWith('-') && !/^(-u|--unit|-g|--grep|--since|--until|--path|--tail|--boot)$/.test(rest[i - 1] ?? ''));
  const flags = flagsOf(rest);
  if (nodes.length !== 1) throw new ClientError('error: the sandbox oc reads one node at a time');
  const node = nodes[0]!;
  await json(c, 'GET', `/api/v1/nodes/${encodeURIComponent(node)}`);
  const q = new URLSearchParams();
  for (const [flag, key] of [['--until', 'until'], ['--since', 'since']] as const) if (flags.has(flag)) q.append(key, flags.get(flag)!);
  const unit = flags.get('-u') ?? flags.get('--unit');
  const grep = flags.get('-g') ?? flags.get('--grep');
  const tail = flags.get('--tail');
  // boot only when --boot is given (RunLogs: `if o.BootChanaged`).
  const boot = flags.get('--boot');
  const params: [string, string | undefined][] = [
    ['boot', boot],
    ['unit', unit], ['query', unit],
    ['grep', grep], ['pattern', grep], ['case-sensitive', grep ? (flags.get('--case-sensitive') ?? 'true') : undefined],
    ['tail', tail], ['tailLines', tail],
  ];
  for (const [key, value] of params) if (value !== undefined) q.append(key, value);
  const answer = await stream(c, `/api/v1/nodes/${encodeURIComponent(node)}/proxy/logs/journal?${q}`, (chunk) => process.stdout.write(chunk)).done;
  if (answer) {
    // k8s.io/client-go rest/request.go newUnstructuredResponseError: a text answer becomes a
    // generic server error whose cause is the text; oc prints both (RunLogs).
    process.stderr.write(`error: the server rejected our request for an unknown reason\n  ${answer.body.trim()}\n`);
    return 1;
  }
  return 0;
}

async function policy(c: Connection, rest: string[]): Promise<number> {
  const flags = flagsOf(rest);
  const [verb, scc] = rest;
  const account = flags.get('-z') ?? flags.get('--serviceaccount');
  if (verb !== 'add-scc-to-user' || !scc || !account) throw new ClientError('error: the sandbox oc knows `adm policy add-scc-to-user SCC -z SERVICEACCOUNT [-n NAMESPACE]` only');
  const namespace = flags.get('-n') ?? flags.get('--namespace');
  const role = `system:openshift:scc:${scc}`;
  const subject = { kind: 'ServiceAccount', name: account, namespace: namespace ?? 'default' };
  // modify_scc.go: a RoleBinding in NAMESPACE when -n is given, else a ClusterRoleBinding.
  const binding = { metadata: { name: role, ...(namespace ? { namespace } : {}) }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role }, subjects: [subject] };
  const path = namespace ? `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/rolebindings` : '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings';
  await json(c, 'POST', path, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: namespace ? 'RoleBinding' : 'ClusterRoleBinding', ...binding });
  process.stdout.write(`clusterrole.rbac.authorization.k8s.io/${role} added: "${account}"\n`);
  return 0;
}
