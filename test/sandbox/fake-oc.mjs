// The sandbox's `oc`: a stand-in for the cluster at the client boundary only.
// `oc get` is served from JSON files; `oc debug node/N -- chroot /host CMD` runs CMD for real in a
// private mount namespace where the node's registries.conf, registries.conf.d, pull secret and
// container storage are bind-mounted over the host paths, so the real podman reads the node's
// real configuration. It talks like the real oc: pod messages on stderr, the command's output
// merged on stdout, exit 1 for any failure. Every pod and namespace lands in a ledger.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { daemonSets, generatedName } from './fake-daemonset.mjs';
import { readLedger } from './ledger.mjs';
import { journalctl } from './crio.mjs';
import { runInNode } from './node-namespace.mjs';

const [, , stateFlag, stateDir, ...rawArgs] = process.argv;
if (stateFlag !== '--state' || !stateDir) {
  process.stderr.write('fake-oc: run through the sandbox bin/oc wrapper\n');
  process.exit(2);
}
const clusterDir = join(stateDir, 'cluster');
const ledgerFile = join(stateDir, 'ledger.jsonl');
// What exists (namespaces, pods) is read back on every call: from a ledger of object events only,
// so that a call's cost does not grow with the calls before it (real oc's does not).
const objectsFile = join(stateDir, 'objects.jsonl');
const settings = readJson(join(stateDir, 'settings.json'), { ocWaitSeconds: 900 });
const clientName = process.env.SANDBOX_CLIENT_NAME ?? 'oc';

function readJson(path, fallback) {
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : fallback;
}

function ledger(event) {
  const line = `${JSON.stringify({ time: Date.now(), pid: process.pid, ...event })}\n`;
  appendFileSync(ledgerFile, line);
  if (event.event !== 'call') appendFileSync(objectsFile, line);
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
// The sandbox's own kubelets are not client calls.
if (args[0] !== '__kubelet') ledger({ event: 'call', client: clientName, args: rawArgs, globals });

if (existsSync(join(stateDir, 'logged-out'))) fail('You must be logged in to the server (Unauthorized)');

function liveNamespaces() {
  const alive = new Set();
  for (const e of readLedger(objectsFile)) {
    if (e.event === 'namespace-created') alive.add(e.namespace);
    if (e.event === 'namespace-deleted') alive.delete(e.namespace);
  }
  return alive;
}

function livePods(namespace) {
  const alive = new Map();
  for (const e of readLedger(objectsFile)) {
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
  const selectorArg = rest.find((a) => a.startsWith('--selector='))?.slice('--selector='.length);
  if (resource === 'pods' && selectorArg && rest.includes('-n')) return ds().list(rest[rest.indexOf('-n') + 1], selectorObject(selectorArg));
  if (resource === 'imagestreamtag') return getImageStreamTag(rest);
  if (resource === 'daemonsets,pods') return getNamespaceContents(rest[rest.indexOf('-n') + 1]);
  if (resource === 'namespaces' || resource === 'namespace') return getNamespaces(selectorArg ?? (rest.includes('-l') ? rest[rest.indexOf('-l') + 1] : undefined));
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

function selectorObject(text) {
  return Object.fromEntries(text.split(',').map((t) => t.split('=')));
}

// `get imagestreamtag tools:latest -n openshift -o jsonpath={.image.dockerImageReference}`
function getImageStreamTag(rest) {
  const path = join(clusterDir, 'imagestreamtags.json');
  const tags = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')).items : [];
  const tag = tags.find((t) => t.metadata.name === rest[1]);
  if (!tag) fail(`imagestreamtags.image.openshift.io "${rest[1]}" not found`);
  process.stdout.write(tag.image.dockerImageReference);
}

// `get daemonsets,pods -n NS -o name`
function getNamespaceContents(namespace) {
  const names = [];
  const dsDir = join(stateDir, 'daemonsets');
  if (existsSync(dsDir)) for (const f of readdirSync(dsDir).filter((x) => x.startsWith(`${namespace}.`))) names.push(`daemonset.apps/${f.slice(namespace.length + 1, -5)}`);
  for (const pod of livePods(namespace)) names.push(`pod/${pod}`);
  process.stdout.write(names.map((n) => `${n}\n`).join(''));
}

// Live namespaces, with labels and creation time, as the API server lists them.
function getNamespaces(selector) {
  const live = new Map();
  for (const e of readLedger(objectsFile)) {
    if (e.event === 'namespace-created') live.set(e.namespace, e);
    if (e.event === 'namespace-deleted') live.delete(e.namespace);
  }
  const items = [...live.values()]
    .map((e) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: e.namespace, labels: e.labels ?? {}, creationTimestamp: e.creationTimestamp ?? new Date(e.time).toISOString() } }))
    .filter((n) => matchesSelector(n.metadata.labels, selector));
  process.stdout.write(`${JSON.stringify({ apiVersion: 'v1', kind: 'List', items })}\n`);
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
  if (object.kind === 'DaemonSet') {
    if (!liveNamespaces().has(object.metadata.namespace)) fail(`namespaces "${object.metadata.namespace}" not found`);
    ds().create(object);
    process.stdout.write(rest.includes('name') ? `daemonset.apps/${object.metadata.name}\n` : `daemonset.apps/${object.metadata.name} created\n`);
    return;
  }
  if (object.kind !== 'Namespace') fail(`the sandbox cannot create a ${object.kind}`);
  const name = object.metadata.name ?? generatedName(object.metadata.generateName, (candidate) => liveNamespaces().has(candidate));
  // A generated name that collides with an existing namespace, as the API server reports it.
  const collisions = join(stateDir, 'namespace-collisions');
  if (existsSync(collisions) && Number(readFileSync(collisions, 'utf8')) > 0) {
    writeFileSync(collisions, String(Number(readFileSync(collisions, 'utf8')) - 1));
    fail(`Error from server (AlreadyExists): namespaces "${name}" already exists`);
  }
  ledger({ event: 'namespace-created', namespace: name, labels: object.metadata.labels, annotations: object.metadata.annotations, creationTimestamp: new Date().toISOString() });
  process.stdout.write(rest.includes('name') ? `namespace/${name}\n` : `namespace/${name} created\n`);
}

// kubectl's path: a pod is created, its logs followed, then deleted; the command runs when
// its logs are first followed, as a pod runs once it is created.
function createPod(pod, rest) {
  const namespace = pod.metadata.namespace;
  if (nodeBehaviour(join(stateDir, 'nodes', pod.spec.nodeName)) === 'refused') fail(QUOTA(pod.metadata.generateName));
  if (!liveNamespaces().has(namespace)) fail(`namespaces "${namespace}" not found`);
  const nodes = JSON.parse(readFileSync(join(clusterDir, 'nodes.json'), 'utf8')).items;
  if (!nodes.some((n) => n.metadata.name === pod.spec.nodeName)) fail(`nodes "${pod.spec.nodeName}" not found`);
  const name = pod.metadata.name ?? generatedName(pod.metadata.generateName, (candidate) => existsSync(join(stateDir, 'pods', `${namespace}.${candidate}.json`)));
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
  const namespace = rest.includes('-n') ? rest[rest.indexOf('-n') + 1] : undefined;
  const selector = rest.find((a) => a.startsWith('--selector='))?.slice('--selector='.length);
  const maxRequests = Number(rest.find((a) => a.startsWith('--max-log-requests='))?.split('=')[1] ?? 5);
  const followFlags = { prefix: rest.includes('--prefix'), ignoreErrors: rest.includes('--ignore-errors'), maxRequests };
  if (selector) {
    await ds().follow(namespace, ds().podsIn(namespace, selectorObject(selector)), followFlags);
    process.exit(0);
  }
  const { pod } = readPod(rest);
  if (pod.ownerDaemonSet) {
    await ds().follow(namespace, [pod], { ...followFlags, maxRequests: 1 });
    process.exit(0);
  }
  const nodeDir = join(stateDir, 'nodes', pod.spec.nodeName);
  const behaviour = podBehaviour(pod, nodeDir);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(1));
  if (behaviour !== 'normal') {
    // kubectl logs waits, silently, for a container that never runs.
    await sleep(settings.ocWaitSeconds * 1000);
    fail('timed out waiting for the condition');
  }
  const command = pod.spec.containers[0].command;
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
  await runInNode(nodeDir, command, (c) => (child = c));
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
  if (kind === 'daemonset' || kind === 'daemonsets') {
    ds().remove(rest[rest.indexOf('-n') + 1], name, rest.includes('--ignore-not-found'));
    return;
  }
  if (kind !== 'namespace' && kind !== 'ns') fail(`the sandbox cannot delete a ${kind}`);
  if (!liveNamespaces().has(name)) {
    if (rest.includes('--ignore-not-found')) return;
    fail(`namespaces "${name}" not found`);
  }
  // Deleting a namespace deletes what is in it, as the API server's namespace controller does.
  ds().deleteNamespace(name);
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
  const early = nodeBehaviour(join(stateDir, 'nodes', node));
  if (early === 'deleted') fail(`Error from server (NotFound): nodes "${node}" not found`);
  if (early === 'refused') fail(QUOTA(`${node.replaceAll('.', '')}-debug-`));
  if (!liveNamespaces().has(namespace)) fail(`namespaces "${namespace}" not found`);

  const pod = generatedName(`${node.replaceAll('.', '')}-debug-`);
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
  if (settings.light) {
    // The fan-out bench: a recorded node log after the pod's latency, no mount namespace.
    process.stderr.write(`Starting pod/${pod} ...\n`);
    await sleep(settings.podLatencyMs ?? 1000);
    process.stdout.write(readFileSync(settings.light.log, 'utf8'));
    removePod();
    process.exit(0);
  }
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

  const exitCode = await runInNode(nodeDir, command, (c) => (child = c));
  removePod();
  if (exitCode !== 0) fail('non-zero exit code from debug container');
  process.exit(0);
}


let dsInstance;
function ds() {
  dsInstance ??= daemonSets({
    stateDir,
    clusterDir,
    settings,
    ledger,
    fail,
    nodeBehaviour: (node) => nodeBehaviour(join(stateDir, 'nodes', node)),
    runInNode,
    self: fileURLToPath(import.meta.url),
  });
  return dsInstance;
}

// What a ResourceQuota (or an admission webhook) answers to one pod too many.
const QUOTA = (prefix) => `pods "${prefix}x1" is forbidden: exceeded quota: pods-quota, requested: pods=1, used: pods=10, limited: pods=10`;

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

// Dispatch last: the handlers above use module constants declared further down.
const [verb, ...rest] = args;
switch (verb) {
  case '__kubelet':
    await ds().kubelet(rest[0], rest[1]);
    break;
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
  case 'adm':
    // `oc adm node-logs NODE -u crio --since=... --grep=...`: the node's journal, through the kubelet.
    if (rest[0] !== 'node-logs') fail(`unknown command "adm ${rest[0]}" for "oc"`);
    if (clientName === 'kubectl') fail('unknown command "adm" for "kubectl"');
    {
      const node = rest[1];
      const nodes = JSON.parse(readFileSync(join(clusterDir, 'nodes.json'), 'utf8')).items;
      if (!nodes.some((n) => n.metadata.name === node)) fail(`nodes "${node}" not found`);
      process.stdout.write(journalctl(join(stateDir, 'nodes', node), rest.slice(2)));
    }
    break;
  case 'config':
    // The sandbox's kubeconfig has one context.
    if (rest[0] === 'get-contexts' && rest.includes('name')) process.stdout.write('sandbox\n');
    else fail(`the sandbox only answers config get-contexts -o name`);
    break;
  default:
    fail(`unknown command "${verb}" for "oc"`);
}
