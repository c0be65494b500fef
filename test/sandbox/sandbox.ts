// Builds the local stand-in cluster: real registries, a real image, node directories with real
// registries.conf files and pull secrets, the sandbox's Kubernetes API server (test/sandbox/api,
// served over TLS with a kubeconfig the real kubectl reads), and a bin/ with the thin `oc`
// (test/sandbox/oc). kubectl is the machine's own.
import { chmodSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { behaviourFile, faultFile } from './api/cluster-state.js';
import { crioReloaded, crioStarted, journalNoise, nodeRebooted } from './crio.js';
import { copyByMount } from './catalog.js';
import { buildOciLayout, pushImage } from './image.js';
import { readLedger } from './ledger.js';
import type { Fault, FaultKind, LedgerEvent, NodeBehaviour, NodeSpec, Sandbox, SandboxOptions, Service, Settings } from './model.js';
import { runInNode } from './node-namespace.js';
import { freePort, type Registry, REGISTRY_PASSWORD, REGISTRY_USER, startRegistry, stopRegistry } from './registries.js';
import { KUBE_MINOR_OF_OPENSHIFT } from './api/resources.js';
import { makeSigningKey, pushSigned } from './signing.js';
import { projectRoot } from './project-root.js';

export type { Fault, NodeBehaviour, NodeSpec, Sandbox, SandboxOptions, Settings };

// The sandbox's programs, built by scripts/build.mjs (buildSandbox) into dist/sandbox.
const ROOT = projectRoot();
const API = join(ROOT, 'dist/sandbox/api.mjs');
const THIN_OC = join(ROOT, 'dist/sandbox/oc.mjs');
const SERVICES = join(ROOT, 'dist/sandbox/services.mjs');
const CRIO = join(ROOT, 'dist/sandbox/crio.mjs');
const PLUGIN = join(ROOT, 'dist/oc-icsp');

/** The sandbox's registries, by role; quay is the Quay-like front of the auth registry. */
type Registries = Sandbox['registries'];
/** A registry the nodes' files name. */
interface MirrorConf {
  location: string;
  insecure?: boolean;
  pullFromMirror?: string;
}
/** A host only the sandbox proxy can reach (nodes cannot resolve .invalid). */
export const PROXIED_HOST = 'proxied.sandbox.invalid';

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
  '/etc/containers/certs.d',
  '/etc/containers/registries.d',
  '/etc/crio/policies',
  '/etc/mco',
  '/host',
  '/usr/local/sbin',
];

const HEADER = 'unqualified-search-registries = ["registry.access.redhat.com", "docker.io"]\nshort-name-mode = ""\n';

/**
 * The payload-like repository of the sandbox: what the default `openshift` ClusterImagePolicy
 * covers from 4.21 (openshift/cluster-update-keys manifests.rhel/0000_90_openshift-cluster-image-policy.yaml
 * scopes quay.io/openshift-release-dev/ocp-release; the sandbox's own source stands for it).
 */
export const RELEASE_SOURCE = 'registry.sandbox.invalid/openshift-release-dev/ocp-release';

/** The release's mirrors, on the open registry: with its signature, without, signed by another key. */
export const releaseMirrors = (reg: Pick<Registries, 'open'>) => ({
  signed: `${reg.open.host}/signed/ocp-release`,
  unsigned: `${reg.open.host}/unsigned/ocp-release`,
  wrongKey: `${reg.open.host}/wrong-key/ocp-release`,
});

/** From 4.21 the cluster carries the default ClusterImagePolicy: the sandbox signs its release and the nodes check it. */
export const playsSignedRelease = (openshift: string) => (KUBE_MINOR_OF_OPENSHIFT[openshift] ?? 0) >= 34;

function mirrorEntry(mirrors: MirrorConf[], { blocked = false } = {}): string {
  return `${HEADER}${registryEntry(SOURCE, mirrors, { blocked })}`;
}

function registryEntry(source: string, mirrors: MirrorConf[], { blocked = false } = {}): string {
  const lines = ['[[registry]]', '  prefix = ""', `  location = "${source}"`];
  if (blocked) lines.push('  blocked = true');
  for (const m of mirrors) {
    lines.push('', '  [[registry.mirror]]', `    location = "${m.location}"`);
    if (m.insecure) lines.push('    insecure = true');
    lines.push(`    pull-from-mirror = "${m.pullFromMirror ?? 'digest-only'}"`);
  }
  return `${lines.join('\n')}\n`;
}

/** The node states the sandbox can play; each is a real registries.conf against real registries. */
export function nodeConfigs(reg: Registries): Record<string, string> {
  const open = { location: `${reg.open.host}/mirror/team`, insecure: true };
  const auth = { location: `${reg.auth.host}/secure/team`, insecure: true };
  const missing = { location: `${reg.open.host}/not-there/team`, insecure: true };
  const tls = { location: `${reg.tls.host}/tls/team` };
  const proxied = { location: `${PROXIED_HOST}:${reg.open.port}/mirror/team`, insecure: true };
  const quayMissing = { location: `${reg.quay.host}/not-there/team`, insecure: true };
  const release = releaseMirrors(reg);
  const insecure = (location: string) => ({ location, insecure: true });
  return {
    'release-unsigned-first': `${mirrorEntry([open])}\n${registryEntry(RELEASE_SOURCE, [insecure(release.unsigned), insecure(release.signed)])}`,
    'release-wrong-key': `${mirrorEntry([open])}\n${registryEntry(RELEASE_SOURCE, [insecure(release.wrongKey), insecure(release.signed)])}`,
    mirrored: mirrorEntry([open]),
    'needs-credentials': mirrorEntry([auth]),
    'not-on-mirror': mirrorEntry([missing]),
    'untrusted-tls': mirrorEntry([tls]),
    'no-entry': HEADER,
    proxied: mirrorEntry([proxied]),
    'quay-missing': mirrorEntry([quayMissing]),
    cluster: clusterConfig(reg),
    'cluster-with-release': clusterConfig(reg, { release: true }),
    'many-mirrors': mirrorEntry([open]) + operatorMirrors(reg, 300),
  };
}

/**
 * What a cluster that mirrors a whole operator catalog carries (oc-mirror writes an IDMS entry
 * per repository): `count` more entries, each its own repository, rendered as the MCO does. The
 * names are hashes so that they compress as poorly as real repository names.
 */
function operatorMirrors(reg: Registries, count: number): string {
  return Array.from({ length: count }, (_, i) => {
    const name = `operators-${createHash('sha256').update(String(i)).digest('hex').slice(0, 8)}/bundle`;
    return `\n[[registry]]\n  prefix = ""\n  location = "quay.io/${name}"\n\n  [[registry.mirror]]\n    location = "${reg.open.host}/mirror/${name}"\n    insecure = true\n    pull-from-mirror = "digest-only"\n`;
  }).join('');
}

/**
 * What the MCO writes for clusterPolicies() and the image.config below, in its own layout:
 * the ICSP's source with both mirrors (digest pulls), the IDMS's, and the insecure registries.
 */
export function clusterConfig(reg: Registries, { release = false } = {}): string {
  const lines = [HEADER];
  const entry = (location: string, mirrors: string[], { insecure = false } = {}) => {
    lines.push('[[registry]]', '  prefix = ""', `  location = "${location}"`);
    if (insecure) lines.push('  insecure = true');
    for (const m of mirrors) {
      lines.push('', '  [[registry.mirror]]', `    location = "${m}"`);
      if (!m.startsWith(reg.tls.host)) lines.push('    insecure = true');
      lines.push('    pull-from-mirror = "digest-only"');
    }
    lines.push('');
  };
  entry(SOURCE, clusterMirrors(reg));
  if (release) entry(RELEASE_SOURCE, Object.values(releaseMirrors(reg)));
  entry(`${SOURCE}/tls-only`, [`${reg.tls.host}/tls/team`]);
  // Its source is on a registry listed as insecure: the MCO marks the entry so.
  entry(fallbackSource(reg), [`${reg.auth.host}/secure/team`], { insecure: true });
  for (const host of insecureRegistries(reg)) lines.push('[[registry]]', '  prefix = ""', `  location = "${host}"`, '  insecure = true', '');
  return `${lines.join('\n')}`;
}

const insecureRegistries = (reg: Registries) => [reg.open.host, reg.auth.host, reg.quay.host];
/** A source repository on the open registry, reachable from the nodes. */
export const fallbackSource = (reg: Registries) => `${reg.open.host}/fallback/team`;

/** The ICSP's mirrors, in order: open, basic auth, and the Quay-like front of the auth registry. */
const clusterMirrors = (reg: Registries) => [`${reg.open.host}/mirror/team`, `${reg.auth.host}/secure/team`, `${reg.quay.host}/secure/team`];

export function clusterPolicies(reg: Registries, { release = false } = {}) {
  const releaseSet = {
    apiVersion: 'config.openshift.io/v1',
    kind: 'ImageDigestMirrorSet',
    metadata: { name: 'sandbox-release' },
    spec: { imageDigestMirrors: [{ source: RELEASE_SOURCE, mirrors: Object.values(releaseMirrors(reg)) }] },
  };
  return {
    imagecontentsourcepolicies: [
      {
        apiVersion: 'operator.openshift.io/v1alpha1',
        kind: 'ImageContentSourcePolicy',
        metadata: { name: 'sandbox-mirrors' },
        spec: { repositoryDigestMirrors: [{ source: SOURCE, mirrors: clusterMirrors(reg) }] },
      },
    ],
    imagedigestmirrorsets: [
      {
        apiVersion: 'config.openshift.io/v1',
        kind: 'ImageDigestMirrorSet',
        metadata: { name: 'sandbox-tls-mirror' },
        spec: { imageDigestMirrors: [{ source: `${SOURCE}/tls-only`, mirrors: [`${reg.tls.host}/tls/team`] }] },
      },
      {
        // A source nodes can reach, so a failing mirror falls back to it without a word.
        apiVersion: 'config.openshift.io/v1',
        kind: 'ImageDigestMirrorSet',
        metadata: { name: 'sandbox-fallback' },
        spec: { imageDigestMirrors: [{ source: fallbackSource(reg), mirrors: [`${reg.auth.host}/secure/team`] }] },
      },
      ...(release ? [releaseSet] : []),
    ],
  };
}

/**
 * The default `openshift` ClusterImagePolicy of 4.21 and later, for the sandbox's release
 * (cluster-update-keys manifests.rhel/0000_90_openshift-cluster-image-policy.yaml: policyType
 * PublicKey, the release key's PEM as keyData).
 */
export function openshiftImagePolicy(publicKeyPem: string, apiVersion = 'config.openshift.io/v1') {
  return {
    apiVersion,
    kind: 'ClusterImagePolicy',
    metadata: { name: 'openshift' },
    spec: { scopes: [RELEASE_SOURCE], policy: { rootOfTrust: { policyType: 'PublicKey', publicKey: { keyData: Buffer.from(publicKeyPem).toString('base64') } } } },
  };
}

/** The MCO's policy.json template (templates/worker/01-worker-container-runtime/_base/files/policy.yaml). */
const POLICY_TEMPLATE = { default: [{ type: 'insecureAcceptAnything' }], transports: { 'docker-daemon': { '': [{ type: 'insecureAcceptAnything' }] } } };

/**
 * What the MCO writes on each node for the openshift ClusterImagePolicy
 * (machine-config-operator pkg/controller/container-runtime-config/helpers.go updatePolicyJSON:
 * the scope under transports.docker and, having fewer than three slashes, transports.atomic;
 * generateSigstoreRegistriesdConfig: use-sigstore-attachments for the scope and every mirror
 * registries.conf has for it), or the template where no policy is rendered.
 */
function nodeSignatureFiles(reg: Registries, publicKeyPem: string | null): { policy: object; registriesD: string | null } {
  if (!publicKeyPem) return { policy: POLICY_TEMPLATE, registriesD: null };
  const requirement = [{ type: 'sigstoreSigned', keyData: Buffer.from(publicKeyPem).toString('base64'), signedIdentity: { type: 'matchRepoDigestOrExact' } }];
  const scopes = { [RELEASE_SOURCE]: requirement };
  const policy = { ...POLICY_TEMPLATE, transports: { atomic: scopes, docker: scopes, 'docker-daemon': POLICY_TEMPLATE.transports['docker-daemon'] } };
  const attachments = [RELEASE_SOURCE, ...Object.values(releaseMirrors(reg))].sort();
  return { policy, registriesD: `docker:\n${attachments.map((scope) => `  ${scope}:\n    use-sigstore-attachments: true\n`).join('')}` };
}

function nodeObject(name: string, { ready = true, role = 'worker', rollout = false } = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'kubernetes.io/hostname': name, [`node-role.kubernetes.io/${role}`]: '', 'sandbox/role': role },
      // rendered-<role>-2 carries the mirror policies; a node still rolling out runs -1.
      annotations: {
        'machineconfiguration.openshift.io/currentConfig': `rendered-${role}-${rollout ? 1 : 2}`,
        'machineconfiguration.openshift.io/desiredConfig': `rendered-${role}-2`,
        'machineconfiguration.openshift.io/state': rollout ? 'Working' : 'Done',
      },
    },
    status: {
      conditions: ready
        ? [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }]
        : [{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' }],
    },
  };
}

/** One pool per role, as the MCO keeps them: rolled out to rendered-<role>-2 unless a node lags. */
function machineConfigPools(nodes: NodeSpec[]) {
  const roles = [...new Set(nodes.map((n) => n.role ?? 'worker'))];
  return roles.map((role) => {
    const members = nodes.filter((n) => (n.role ?? 'worker') === role);
    const updated = members.filter((n) => !n.rollout).length;
    const updating = updated < members.length;
    return {
      apiVersion: 'machineconfiguration.openshift.io/v1',
      kind: 'MachineConfigPool',
      metadata: { name: role },
      // Custom pools often select by expression (the MCO reads a whole LabelSelector).
      spec: {
        nodeSelector: role === 'worker' ? { matchLabels: { [`node-role.kubernetes.io/${role}`]: '' } } : { matchExpressions: [{ key: `node-role.kubernetes.io/${role}`, operator: 'Exists' }] },
        configuration: { name: `rendered-${role}-2` },
      },
      status: {
        configuration: { name: `rendered-${role}-${updating ? 1 : 2}` },
        machineCount: members.length,
        updatedMachineCount: updated,
        readyMachineCount: updated,
        unavailableMachineCount: members.length - updated,
        degradedMachineCount: 0,
        conditions: [
          { type: 'Updated', status: updating ? 'False' : 'True' },
          { type: 'Updating', status: updating ? 'True' : 'False', message: updating ? `All nodes are updating to rendered-${role}-2` : '' },
          { type: 'Degraded', status: 'False' },
        ],
      },
    };
  });
}

/** The rendered MachineConfigs: -1 from before the mirror policies, -2 with them. */
function renderedMachineConfigs(nodes: NodeSpec[], registries: Registries, release: boolean) {
  const roles = [...new Set(nodes.map((n) => n.role ?? 'worker'))];
  // The later render gzip-compresses the file, as Ignition 3.1+ allows (the MCO reads both forms).
  const file = (text: string, gzip: boolean) => ({
    path: '/etc/containers/registries.conf',
    mode: 420,
    overwrite: true,
    contents: gzip ? { source: `data:;base64,${gzipSync(text).toString('base64')}`, compression: 'gzip' } : { source: `data:text/plain;charset=utf-8;base64,${Buffer.from(text).toString('base64')}` },
  });
  return roles.flatMap((role) =>
    (
      [
        [1, HEADER],
        [2, clusterConfig(registries, { release })],
      ] as const
    ).map(([n, text]) => ({
      apiVersion: 'machineconfiguration.openshift.io/v1',
      kind: 'MachineConfig',
      metadata: { name: `rendered-${role}-${n}` },
      spec: { config: { ignition: { version: '3.4.0' }, storage: { files: [file(text, n === 2)] } } },
    })),
  );
}

/**
 * From 4.17, MachineConfiguration/cluster with the node disruption policies the MCO reports: its
 * defaults for the files mirror policies write (machine-config-operator pkg/apihelpers/apihelpers.go
 * defaultClusterPolicies: registries.conf Special, policy.json and the sigstore registries.d
 * Reload crio.service), merged with the spec's (none here; a test adds its own object).
 */
function machineConfiguration(version: string) {
  const [major = 4, minor = 0] = version.split('.').map(Number);
  if (major === 4 && minor < 17) return [];
  const reloadCrio = [{ type: 'Reload', reload: { serviceName: 'crio.service' } }];
  const files = [
    { path: '/etc/containers/policy.json', actions: reloadCrio },
    { path: '/etc/containers/registries.conf', actions: [{ type: 'Special' }] },
    { path: '/etc/containers/registries.d', actions: reloadCrio },
  ];
  return [{ apiVersion: 'operator.openshift.io/v1', kind: 'MachineConfiguration', metadata: { name: 'cluster' }, spec: { managementState: 'Managed' }, status: { nodeDisruptionPolicyStatus: { clusterPolicies: { files } } } }];
}

/** Running pods, for verify without IMAGE: one from a mirrored repository by tag (its digest in imageID), one from elsewhere. */
function runningPods(sandbox: Pick<Sandbox, 'tagImage' | 'digest'>) {
  const pod = (namespace: string, name: string, image: string, imageID: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace, name },
    spec: { containers: [{ name: 'main', image }] },
    status: { phase: 'Running', containerStatuses: [{ name: 'main', image, imageID }] },
  });
  return [
    pod('team', 'app-7d9f', sandbox.tagImage, `${SOURCE}/app@${sandbox.digest}`),
    pod('openshift-dns', 'dns-default-x', `quay.io/openshift/dns@sha256:${'d'.repeat(64)}`, `quay.io/openshift/dns@sha256:${'d'.repeat(64)}`),
  ];
}

/**
 * One of services.ts (built: dist/sandbox/services.mjs), detached, on a free port. The port is free when picked, not when the
 * service binds it: another sandbox's process may take it between (suites run side by side), and
 * then the service exits on EADDRINUSE: it is started again on another port.
 */
async function startService(dir: string, kind: string, arg: string): Promise<Service> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const log = openSync(join(dir, `${kind}.log`), 'a');
    const child = spawn(process.execPath, [SERVICES, kind, String(port), arg], { detached: true, stdio: ['ignore', log, log] });
    child.unref();
    let exited = false;
    child.on('exit', () => (exited = true));
    const deadline = Date.now() + 10_000;
    let up = false;
    while (!up && !exited) {
      up = await new Promise<boolean>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
        socket.on('error', () => resolve(false));
      });
      if (!up && Date.now() > deadline) throw new Error(`the sandbox ${kind} did not start; see ${join(dir, `${kind}.log`)}`);
      if (!up) await new Promise((r) => setTimeout(r, 50));
    }
    // What answered may be another process on the port: ours is still running if it bound it.
    await new Promise((r) => setTimeout(r, 100));
    if (!exited) return { name: kind, port, host: `127.0.0.1:${port}`, pid: child.pid! };
    if (attempt >= 3) throw new Error(`the sandbox ${kind} could not bind a port; see ${join(dir, `${kind}.log`)}`);
  }
}

export async function createSandbox(dir: string, nodes: NodeSpec[], { settings = {}, objects = [], catalog }: SandboxOptions = {}): Promise<Sandbox> {
  if (process.getuid?.() !== 0) throw new Error('the sandbox needs root: it mounts node files in private mount namespaces');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'cluster'), { recursive: true });
  mkdirSync(join(dir, 'bin'), { recursive: true });
  for (const p of HOST_MOUNT_POINTS) mkdirSync(p, { recursive: true });
  const started: Record<'open' | 'auth' | 'tls', Registry> = {
    open: await startRegistry(dir, 'open'),
    auth: await startRegistry(dir, 'auth', { auth: true }),
    tls: await startRegistry(dir, 'tls', { tls: true }),
  };
  // Filled in as it starts; destroySandbox removes whatever had started when a step fails.
  const sandbox = { dir, registries: started, services: [] } as unknown as Sandbox;
  const registries = sandbox.registries;
  try {
    const proxy = await startService(dir, 'proxy', join(dir, 'proxy-ledger.jsonl'));
    const quay = await startService(dir, 'quay-front', registries.auth.host);
    sandbox.services.push(proxy, quay);
    registries.quay = { name: 'quay', host: quay.host, port: quay.port };
    sandbox.proxy = proxy;
    const layout = join(dir, 'layout');
    const digest = buildOciLayout(layout, 'v1', 'hello from the oc-icsp sandbox');
    pushImage(layout, 'v1', registries.open, 'mirror/team/app');
    pushImage(layout, 'v1', registries.auth, 'secure/team/app', { creds: `${REGISTRY_USER}:${REGISTRY_PASSWORD}` });
    pushImage(layout, 'v1', registries.tls, 'tls/team/app');
    pushImage(layout, 'v1', registries.open, 'fallback/team/app');
    sandbox.digest = digest;
    sandbox.image = `${SOURCE}/app@${digest}`;
    sandbox.tagImage = `${SOURCE}/app:v1`;
    sandbox.fallbackImage = `${fallbackSource(registries)}/app@${digest}`;
    sandbox.releaseImage = `${RELEASE_SOURCE}@${digest}`;
    sandbox.catalog = await pushCatalog(registries, digest, catalog);
    sandbox.payload = pushPayload(dir, registries, settings.openshift ?? '4.18', [sandbox.image, ...sandbox.catalog]);
    const openshift = settings.openshift ?? '4.18';
    // The release and its mirrors, signed for real, where the cluster checks its signature.
    let releaseKey: string | null = null;
    if (playsSignedRelease(openshift)) {
      const keys = join(dir, 'keys');
      const key = makeSigningKey(keys, 'release');
      const other = makeSigningKey(keys, 'other');
      const mirrors = releaseMirrors(registries);
      const repo = (location: string) => location.slice(registries.open.host.length + 1);
      pushSigned(layout, 'v1', registries.open, repo(mirrors.signed), key, `${RELEASE_SOURCE}:v1`);
      pushImage(layout, 'v1', registries.open, repo(mirrors.unsigned));
      pushSigned(layout, 'v1', registries.open, repo(mirrors.wrongKey), other, `${RELEASE_SOURCE}:v1`);
      releaseKey = key.publicKeyPem;
    }

    const configs = nodeConfigs(registries);
    // Before the nodes: their CRI-O is the release's.
    writeJson(join(dir, 'settings.json'), { podLatencyMs: 300, ...settings });
    for (const node of nodes) writeNode(dir, node, configs, registries, proxy, releaseKey);
    writeJson(join(dir, 'cluster', 'objects.json'), clusterObjects(sandbox, nodes, registries, objects, releaseKey));
    sandbox.api = await startApiServer(dir);
    writeClient(dir);
    writeJson(join(dir, 'sandbox.json'), { image: sandbox.image, releaseImage: sandbox.releaseImage, tagImage: sandbox.tagImage, fallbackImage: sandbox.fallbackImage, catalog: sandbox.catalog, payload: sandbox.payload, digest, registries, proxy, kubeconfig: sandbox.api.kubeconfig });
    // Earlier workload pulls, through each node's CRI-O, into its journal.
    for (const node of nodes) {
      const nodeDir = join(dir, 'nodes', node.name);
      // A busy CRI-O: lines audit does not need, an hour before the pulls.
      if (node.journalNoise) journalNoise(nodeDir, node.name, node.journalNoise, sandbox.image);
      for (const workload of node.workloads ?? []) {
        const image = workload === 'fallback' ? sandbox.fallbackImage : workload === 'tag' ? sandbox.tagImage : sandbox.image;
        const pull = () => runInNode(nodeDir, ['crictl', 'pull', image], () => {}, () => {});
        // Two replicas starting at once: the kubelet pulls in parallel (serializeImagePulls: false).
        if (workload === 'replicas') await Promise.all([pull(), pull()]);
        // A failing pull is asked for again, as the kubelet's back-off does.
        else for (let round = 0; round < (workload === 'failed' ? 2 : 1); round++) await pull();
      }
    }
  } catch (error) {
    destroySandbox(sandbox);
    throw error;
  }
  return sandbox;
}

function writeNode(dir: string, node: NodeSpec, configs: Record<string, string>, registries: Registries, proxy: Service, releaseKey: string | null): void {
  const nodeDir = join(dir, 'nodes', node.name);
  for (const sub of ['registries.d', 'crio-policies', 'registries.conf.d', 'certs.d', 'kubelet', 'storage', 'cache', 'run', 'libpod', 'mco', 'sbin']) mkdirSync(join(nodeDir, sub), { recursive: true });
  if (node.trustsTls) {
    mkdirSync(join(nodeDir, 'certs.d', registries.tls.host), { recursive: true });
    copyFileSync(registries.tls.cert!, join(nodeDir, 'certs.d', registries.tls.host, 'ca.crt'));
  }
  if (node.network === 'isolated') writeFileSync(join(nodeDir, 'network-isolated'), '');
  // CRI-O's tools on the node, reading and writing the node's own journal.
  for (const tool of ['crictl', 'journalctl']) {
    writeFileSync(join(nodeDir, 'sbin', tool), `#!/bin/sh\nexec "${process.execPath}" "${CRIO}" "${nodeDir}" ${tool} "$@"\n`);
    chmodSync(join(nodeDir, 'sbin', tool), 0o755);
  }
  if (node.proxy) {
    // What the MCO writes from proxy/cluster: 'dead' points at a port nothing listens on.
    const url = node.proxy === 'dead' ? 'http://127.0.0.1:1' : `http://${proxy.host}`;
    writeFileSync(join(nodeDir, 'mco', 'proxy.env'), `HTTP_PROXY=${url}\nHTTPS_PROXY=${url}\nNO_PROXY=.cluster.local,.svc,10.0.0.0/16,10.128.0.0/14,127.0.0.1,172.30.0.0/16,api-int.sandbox.invalid,localhost\n`);
  }
  const config = configs[node.config ?? 'mirrored'];
  if (config === undefined) throw new Error(`unknown node config ${node.config}`);
  writeFileSync(join(nodeDir, 'registries.conf'), config);
  const signatures = nodeSignatureFiles(registries, node.signaturePolicy === 'lags' ? null : releaseKey);
  writeJson(join(nodeDir, 'policy.json'), signatures.policy);
  if (signatures.registriesD) writeFileSync(join(nodeDir, 'registries.d', 'sigstore-registries.yaml'), signatures.registriesD);
  const auths: Record<string, { auth: string }> = {};
  if (node.credentials !== false) {
    const auth = Buffer.from(`${REGISTRY_USER}:${REGISTRY_PASSWORD}`).toString('base64');
    auths[registries.auth.host] = { auth };
    auths[registries.quay.host] = { auth };
  }
  auths['quay.io'] = { auth: Buffer.from('sandbox:not-used').toString('base64') };
  writeJson(join(nodeDir, 'kubelet', 'config.json'), { auths });
  setNodeBehaviour(dir, node.name, node.behaviour ?? 'normal');
  if (node.disk === 'low') writeFileSync(join(nodeDir, 'disk-low'), '');
  // CRI-O started two hours ago and loaded the registries.conf the node had then.
  crioStarted(nodeDir, node.name, new Date(Date.now() - 2 * 3_600_000));
}

/**
 * A release payload as oc reads one (openshift/oc pkg/cli/admin/release/info.go LoadReleaseInfo:
 * release-manifests/image-references, an ImageStream whose tags name the components, and
 * release-metadata, in the image's last layer), on the TLS mirror; the workstation's trust of that
 * mirror (workstation-certs/HOST/ca.crt, a certs.d layout) for the thin oc.
 */
function pushPayload(dir: string, registries: Registries, openshift: string, components: string[]): Sandbox['payload'] {
  const version = `${openshift}.0`;
  const references = {
    kind: 'ImageStream',
    apiVersion: 'image.openshift.io/v1',
    metadata: { name: version },
    spec: { tags: components.map((from, i) => ({ name: i === 0 ? 'sandbox-app' : /\/([^/@]+)@/.exec(from)![1]!, from: { kind: 'DockerImage', name: from } })) },
  };
  const files = {
    'release-manifests/image-references': JSON.stringify(references),
    'release-manifests/release-metadata': JSON.stringify({ kind: 'cincinnati-metadata-v0', version, previous: [] }),
  };
  const layout = join(dir, 'payload-layout');
  buildOciLayout(layout, version, '', files);
  const digest = pushImage(layout, version, registries.tls, 'tls/release/ocp-release');
  mkdirSync(join(dir, 'workstation-certs', registries.tls.host), { recursive: true });
  copyFileSync(registries.tls.cert!, join(dir, 'workstation-certs', registries.tls.host, 'ca.crt'));
  return { image: `${RELEASE_SOURCE}@${digest}`, mirrored: `${registries.tls.host}/tls/release/ocp-release@${digest}`, components, version };
}

/** SandboxOptions.catalog: its images on each mirror but those left off one; their source references. */
async function pushCatalog(registries: Registries, digest: string, catalog: SandboxOptions['catalog']): Promise<string[]> {
  if (!catalog) return [];
  const names = Array.from({ length: catalog.count }, (_, i) => `cat-${i}`);
  const on = (registry: 'open' | 'auth' | 'tls') => names.filter((_, i) => !catalog.missing?.[registry]?.includes(i));
  await copyByMount(registries.open, 'mirror/team/app', digest, on('open').map((n) => `mirror/team/${n}`));
  await copyByMount(registries.auth, 'secure/team/app', digest, on('auth').map((n) => `secure/team/${n}`));
  await copyByMount(registries.tls, 'tls/team/app', digest, on('tls').map((n) => `tls/team/${n}`));
  return names.map((n) => `${SOURCE}/${n}@${digest}`);
}

/**
 * bin/oc: the thin oc. Its own verbs (whoami, debug, adm) run test/sandbox/oc; every other verb
 * is kubectl's code, as in oc, so it goes to the real kubectl without another process between.
 * The plugin and kubectl users also get `oc icsp` / `kubectl icsp` (plugin lookup by name).
 */
function writeClient(dir: string): void {
  const path = join(dir, 'bin', 'oc');
  // A verb that names an oc-VERB program on PATH is a plugin (kubectl's plugin handler, which oc
  // vendors with the prefix oc: k8s.io/kubectl pkg/cmd/cmd.go HandlePluginCommand).
  writeFileSync(
    path,
    `#!/bin/sh\ncase "$1" in\n  whoami|debug|adm|-*) exec "${process.execPath}" "${THIN_OC}" "$@" ;;\nesac\n` +
      `case "$1" in\n  *[!a-z0-9_-]*|'') ;;\n  *) if command -v "oc-$1" >/dev/null 2>&1; then plugin="oc-$1"; shift; exec "$plugin" "$@"; fi ;;\nesac\nexec kubectl "$@"\n`,
  );
  chmodSync(path, 0o755);
  for (const name of ['oc-icsp', 'kubectl-icsp', 'oc_complete-icsp', 'kubectl_complete-icsp']) {
    rmSync(join(dir, 'bin', name), { force: true });
    symlinkSync(PLUGIN, join(dir, 'bin', name));
  }
}

/** Every object the cluster starts with, as an administrator and the operators made them. */
function clusterObjects(sandbox: Pick<Sandbox, 'tagImage' | 'digest' | 'payload'>, nodes: NodeSpec[], registries: Registries, extra: Record<string, unknown>[], releaseKey: string | null) {
  const release = releaseKey !== null;
  const namespace = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name }, status: { phase: 'Active' } });
  return [
    ...['default', 'kube-system', 'openshift', 'openshift-config', 'openshift-dns', 'team'].map(namespace),
    // openshift/cluster-kube-apiserver-operator bindata/bootkube/scc-manifests/0000_20_kube-apiserver-operator_00_cr-scc-privileged.yaml
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'system:openshift:scc:privileged' },
      rules: [{ apiGroups: ['security.openshift.io'], resourceNames: ['privileged'], resources: ['securitycontextconstraints'], verbs: ['use'] }],
    },
    ...nodes.map((n) => nodeObject(n.name, { ready: n.behaviour !== 'not-ready', role: n.role, rollout: n.rollout })),
    ...Object.values(clusterPolicies(registries, { release })).flat(),
    ...(releaseKey ? [openshiftImagePolicy(releaseKey)] : []),
    { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: { registrySources: { insecureRegistries: insecureRegistries(registries) } } },
    // What the cluster-version operator reports (openshift/api config/v1 types_cluster_version.go: status.desired).
    { apiVersion: 'config.openshift.io/v1', kind: 'ClusterVersion', metadata: { name: 'version' }, spec: { clusterID: 'sandbox' }, status: { desired: { image: sandbox.payload.image, version: sandbox.payload.version } } },
    ...machineConfigPools(nodes),
    ...renderedMachineConfigs(nodes, registries, release),
    ...machineConfiguration(sandbox.payload.version),
    ...runningPods(sandbox),
    // The release's tools image, as the openshift/tools image stream names it.
    { apiVersion: 'image.openshift.io/v1', kind: 'ImageStreamTag', metadata: { name: 'tools:latest', namespace: 'openshift' }, image: { dockerImageReference: `registry.sandbox.invalid/openshift/tools@${sandbox.digest}` } },
    ...extra,
  ];
}

/** Tokens of the kubeconfig's users: the administrator, and a user with no rights. */
const CREDENTIALS = {
  'sandbox-admin-token': { user: 'system:admin', groups: ['system:masters', 'system:cluster-admins'], credential: 'admin' },
  'sandbox-developer-token': { user: 'developer', groups: ['system:authenticated:oauth'], credential: 'developer' },
  'sandbox-prod-token': { user: 'system:admin', groups: ['system:masters', 'system:cluster-admins'], credential: 'prod' },
};

/** The API server, detached; its kubeconfig (TLS: kubectl sends a bearer token over TLS only). */
async function startApiServer(dir: string): Promise<Sandbox['api']> {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', join(dir, 'api-tls.key'), '-out', join(dir, 'api-tls.crt')], { stdio: 'ignore' });
  writeJson(join(dir, 'credentials.json'), CREDENTIALS);
  rmSync(join(dir, 'api.port'), { force: true });
  const log = openSync(join(dir, 'api.log'), 'a');
  // No KUBECONFIG of the caller's reaches the pods it runs.
  const env = { ...process.env };
  delete env.KUBECONFIG;
  const child = spawn(process.execPath, [API, dir], { detached: true, stdio: ['ignore', log, log], env });
  child.unref();
  const deadline = Date.now() + 10_000;
  // The server writes its port once it listens (renamed into place whole; a port of 0 would be
  // a file read while being written, which once left a whole suite talking to 127.0.0.1:0).
  const portNow = () => (existsSync(join(dir, 'api.port')) ? Number(readFileSync(join(dir, 'api.port'), 'utf8')) : 0);
  let port: number;
  while (!((port = portNow()) > 0)) {
    if (Date.now() > deadline) throw new Error(`the sandbox API server did not start; see ${join(dir, 'api.log')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigText(port, readFileSync(join(dir, 'api-tls.crt'))));
  return { pid: child.pid!, port, kubeconfig };
}

export function kubeconfigText(port: number, ca: Buffer | string, contexts = ['admin', 'developer', 'prod']): string {
  const caData = Buffer.from(ca).toString('base64');
  const lines = ['apiVersion: v1', 'kind: Config', 'clusters:', '- name: sandbox', '  cluster:', `    server: https://127.0.0.1:${port}`, `    certificate-authority-data: ${caData}`, 'users:'];
  for (const c of contexts) lines.push(`- name: ${c}`, '  user:', `    token: sandbox-${c}-token`);
  lines.push('contexts:');
  const contextName = (c: string) => (c === 'admin' ? 'sandbox' : c);
  for (const c of contexts) lines.push(`- name: ${contextName(c)}`, '  context:', '    cluster: sandbox', `    user: ${c}`, '    namespace: default');
  lines.push(`current-context: ${contextName(contexts[0] ?? 'admin')}`, '');
  return lines.join('\n');
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * A shell pointed at the sandbox: its kubeconfig, its thin oc and the plugin first on PATH, the
 * machine's kubectl after them. Each sandbox is another cluster on a port an earlier one may have
 * had, so kubectl's discovery cache (kept by host and port) is the sandbox's own.
 */
export function clientEnv(sandbox: Pick<Sandbox, 'api' | 'dir'>, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, KUBECONFIG: sandbox.api.kubeconfig, KUBECACHEDIR: join(sandbox.dir, 'kube-cache'), PATH: `${join(sandbox.dir, 'bin')}:${base.PATH}` };
}

/** `systemctl reload crio` on a node. */
export function reloadCrio(dir: string, node: string): void {
  crioReloaded(join(dir, 'nodes', node), node);
}

/** The node reboots: a new boot in its journal, CRI-O started again. */
export function rebootNode(dir: string, node: string): void {
  nodeRebooted(join(dir, 'nodes', node), node);
}

/** A hand edit of a node's registries.conf (CRI-O keeps what it loaded until a reload). */
export function editNodeConfig(dir: string, node: string, configName: string): void {
  const configs = nodeConfigs(JSON.parse(readFileSync(join(dir, 'sandbox.json'), 'utf8')).registries);
  const config = configs[configName];
  if (config === undefined) throw new Error(`unknown node config ${configName}`);
  writeFileSync(join(dir, 'nodes', node, 'registries.conf'), config);
}

export function destroySandbox(sandbox: Pick<Sandbox, 'dir'> & Partial<Pick<Sandbox, 'api' | 'registries' | 'services'>>): void {
  // The API server stops the pods its kubelets still run.
  if (sandbox.api?.pid) {
    try {
      process.kill(sandbox.api.pid, 'SIGTERM');
    } catch {
      // gone
    }
  }
  for (const registry of Object.values(sandbox.registries ?? {}) as { pid?: number }[]) if (registry.pid) stopRegistry({ pid: registry.pid });
  for (const service of sandbox.services ?? []) stopRegistry(service);
  // Images pulled into node storage hold overlay mounts only inside their (gone) namespaces.
  try {
    execFileSync('rm', ['-rf', join(sandbox.dir, 'nodes')], { stdio: 'ignore' });
  } catch {
    // best effort
  }
}

/** Pods, namespaces and DaemonSets created and not deleted, from the API server's ledger. */
/** What a run left on the cluster. */
export interface Leftovers {
  pods: string[];
  namespaces: string[];
  daemonsets: string[];
}

export function leftovers(dir: string): Leftovers {
  const file = join(dir, 'ledger.jsonl');
  const pods = new Map<string, LedgerEvent>();
  const namespaces = new Set<string>();
  const daemonsets = new Set<string>();
  for (const e of readLedger<LedgerEvent>(file)) {
    if (e.event === 'pod-created') pods.set(e.pod!, e);
    if (e.event === 'pod-deleted') pods.delete(e.pod!);
    if (e.event === 'namespace-created') namespaces.add(e.namespace!);
    if (e.event === 'namespace-deleted') namespaces.delete(e.namespace!);
    if (e.event === 'daemonset-created') daemonsets.add(`${e.namespace}/${e.daemonset}`);
    if (e.event === 'daemonset-deleted') daemonsets.delete(`${e.namespace}/${e.daemonset}`);
  }
  return { pods: [...pods.keys()], namespaces: [...namespaces], daemonsets: [...daemonsets] };
}

/**
 * What is left once the deletions that were accepted have run their course (a namespace is
 * Terminating until the pods in it are gone): waits up to 15 s for nothing to be left.
 */
export async function settled(dir: string): Promise<Leftovers> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const left = leftovers(dir);
    if ((left.pods.length === 0 && left.namespaces.length === 0 && left.daemonsets.length === 0) || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function ledgerEvents(dir: string): LedgerEvent[] {
  return readLedger<LedgerEvent>(join(dir, 'ledger.jsonl'));
}

/**
 * Switches a fault on while the sandbox runs (model.ts Fault); the API server reads it at once.
 * The transport (a file in the sandbox's folder) is the rig's own; each fault's behaviour names its
 * upstream source where the API server plays it (api/server.ts, api/admission.ts).
 */
export function setFault(dir: string, fault: Fault): void {
  const value = fault.kind === 'namespace-collisions' ? String(fault.count) : fault.kind === 'delete-node-after-list' || fault.kind === 'journal-check-fails' ? fault.node : '';
  writeFileSync(faultFile(dir, fault.kind), value);
}

export function clearFault(dir: string, kind: FaultKind): void {
  if (existsSync(faultFile(dir, kind))) unlinkSync(faultFile(dir, kind));
}

/** Changes how a node behaves while the sandbox runs (the API server reads it within 100 ms). */
export function setNodeBehaviour(dir: string, node: string, behaviour: NodeBehaviour): void {
  writeJson(behaviourFile(join(dir, 'nodes', node)), { behaviour });
}
