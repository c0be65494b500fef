// Builds the local stand-in cluster: real registries, a real image, node directories with real
// registries.conf files and pull secrets, and a bin/ with the test `oc` (and `kubectl`).
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { REGISTRY_PASSWORD, REGISTRY_USER, startRegistry, stopRegistry } from './registries.mjs';
import { buildOciLayout, pushImage } from './image.mjs';

const FAKE_OC = fileURLToPath(new URL('./fake-oc.mjs', import.meta.url));

/** The source registry: `.invalid` never resolves, like a source an air-gapped node cannot reach. */
export const SOURCE = 'registry.sandbox.invalid/team';

// Host paths the node directories are mounted over; they must exist to be mount points.
const HOST_MOUNT_POINTS = [
  '/var/lib/kubelet',
  '/var/lib/containers/storage',
  '/var/lib/containers/cache',
  '/run/containers/storage',
  '/run/libpod',
  '/etc/containers/registries.conf.d',
];

const HEADER = 'unqualified-search-registries = ["registry.access.redhat.com", "docker.io"]\nshort-name-mode = ""\n';

function mirrorEntry(mirrors, { blocked = false } = {}) {
  const lines = [HEADER, '[[registry]]', '  prefix = ""', `  location = "${SOURCE}"`];
  if (blocked) lines.push('  blocked = true');
  for (const m of mirrors) {
    lines.push('', '  [[registry.mirror]]', `    location = "${m.location}"`);
    if (m.insecure) lines.push('    insecure = true');
    lines.push(`    pull-from-mirror = "${m.pullFromMirror ?? 'digest-only'}"`);
  }
  return `${lines.join('\n')}\n`;
}

/** The node states the sandbox can play; each is a real registries.conf against real registries. */
export function nodeConfigs(reg) {
  const open = { location: `${reg.open.host}/mirror/team`, insecure: true };
  const auth = { location: `${reg.auth.host}/secure/team`, insecure: true };
  const missing = { location: `${reg.open.host}/not-there/team`, insecure: true };
  const tls = { location: `${reg.tls.host}/tls/team` };
  return {
    mirrored: mirrorEntry([open]),
    'needs-credentials': mirrorEntry([auth]),
    'not-on-mirror': mirrorEntry([missing]),
    'untrusted-tls': mirrorEntry([tls]),
    'no-entry': HEADER,
  };
}

export function clusterPolicies(reg) {
  return {
    imagecontentsourcepolicies: [
      {
        apiVersion: 'operator.openshift.io/v1alpha1',
        kind: 'ImageContentSourcePolicy',
        metadata: { name: 'sandbox-mirrors' },
        spec: { repositoryDigestMirrors: [{ source: SOURCE, mirrors: [`${reg.open.host}/mirror/team`, `${reg.auth.host}/secure/team`] }] },
      },
    ],
    imagedigestmirrorsets: [
      {
        apiVersion: 'config.openshift.io/v1',
        kind: 'ImageDigestMirrorSet',
        metadata: { name: 'sandbox-tls-mirror' },
        spec: { imageDigestMirrors: [{ source: `${SOURCE}/tls-only`, mirrors: [`${reg.tls.host}/tls/team`] }] },
      },
    ],
  };
}

function nodeObject(name, { ready = true, role = 'worker', rollout = false } = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'kubernetes.io/hostname': name, [`node-role.kubernetes.io/${role}`]: '', 'sandbox/role': role },
      annotations: {
        'machineconfiguration.openshift.io/currentConfig': `rendered-${role}-1`,
        'machineconfiguration.openshift.io/desiredConfig': `rendered-${role}-${rollout ? 2 : 1}`,
      },
    },
    status: {
      conditions: ready
        ? [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }]
        : [{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' }],
    },
  };
}

/**
 * nodes: [{ name, config: key of nodeConfigs, behaviour?: normal|not-ready|pod-fails|hang,
 *           credentials?: boolean (pull secret holds the auth mirror's credentials), role?,
 *           rollout?: boolean (its MachineConfig update is still pending) }]
 */
export async function createSandbox(dir, nodes, { ocWaitSeconds = 900 } = {}) {
  if (process.getuid?.() !== 0) throw new Error('the sandbox needs root: it mounts node files in private mount namespaces');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'cluster'), { recursive: true });
  mkdirSync(join(dir, 'bin'), { recursive: true });
  for (const p of HOST_MOUNT_POINTS) mkdirSync(p, { recursive: true });
  const registries = {
    open: await startRegistry(dir, 'open'),
    auth: await startRegistry(dir, 'auth', { auth: true }),
    tls: await startRegistry(dir, 'tls', { tls: true }),
  };
  const sandbox = { dir, registries };
  try {
    const layout = join(dir, 'layout');
    const digest = buildOciLayout(layout, 'v1', 'hello from the oc-icsp sandbox');
    pushImage(layout, 'v1', registries.open, 'mirror/team/app');
    pushImage(layout, 'v1', registries.auth, 'secure/team/app', { creds: `${REGISTRY_USER}:${REGISTRY_PASSWORD}` });
    pushImage(layout, 'v1', registries.tls, 'tls/team/app');
    sandbox.digest = digest;
    sandbox.image = `${SOURCE}/app@${digest}`;
    sandbox.tagImage = `${SOURCE}/app:v1`;

    const configs = nodeConfigs(registries);
    for (const node of nodes) writeNode(dir, node, configs, registries);
    writeJson(join(dir, 'cluster', 'nodes.json'), {
      items: nodes.map((n) => nodeObject(n.name, { ready: n.behaviour !== 'not-ready', role: n.role, rollout: n.rollout })),
    });
    for (const [file, items] of Object.entries(clusterPolicies(registries))) writeJson(join(dir, 'cluster', `${file}.json`), { items });
    writeJson(join(dir, 'cluster', 'image-config.json'), {
      items: [{ apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: {} }],
    });
    writeJson(join(dir, 'settings.json'), { ocWaitSeconds });
    writeClient(dir, 'oc');
    writeClient(dir, 'kubectl');
    writeJson(join(dir, 'sandbox.json'), { image: sandbox.image, tagImage: sandbox.tagImage, digest, registries });
  } catch (error) {
    destroySandbox(sandbox);
    throw error;
  }
  return sandbox;
}

function writeNode(dir, node, configs, registries) {
  const nodeDir = join(dir, 'nodes', node.name);
  for (const sub of ['registries.conf.d', 'kubelet', 'storage', 'cache', 'run', 'libpod']) mkdirSync(join(nodeDir, sub), { recursive: true });
  const config = configs[node.config ?? 'mirrored'];
  if (config === undefined) throw new Error(`unknown node config ${node.config}`);
  writeFileSync(join(nodeDir, 'registries.conf'), config);
  const auths = {};
  if (node.credentials !== false) {
    auths[registries.auth.host] = { auth: Buffer.from(`${REGISTRY_USER}:${REGISTRY_PASSWORD}`).toString('base64') };
  }
  auths['quay.io'] = { auth: Buffer.from('sandbox:not-used').toString('base64') };
  writeJson(join(nodeDir, 'kubelet', 'config.json'), { auths });
  writeJson(join(nodeDir, 'behaviour.json'), { behaviour: node.behaviour ?? 'normal' });
}

function writeClient(dir, name) {
  const path = join(dir, 'bin', name);
  writeFileSync(path, `#!/bin/sh\nSANDBOX_CLIENT_NAME=${name} exec "${process.execPath}" "${FAKE_OC}" --state "${dir}" "$@"\n`);
  chmodSync(path, 0o755);
}

function writeJson(path, value) {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

export function destroySandbox(sandbox) {
  for (const registry of Object.values(sandbox.registries ?? {})) stopRegistry(registry);
  // Images pulled into node storage hold overlay mounts only inside their (gone) namespaces.
  try {
    execFileSync('rm', ['-rf', join(sandbox.dir, 'nodes')], { stdio: 'ignore' });
  } catch {
    // best effort
  }
}

/** Pods and namespaces created and not deleted, from the test oc's ledger. */
export function leftovers(dir) {
  const file = join(dir, 'ledger.jsonl');
  const pods = new Map();
  const namespaces = new Set();
  if (!existsSync(file)) return { pods: [], namespaces: [] };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const e = JSON.parse(line);
    if (e.event === 'pod-created') pods.set(e.pod, e);
    if (e.event === 'pod-deleted') pods.delete(e.pod);
    if (e.event === 'namespace-created') namespaces.add(e.namespace);
    if (e.event === 'namespace-deleted') namespaces.delete(e.namespace);
  }
  return { pods: [...pods.keys()], namespaces: [...namespaces] };
}

export function ledgerEvents(dir) {
  const file = join(dir, 'ledger.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}
