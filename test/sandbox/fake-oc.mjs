// The sandbox's `oc`: a stand-in for the cluster at the client boundary only.
// `oc get` is served from JSON files; `oc debug node/N -- chroot /host CMD` runs CMD for real in a
// private mount namespace where the node's registries.conf, registries.conf.d, pull secret and
// container storage are bind-mounted over the host paths, so the real podman reads the node's
// real configuration. It talks like the real oc: pod messages on stderr, the command's output
// merged on stdout, exit 1 for any failure. Every pod and namespace lands in a ledger.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

const [, , stateFlag, stateDir, ...rawArgs] = process.argv;
if (stateFlag !== '--state' || !stateDir) {
  process.stderr.write('fake-oc: run through the sandbox bin/oc wrapper\n');
  process.exit(2);
}
const clusterDir = join(stateDir, 'cluster');
const ledgerFile = join(stateDir, 'ledger.jsonl');
const settings = readJson(join(stateDir, 'settings.json'), { ocWaitSeconds: 900 });
const clientName = process.env.SANDBOX_CLIENT_NAME ?? 'oc';

function readJson(path, fallback) {
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : fallback;
}

function ledger(event) {
  appendFileSync(ledgerFile, `${JSON.stringify({ time: Date.now(), pid: process.pid, ...event })}\n`);
}

function fail(message, code = 1) {
  process.stderr.write(`error: ${message}\n`);
  process.exit(code);
}

// Global flags are accepted anywhere, as oc does, and recorded so tests can see them passed through.
const globals = {};
const args = [];
for (let i = 0; i < rawArgs.length; i++) {
  const arg = rawArgs[i];
  if (arg === '--') {
    args.push(...rawArgs.slice(i));
    break;
  }
  const m = /^--(kubeconfig|context)(?:=(.*))?$/.exec(arg);
  if (m) {
    globals[m[1]] = m[2] ?? rawArgs[++i];
    continue;
  }
  args.push(arg);
}
ledger({ event: 'call', client: clientName, args: rawArgs, globals });

if (existsSync(join(stateDir, 'logged-out'))) fail('You must be logged in to the server (Unauthorized)');

function liveNamespaces() {
  const alive = new Set();
  if (!existsSync(ledgerFile)) return alive;
  for (const line of readFileSync(ledgerFile, 'utf8').split('\n')) {
    if (!line) continue;
    const e = JSON.parse(line);
    if (e.event === 'namespace-created') alive.add(e.namespace);
    if (e.event === 'namespace-deleted') alive.delete(e.namespace);
  }
  return alive;
}

function livePods(namespace) {
  const alive = new Map();
  for (const line of readFileSync(ledgerFile, 'utf8').split('\n')) {
    if (!line) continue;
    const e = JSON.parse(line);
    if (e.event === 'pod-created' && e.namespace === namespace) alive.set(e.pod, true);
    if (e.event === 'pod-deleted') alive.delete(e.pod);
  }
  return [...alive.keys()];
}

const RESOURCES = {
  nodes: 'nodes.json',
  node: 'nodes.json',
  'imagecontentsourcepolicies.operator.openshift.io': 'imagecontentsourcepolicies.json',
  imagecontentsourcepolicy: 'imagecontentsourcepolicies.json',
  'imagedigestmirrorsets.config.openshift.io': 'imagedigestmirrorsets.json',
  'imagetagmirrorsets.config.openshift.io': 'imagetagmirrorsets.json',
  'images.config.openshift.io': 'image-config.json',
  'machineconfigpools.machineconfiguration.openshift.io': 'machineconfigpools.json',
  'machineconfigs.machineconfiguration.openshift.io': 'machineconfigs.json',
};

function get(rest) {
  const [resource, maybeName] = rest;
  if ((resource === 'pod' || resource === 'pods') && (rest.includes('--all-namespaces') || rest.includes('-A'))) return getAllPods(rest);
  if (resource === 'pod' || resource === 'pods') return getPod(rest.slice(1));
  const file = RESOURCES[resource];
  const name = maybeName && !maybeName.startsWith('-') ? maybeName : undefined;
  if (!file) fail(`the server doesn't have a resource type "${resource?.split('.')[0]}"`);
  const path = join(clusterDir, file);
  if (!existsSync(path)) fail(`the server doesn't have a resource type "${resource.split('.')[0]}"`);
  const data = JSON.parse(readFileSync(path, 'utf8'));
  if (name) {
    const item = (data.items ?? [data]).find((i) => i.metadata?.name === name);
    if (!item) {
      if (rest.includes('--ignore-not-found')) return;
      fail(`${resource.split('.')[0]} "${name}" not found`);
    }
    process.stdout.write(`${JSON.stringify(item, null, 2)}\n`);
    return;
  }
  const selectorIndex = rest.findIndex((a) => a === '-l' || a === '--selector');
  const selectorFlag = rest.find((a) => a.startsWith('--selector='));
  const selector = selectorFlag ? selectorFlag.slice('--selector='.length) : selectorIndex === -1 ? undefined : rest[selectorIndex + 1];
  const items = (data.items ?? []).filter((item) => matchesSelector(item.metadata?.labels ?? {}, selector));
  const output = rest.includes('-o') ? rest[rest.indexOf('-o') + 1] : rest.find((a) => a.startsWith('--output='))?.slice('--output='.length);
  if (output === 'name') {
    // `oc get nodes -o name`: one kind/name per line.
    for (const item of items) process.stdout.write(`${resource.split('.')[0].replace(/s$/, '')}/${item.metadata.name}\n`);
    return;
  }
  process.stdout.write(`${JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2)}\n`);
}

// `get pods -A -o json [--field-selector=status.phase=Running]`: the cluster's workload pods.
function getAllPods(rest) {
  const path = join(clusterDir, 'pods.json');
  const items = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')).items : [];
  const phase = rest.find((a) => a.startsWith('--field-selector='))?.match(/status\.phase=(\w+)/)?.[1];
  const selected = items.filter((p) => !phase || p.status?.phase === phase);
  process.stdout.write(`${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: selected }, null, 2)}\n`);
}

function matchesSelector(labels, selector) {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    let m;
    if ((m = /^([^!=]+)!=(.*)$/.exec(term))) return labels[m[1]] !== m[2];
    if ((m = /^([^!=]+)==?(.*)$/.exec(term))) return labels[m[1]] === m[2];
    if (term.startsWith('!')) return !(term.slice(1) in labels);
    return term in labels;
  });
}

async function create(rest) {
  if (rest[0] !== '-f' || rest[1] !== '-') fail('the sandbox only creates from -f -');
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const object = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  if (object.kind === 'Pod') return createPod(object, rest);
  if (object.kind !== 'Namespace') fail(`the sandbox cannot create a ${object.kind}`);
  const name = object.metadata.name ?? `${object.metadata.generateName}${randomBytes(3).toString('hex').slice(0, 5)}`;
  ledger({ event: 'namespace-created', namespace: name, labels: object.metadata.labels, annotations: object.metadata.annotations });
  process.stdout.write(rest.includes('name') ? `namespace/${name}\n` : `namespace/${name} created\n`);
}

// kubectl's path: a pod is created, its logs followed, then deleted; the command runs when
// its logs are first followed, as a pod runs once it is created.
function createPod(pod, rest) {
  const namespace = pod.metadata.namespace;
  if (!liveNamespaces().has(namespace)) fail(`namespaces "${namespace}" not found`);
  const nodes = JSON.parse(readFileSync(join(clusterDir, 'nodes.json'), 'utf8')).items;
  if (!nodes.some((n) => n.metadata.name === pod.spec.nodeName)) fail(`nodes "${pod.spec.nodeName}" not found`);
  const name = pod.metadata.name ?? `${pod.metadata.generateName}${randomBytes(3).toString('hex').slice(0, 5)}`;
  mkdirSync(join(stateDir, 'pods'), { recursive: true });
  writeFileSync(join(stateDir, 'pods', `${namespace}.${name}.json`), JSON.stringify(pod));
  ledger({ event: 'pod-created', pod: name, namespace, node: pod.spec.nodeName, image: pod.spec.containers[0].image, privileged: pod.spec.containers[0].securityContext?.privileged === true });
  process.stdout.write(rest.includes('name') ? `pod/${name}\n` : `pod/${name} created\n`);
}

function readPod(rest) {
  const name = (rest.find((a) => !a.startsWith('-') && a !== 'pod') ?? '').replace(/^pod\//, '');
  const namespace = rest[rest.indexOf('-n') + 1];
  const path = join(stateDir, 'pods', `${namespace}.${name}.json`);
  if (!existsSync(path)) fail(`pods "${name}" not found`);
  return { name, namespace, pod: JSON.parse(readFileSync(path, 'utf8')) };
}

async function logs(rest) {
  if (!rest.includes('-f')) fail('the sandbox only follows logs (-f)');
  const { pod } = readPod(rest);
  const nodeDir = join(stateDir, 'nodes', pod.spec.nodeName);
  const behaviour = podBehaviour(pod, nodeDir);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(1));
  if (behaviour !== 'normal') {
    // kubectl logs waits, silently, for a container that never runs.
    await sleep(settings.ocWaitSeconds * 1000);
    fail('timed out waiting for the condition');
  }
  const command = pod.spec.containers[0].command;
  const hostCommand = command[0] === 'chroot' && command[1] === '/host' ? command.slice(2) : command;
  let child;
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.removeAllListeners(signal);
    process.on(signal, () => {
      if (child) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      process.exit(1);
    });
  }
  await runInNode(nodeDir, hostCommand, (c) => (child = c));
  process.exit(0);
}

function podBehaviour(pod, nodeDir) {
  return pod.spec.containers[0].image.includes('does-not-exist') ? 'pod-fails' : nodeBehaviour(nodeDir);
}

function getPod(rest) {
  const { name, pod } = readPod(rest);
  const behaviour = podBehaviour(pod, join(stateDir, 'nodes', pod.spec.nodeName));
  const image = pod.spec.containers[0].image;
  const status =
    behaviour === 'pod-fails'
      ? { phase: 'Pending', containerStatuses: [{ name: 'container-00', state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } } }] }
      : behaviour === 'not-ready'
        ? { phase: 'Pending' }
        : { phase: 'Running', containerStatuses: [{ name: 'container-00', state: { running: {} } }] };
  process.stdout.write(`${JSON.stringify({ ...pod, metadata: { ...pod.metadata, name }, status })}\n`);
}

function del(rest) {
  const [kind, name] = rest;
  if (kind === 'pod' || kind === 'pods') {
    const { namespace } = readPod(rest);
    ledger({ event: 'pod-deleted', pod: name, namespace });
    process.stdout.write(`pod "${name}" deleted\n`);
    return;
  }
  if (kind !== 'namespace' && kind !== 'ns') fail(`the sandbox cannot delete a ${kind}`);
  if (!liveNamespaces().has(name)) {
    if (rest.includes('--ignore-not-found')) return;
    fail(`namespaces "${name}" not found`);
  }
  // Deleting a namespace deletes its pods, as the API server's namespace controller does.
  for (const pod of livePods(name)) ledger({ event: 'pod-deleted', pod, namespace: name, cascade: true });
  ledger({ event: 'namespace-deleted', namespace: name });
  process.stdout.write(`namespace "${name}" deleted\n`);
}

function nodeBehaviour(nodeDir) {
  return readJson(join(nodeDir, 'behaviour.json'), { behaviour: 'normal' }).behaviour;
}

async function debug(rest) {
  const target = rest[0] ?? '';
  if (!target.startsWith('node/')) fail('the sandbox only debugs nodes');
  const node = target.slice('node/'.length);
  const flags = rest.slice(1, rest.indexOf('--') === -1 ? undefined : rest.indexOf('--'));
  const command = rest.indexOf('--') === -1 ? [] : rest.slice(rest.indexOf('--') + 1);
  const flag = (name) => {
    const joined = flags.find((f) => f.startsWith(`${name}=`));
    if (joined) return joined.slice(name.length + 1);
    return flags.includes(name) ? flags[flags.indexOf(name) + 1] : undefined;
  };
  const namespace = flag('--to-namespace');
  const image = flag('--image');
  const nodes = JSON.parse(readFileSync(join(clusterDir, 'nodes.json'), 'utf8')).items;
  if (!nodes.some((n) => n.metadata.name === node)) fail(`nodes "${node}" not found`);
  if (!namespace) fail('the sandbox expects --to-namespace (oc would make a temporary namespace)');
  if (!liveNamespaces().has(namespace)) fail(`namespaces "${namespace}" not found`);

  const pod = `${node.replaceAll('.', '')}-debug-${randomBytes(3).toString('hex').slice(0, 5)}`;
  ledger({ event: 'pod-created', pod, namespace, node, image: image ?? null });
  let child;
  let finished = false;
  const removePod = () => {
    if (finished) return;
    finished = true;
    process.stderr.write('\nRemoving debug pod ...\n');
    ledger({ event: 'pod-deleted', pod, namespace, node });
  };
  const nodeDir = join(stateDir, 'nodes', node);
  const behaviour = image?.includes('does-not-exist') ? 'pod-fails' : nodeBehaviour(nodeDir);
  // oc's interrupt handler deletes the pod, then exits 1; against a slow API server that
  // deletion takes a while ('slow-stop').
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, async () => {
      if (child) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      if (behaviour === 'slow-stop') await sleep(3000);
      removePod();
      process.exit(1);
    });
  }
  process.stderr.write(`Starting pod/${pod} ...\n`);

  if (behaviour === 'not-ready' || behaviour === 'pod-fails') {
    if (behaviour === 'pod-fails') {
      await sleep(300);
      process.stderr.write(
        `warning: Container container-00 is unable to start due to an error: Back-off pulling image "${image ?? 'registry.redhat.io/rhel9/support-tools'}"\n`,
      );
    }
    await sleep(settings.ocWaitSeconds * 1000);
    removePod();
    fail('timed out waiting for the condition');
  }
  process.stderr.write('To use host binaries, run `chroot /host`. Instead, if you need to access host namespaces, run `nsenter -a -t 1`.\n');
  if (behaviour === 'hang' || behaviour === 'slow-stop') {
    await sleep(settings.ocWaitSeconds * 1000);
    removePod();
    fail('timed out waiting for the condition');
  }

  // The node's root is the namespace's root, with the node's files mounted over it: `/host` is `/`.
  const hostCommand = command[0] === 'chroot' && command[1] === '/host' ? command.slice(2) : command;
  const exitCode = await runInNode(nodeDir, hostCommand, (c) => (child = c));
  removePod();
  if (exitCode !== 0) fail('non-zero exit code from debug container');
  process.exit(0);
}

const NODE_MOUNTS = [
  ['registries.conf', '/etc/containers/registries.conf'],
  ['registries.conf.d', '/etc/containers/registries.conf.d'],
  ['kubelet', '/var/lib/kubelet'],
  ['storage', '/var/lib/containers/storage'],
  ['cache', '/var/lib/containers/cache'],
  ['run', '/run/containers/storage'],
  ['libpod', '/run/libpod'],
  ['mco', '/etc/mco'],
];

const MOUNT_SCRIPT = `set -e
node="$1"; shift
while [ "$1" != "--" ]; do mount --bind "$node/$1" "$2"; shift 2; done
shift
exec "$@"`;

function runInNode(nodeDir, command, onSpawn) {
  return new Promise((resolve) => {
    const mountArgs = NODE_MOUNTS.flatMap(([from, to]) => [from, to]);
    const c = spawn(
      'unshare',
      ['--mount', '--propagation', 'private', '--', '/bin/sh', '-c', MOUNT_SCRIPT, 'sh', nodeDir, ...mountArgs, '--', ...command],
      { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    onSpawn(c);
    // Pod logs merge the container's stdout and stderr.
    c.stdout.pipe(process.stdout, { end: false });
    c.stderr.pipe(process.stdout, { end: false });
    c.on('close', (code) => resolve(code ?? 1));
  });
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

// Dispatch last: the handlers above use module constants declared further down.
const [verb, ...rest] = args;
switch (verb) {
  case 'whoami':
    process.stdout.write('system:admin\n');
    break;
  case 'auth':
    if (rest[0] === 'whoami') process.stdout.write('system:admin');
    else fail(`unknown command "auth ${rest[0]}"`);
    break;
  case 'get':
    get(rest);
    break;
  case 'create':
    await create(rest);
    break;
  case 'delete':
    del(rest);
    break;
  case 'debug':
    // kubectl debug has no --to-namespace, and never waits or streams: the plugin must not use it.
    if (clientName === 'kubectl' && rest.some((a) => a.startsWith('--to-namespace'))) fail('unknown flag: --to-namespace');
    await debug(rest);
    break;
  case 'logs':
    await logs(rest);
    break;
  case 'config':
    // The sandbox's kubeconfig has one context.
    if (rest[0] === 'get-contexts' && rest.includes('name')) process.stdout.write('sandbox\n');
    else fail(`the sandbox only answers config get-contexts -o name`);
    break;
  default:
    fail(`unknown command "${verb}" for "oc"`);
}
