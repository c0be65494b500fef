// The sandbox's DaemonSet controller and kubelet, behind the test client's verbs: a DaemonSet
// gets one pod per node its affinity names (if the node exists and admits pods); each pod's
// "kubelet" is a detached process that, after a latency, runs the pod's command for real in the
// node's mount namespace (or, in light mode, replays a recorded node log) and writes its output
// to the pod's log; `logs -f` follows those logs as kubectl does, with --prefix and
// --max-log-requests. Deleting the DaemonSet or its namespace stops the kubelets.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Kubernetes' generateName: five characters from its alphabet (no vowels, no look-alikes). The
// API server refuses a name already taken and the caller tries again: so does the sandbox, or
// two of 500 pods would share a name about one run in ten.
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
export function generatedName(prefix, taken = () => false) {
  for (;;) {
    const name = prefix + Array.from(randomBytes(5), (b) => ALPHABET[b % ALPHABET.length]).join('');
    if (!taken(name)) return name;
  }
}

export function daemonSets({ stateDir, clusterDir, settings, ledger, fail, nodeBehaviour, runInNode, self }) {
  const podsDir = join(stateDir, 'pods');
  const podPath = (ns, name) => join(podsDir, `${ns}.${name}.json`);
  const statusPath = (ns, name) => join(podsDir, `${ns}.${name}.status.json`);
  const logPath = (ns, name) => join(podsDir, `${ns}.${name}.log`);
  const dsPath = (ns, name) => join(stateDir, 'daemonsets', `${ns}.${name}.json`);

  function matches(labels, selector) {
    return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
  }

  function podsIn(namespace, selector) {
    if (!existsSync(podsDir)) return [];
    return readdirSync(podsDir)
      .filter((f) => f.startsWith(`${namespace}.`) && f.endsWith('.json') && !f.endsWith('.status.json'))
      .map((f) => JSON.parse(readFileSync(join(podsDir, f), 'utf8')))
      .filter((p) => p.ownerDaemonSet && matches(p.metadata.labels, selector));
  }

  // Light mode (the fan-out bench): no process per pod; a pod runs once its latency has passed
  // and its log is then the recorded one.
  const lightReady = (pod) => Date.now() >= pod.createdAt + (settings.podLatencyMs ?? 300);
  const lightLog = settings.light ? readFileSync(settings.light.log, 'utf8') : '';

  function statusOf(pod) {
    if (settings.light) return statusOfLight(pod);
    const s = existsSync(statusPath(pod.metadata.namespace, pod.metadata.name)) ? JSON.parse(readFileSync(statusPath(pod.metadata.namespace, pod.metadata.name), 'utf8')) : { state: 'creating' };
    const container = (state) => [{ name: 'probe', state }];
    if (s.state === 'running') return { phase: 'Running', containerStatuses: container({ running: {} }) };
    if (s.state === 'waiting') return { phase: 'Pending', containerStatuses: container({ waiting: { reason: s.reason, message: s.message } }) };
    return { phase: 'Pending', containerStatuses: container({ waiting: { reason: 'ContainerCreating' } }) };
  }

  function statusOfLight(pod) {
    const state = lightReady(pod) ? { running: {} } : { waiting: { reason: 'ContainerCreating' } };
    return { phase: lightReady(pod) ? 'Running' : 'Pending', containerStatuses: [{ name: 'probe', state }] };
  }

  function create(ds) {
    const namespace = ds.metadata.namespace;
    const name = ds.metadata.name;
    mkdirSync(join(stateDir, 'daemonsets'), { recursive: true });
    mkdirSync(podsDir, { recursive: true });
    writeFileSync(dsPath(namespace, name), JSON.stringify(ds));
    ledger({ event: 'daemonset-created', daemonset: name, namespace, tolerations: ds.spec.template.spec.tolerations });
    const wanted = ds.spec.template.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values ?? [];
    const nodes = JSON.parse(readFileSync(join(clusterDir, 'nodes.json'), 'utf8')).items.map((n) => n.metadata.name);
    for (const node of wanted) {
      if (!nodes.includes(node)) continue;
      const behaviour = nodeBehaviour(node);
      // The deleted node is still listed, but the controller sees it gone; quota or a webhook refuses the pod.
      if (behaviour === 'deleted' || behaviour === 'refused') continue;
      const pod = generatedName(`${name}-`, (candidate) => existsSync(podPath(namespace, candidate)));
      const record = { apiVersion: 'v1', kind: 'Pod', ownerDaemonSet: name, createdAt: Date.now(), metadata: { name: pod, namespace, labels: ds.spec.template.metadata.labels }, spec: { ...ds.spec.template.spec, nodeName: node } };
      writeFileSync(podPath(namespace, pod), JSON.stringify(record));
      writeFileSync(logPath(namespace, pod), '');
      if (settings.light) {
        ledger({ event: 'pod-created', pod, namespace, node, daemonset: name });
        continue;
      }
      const kubelet = spawn(process.execPath, [self, '--state', stateDir, '__kubelet', namespace, pod], { detached: true, stdio: 'ignore' });
      kubelet.unref();
      record.kubeletPid = kubelet.pid;
      writeFileSync(podPath(namespace, pod), JSON.stringify(record));
      ledger({ event: 'pod-created', pod, namespace, node, daemonset: name, image: ds.spec.template.spec.containers[0].image, kubelet: kubelet.pid });
    }
  }

  function deletePods(namespace, owner) {
    for (const pod of podsIn(namespace, {}).filter((p) => !owner || p.ownerDaemonSet === owner)) {
      try {
        process.kill(-pod.kubeletPid, 'SIGKILL');
      } catch {
        // already gone
      }
      for (const path of [podPath(namespace, pod.metadata.name), statusPath(namespace, pod.metadata.name), logPath(namespace, pod.metadata.name)]) rmSync(path, { force: true });
      ledger({ event: 'pod-deleted', pod: pod.metadata.name, namespace, daemonset: pod.ownerDaemonSet });
    }
  }

  function remove(namespace, name, ignoreNotFound) {
    if (!existsSync(dsPath(namespace, name))) {
      if (ignoreNotFound) return;
      fail(`daemonsets.apps "${name}" not found`);
    }
    deletePods(namespace, name);
    rmSync(dsPath(namespace, name));
    ledger({ event: 'daemonset-deleted', daemonset: name, namespace });
    process.stdout.write(`daemonset.apps "${name}" deleted\n`);
  }

  function deleteNamespace(namespace) {
    if (!existsSync(join(stateDir, 'daemonsets'))) return;
    for (const f of readdirSync(join(stateDir, 'daemonsets')).filter((x) => x.startsWith(`${namespace}.`))) {
      const name = f.slice(namespace.length + 1, -'.json'.length);
      deletePods(namespace, name);
      rmSync(join(stateDir, 'daemonsets', f));
      ledger({ event: 'daemonset-deleted', daemonset: name, namespace, cascade: true });
    }
  }

  function list(namespace, selector) {
    const items = podsIn(namespace, selector).map((p) => ({ ...p, status: statusOf(p) }));
    process.stdout.write(`${JSON.stringify({ apiVersion: 'v1', kind: 'List', items })}\n`);
  }

  /** kubectl logs -f, for one pod or a selector; prefixed lines; ends when every followed pod is gone. */
  async function follow(namespace, pods, { prefix, ignoreErrors, maxRequests }) {
    if (pods.length > maxRequests) {
      fail(`you are attempting to follow ${pods.length} log streams, but maximum allowed concurrency is ${maxRequests}, use --max-log-requests to increase the limit`);
    }
    const followed = [];
    for (const pod of pods) {
      if (statusOf(pod).phase !== 'Running') {
        const message = `container "probe" in pod "${pod.metadata.name}" is waiting to start: ${statusOf(pod).containerStatuses[0].state.waiting.reason}`;
        if (!ignoreErrors) fail(message);
        process.stdout.write(`error: ${message}\n`);
        continue;
      }
      followed.push({ pod, offset: 0, rest: '' });
    }
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => process.exit(1));
    while (followed.length) {
      for (const f of [...followed]) {
        const path = logPath(namespace, f.pod.metadata.name);
        if (!existsSync(podPath(namespace, f.pod.metadata.name))) {
          followed.splice(followed.indexOf(f), 1);
          continue;
        }
        const fresh = settings.light ? (lightReady(f.pod) && f.offset === 0 ? lightLog : '') : readNew(path, f);
        if (settings.light) f.offset += fresh.length;
        if (fresh) {
          const lines = (f.rest + fresh).split('\n');
          f.rest = lines.pop();
          process.stdout.write(lines.map((line) => `${prefix ? `[pod/${f.pod.metadata.name}/probe] ` : ''}${line}\n`).join(''));
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  function readNew(path, f) {
    const fd = openSync(path, 'r');
    const buffer = Buffer.alloc(1 << 16);
    let text = '';
    let n;
    while ((n = readSync(fd, buffer, 0, buffer.length, f.offset)) > 0) {
      f.offset += n;
      text += buffer.subarray(0, n).toString('utf8');
    }
    closeSync(fd);
    return text;
  }

  /** The pod's kubelet: pull (or fail to), wait the latency, run the command, keep the pod up. */
  async function kubelet(namespace, name) {
    const pod = JSON.parse(readFileSync(podPath(namespace, name), 'utf8'));
    const node = pod.spec.nodeName;
    const behaviour = nodeBehaviour(node);
    const image = pod.spec.containers[0].image;
    const setStatus = (s) => writeFileSync(statusPath(namespace, name), JSON.stringify(s));
    const log = (text) => appendFileSync(logPath(namespace, name), text);
    if (behaviour === 'pod-fails' || image.includes('does-not-exist')) {
      setStatus({ state: 'waiting', reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` });
      return;
    }
    await new Promise((r) => setTimeout(r, settings.podLatencyMs ?? 300));
    setStatus({ state: 'running' });
    if (settings.light) {
      log(readFileSync(settings.light.log, 'utf8'));
      return;
    }
    if (behaviour === 'hang') return;
    await runInNode(join(stateDir, 'nodes', node), pod.spec.containers[0].command, () => {}, (chunk) => log(chunk));
  }

  return { create, remove, deleteNamespace, list, follow, kubelet, podsIn };
}
