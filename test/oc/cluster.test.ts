import { describe, expect, it } from 'vitest';
import { KUBECTL_WHOAMI, openClient, USERS_TILDE } from '../../src/oc/client.js';
import { getImageConfig, listNodeNames, listNodes, listPodImages, listPolicyObjects } from '../../src/oc/cluster.js';
import { endpointTime, nodeLogsArgs } from '../../src/oc/node-logs.js';
import { createRunNamespace, deleteNamespace } from '../../src/oc/namespace.js';
import { debugNodeArgs } from '../../src/oc/oc-debug.js';
import { withGlobalArgs } from '../../src/oc/runner.js';
import { UserError } from '../../src/errors.js';
import { fakeRunner } from '../fake-runner.js';

const node = (name: string, ready: string, extra: Record<string, unknown> = {}) => ({
  metadata: {
    name,
    labels: { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/infra': '' },
    annotations: {
      'machineconfiguration.openshift.io/currentConfig': 'rendered-worker-1',
      'machineconfiguration.openshift.io/desiredConfig': 'rendered-worker-2',
      'machineconfiguration.openshift.io/state': 'Working',
    },
  },
  status: { conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: ready, message: 'Kubelet stopped posting node status.' }] },
  ...extra,
});

describe('listNodes', () => {
  it('asks for JSON, passes the selector, reads readiness and MachineConfig state', async () => {
    const oc = fakeRunner([
      { args: ['get', 'nodes', '-o', 'json', '--selector=node-role.kubernetes.io/worker'], result: { stdout: JSON.stringify({ items: [node('w0', 'True'), node('w1', 'Unknown', { spec: { unschedulable: true } })] }) } },
    ]);
    const nodes = await listNodes(oc, 'node-role.kubernetes.io/worker');
    const labels = { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/infra': '' };
    expect(nodes).toEqual([
      { name: 'w0', labels, ready: true, notReadyReason: null, currentConfig: 'rendered-worker-1', desiredConfig: 'rendered-worker-2', mcoState: 'Working' },
      { name: 'w1', labels, ready: false, notReadyReason: 'Kubelet stopped posting node status. (cordoned)', currentConfig: 'rendered-worker-1', desiredConfig: 'rendered-worker-2', mcoState: 'Working' },
    ]);
  });

  it('turns forbidden into advice', async () => {
    const oc = fakeRunner([{ args: ['get', 'nodes', '-o', 'json'], result: { exitCode: 1, stderr: 'Error from server (Forbidden): nodes is forbidden: User "dev" cannot list resource "nodes"' } }]);
    await expect(listNodes(oc, undefined)).rejects.toThrow(/cannot list nodes: .*forbidden.*: log in as a cluster administrator/);
  });
});

describe('more of what the cluster answers', () => {
  it('a node with no conditions, or only a reason: why it is not Ready; nodes with nothing but a name', async () => {
    const oc = fakeRunner([
      {
        args: ['get', 'nodes', '-o', 'json'],
        result: { stdout: JSON.stringify({ items: [{ metadata: { name: 'bare' } }, { metadata: { name: 'r' }, status: { conditions: [{ type: 'Ready', status: 'False', reason: 'KubeletNotReady' }] } }] }) },
      },
    ]);
    expect(await listNodes(oc, undefined)).toEqual([
      { name: 'bare', labels: {}, ready: false, notReadyReason: 'no Ready condition', currentConfig: null, desiredConfig: null, mcoState: null },
      { name: 'r', labels: {}, ready: false, notReadyReason: 'KubeletNotReady', currentConfig: null, desiredConfig: null, mcoState: null },
    ]);
    expect(await listNodes(fakeRunner([{ args: ['get', 'nodes', '-o', 'json'], result: { stdout: '{}' } }]), undefined)).toEqual([]);
  });

  it("running pods' images: each container's and init container's, with the runtime's id; missing fields empty", async () => {
    const pods = {
      items: [
        { metadata: { namespace: 'team', name: 'app' }, status: { containerStatuses: [{ image: 'q.io/a:1', imageID: 'q.io/a@sha256:1' }], initContainerStatuses: [{ image: 'q.io/init:1', imageID: '' }] } },
        { metadata: {}, status: { containerStatuses: [{}] } },
        { status: {} },
      ],
    };
    const oc = fakeRunner([{ args: ['get', 'pods', '--all-namespaces', '-o', 'json', '--field-selector=status.phase=Running'], result: { stdout: JSON.stringify(pods) } }]);
    expect(await listPodImages(oc)).toEqual([
      { namespace: 'team', pod: 'app', image: 'q.io/a:1', imageID: 'q.io/a@sha256:1' },
      { namespace: 'team', pod: 'app', image: 'q.io/init:1', imageID: '' },
      { namespace: '', pod: '', image: '', imageID: '' },
    ]);
  });

  it('image.config: the object; a refusal is an error that says what could not be read', async () => {
    const config = { kind: 'Image', metadata: { name: 'cluster' } };
    expect(await getImageConfig(fakeRunner([{ args: ['get', 'images.config.openshift.io', 'cluster', '-o', 'json', '--ignore-not-found'], result: { stdout: JSON.stringify(config) } }]))).toEqual(config);
    const refused = fakeRunner([{ args: ['get', 'images.config.openshift.io', 'cluster', '-o', 'json', '--ignore-not-found'], result: { exitCode: 1, stderr: 'Error from server (Forbidden): images.config.openshift.io "cluster" is forbidden' } }]);
    await expect(getImageConfig(refused)).rejects.toThrow(/^cannot read image\.config\.openshift\.io\/cluster: .*forbidden.*: log in as a cluster administrator$/);
  });
});

describe('policies', () => {
  it('a resource type the cluster does not serve is none, not an error', async () => {
    const oc = fakeRunner([
      { args: ['get', 'imagetagmirrorsets.config.openshift.io', '-o', 'json'], result: { exitCode: 1, stderr: 'error: the server doesn\'t have a resource type "imagetagmirrorsets"' } },
      { args: ['get', 'images.config.openshift.io', 'cluster', '-o', 'json', '--ignore-not-found'], result: { stdout: '' } },
    ]);
    expect(await listPolicyObjects(oc, 'ImageTagMirrorSet')).toEqual([]);
    expect(await getImageConfig(oc)).toBeNull();
  });

  it('any other failure is an error with the client message', async () => {
    const oc = fakeRunner([{ args: ['get', 'imagecontentsourcepolicies.operator.openshift.io', '-o', 'json'], result: { exitCode: 1, stderr: 'error: You must be logged in to the server (Unauthorized)' } }]);
    await expect(listPolicyObjects(oc, 'ImageContentSourcePolicy')).rejects.toThrow(/run `oc login`/);
  });
});

describe('whoAmI', () => {
  it('oc asks whoami; kubectl asks auth whoami', async () => {
    expect(await openClient('oc', fakeRunner([{ args: ['whoami'], result: { stdout: 'kube:admin\n' } }])).whoAmI()).toBe('kube:admin');
    const kubectl = fakeRunner([{ args: ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], result: { stdout: 'admin' } }], '/usr/bin/kubectl');
    expect(await openClient('kubectl', kubectl).whoAmI()).toBe('admin');
  });
  // What kubectl 1.32 prints where no SelfSubjectReview version is served (OpenShift 4.12 and 4.13),
  // as seen against the sandbox's API playing 4.12 (test/e2e/kubectl.test.ts).
  const NOT_ENABLED = 'error: the selfsubjectreviews API is not enabled in the cluster\nenable APISelfSubjectReview feature gate and authentication.k8s.io/v1alpha1 or authentication.k8s.io/v1beta1 API\n';

  it('kubectl where SelfSubjectReview is not served: the login is proved with users/~, as oc whoami does', async () => {
    const kubectl = fakeRunner(
      [
        { args: KUBECTL_WHOAMI, result: { exitCode: 1, stderr: NOT_ENABLED } },
        { args: USERS_TILDE, result: { stdout: '{"kind":"User","apiVersion":"user.openshift.io/v1","metadata":{"name":"kube:admin"},"groups":["system:cluster-admins"]}' } },
      ],
      '/usr/bin/kubectl',
    );
    expect(await openClient('kubectl', kubectl).whoAmI()).toBe('kube:admin');
  });

  it('kubectl logged out there: the users/~ answer says so', async () => {
    const kubectl = fakeRunner(
      [
        { args: KUBECTL_WHOAMI, result: { exitCode: 1, stderr: NOT_ENABLED } },
        { args: USERS_TILDE, result: { exitCode: 1, stderr: 'error: You must be logged in to the server (Unauthorized)\n' } },
      ],
      '/usr/bin/kubectl',
    );
    await expect(openClient('kubectl', kubectl).whoAmI()).rejects.toThrow(/^not logged in to a cluster \(You must be logged in to the server \(Unauthorized\)\)/);
  });

  it('no session: advice to log in, as a UserError', async () => {
    const oc = fakeRunner([{ args: ['whoami'], result: { exitCode: 1, stderr: 'error: You must be logged in to the server (Unauthorized)\n' } }]);
    const error = await openClient('oc', oc).whoAmI().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe('not logged in to a cluster (You must be logged in to the server (Unauthorized)): run `oc login` first');
  });
});

describe('run namespace', () => {
  it('is created privileged, unsynced, without a node selector, from stdin', async () => {
    let manifest = '';
    const oc = fakeRunner([{ args: ['create', '-f', '-', '-o', 'name'], result: { stdout: 'namespace/oc-icsp-x7k2p\n' }, input: (t) => (manifest = t) }]);
    expect(await createRunNamespace(oc, 'r1')).toBe('oc-icsp-x7k2p');
    const ns = JSON.parse(manifest);
    expect(ns.metadata.generateName).toBe('oc-icsp-');
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'privileged',
      'security.openshift.io/scc.podSecurityLabelSync': 'false',
    });
    expect(ns.metadata.annotations['openshift.io/node-selector']).toBe('');
    expect(ns.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'oc-icsp', 'oc-icsp/run-id': 'r1' });
  });
  it('a generated name that collides is asked for again, once; a refusal or an odd answer is an error', async () => {
    const create = ['create', '-f', '-', '-o', 'name'];
    const collided = { exitCode: 1, stderr: 'Error from server (AlreadyExists): namespaces "oc-icsp-x7k2p" already exists' };
    expect(await createRunNamespace(fakeRunner([{ args: create, result: collided }, { args: create, result: { stdout: 'namespace/oc-icsp-b2c3d\n' } }]), 'r1')).toBe('oc-icsp-b2c3d');
    await expect(createRunNamespace(fakeRunner([{ args: create, result: collided }, { args: create, result: collided }]), 'r1')).rejects.toThrow(
      'cannot create a namespace for the node pods: Error from server (AlreadyExists): namespaces "oc-icsp-x7k2p" already exists',
    );
    await expect(createRunNamespace(fakeRunner([{ args: create, result: { stdout: 'namespace/kube-system\n' } }]), 'r1')).rejects.toThrow('unexpected answer creating the namespace: namespace/kube-system');
  });
  it('is deleted without waiting', async () => {
    const oc = fakeRunner([{ args: ['delete', 'namespace', 'oc-icsp-x7k2p', '--ignore-not-found', '--wait=false'] }]);
    expect(await deleteNamespace(oc, 'oc-icsp-x7k2p')).toBe(true);
  });
});

describe('debug argv', () => {
  it('targets the node in our namespace, with the image only when given, the command after --', () => {
    expect(debugNodeArgs({ node: 'w0', namespace: 'ns', image: undefined, command: ['chroot', '/host', 'true'] })).toEqual([
      'debug', 'node/w0', '--to-namespace=ns', '--', 'chroot', '/host', 'true',
    ]);
    expect(debugNodeArgs({ node: 'w0', namespace: 'ns', image: 'm.io/tools:1', command: ['x'] })).toEqual([
      'debug', 'node/w0', '--to-namespace=ns', '--image=m.io/tools:1', '--', 'x',
    ]);
  });
  it('client flags go before --, never into the node command', () => {
    expect(withGlobalArgs(['debug', 'node/w0', '--', 'sh', '--context', 'x'], ['--context', 'prod'])).toEqual([
      'debug', 'node/w0', '--context', 'prod', '--', 'sh', '--context', 'x',
    ]);
    expect(withGlobalArgs(['get', 'nodes'], ['--kubeconfig', '/k'])).toEqual(['get', 'nodes', '--kubeconfig', '/k']);
  });
});

describe('small reads', () => {
  it('node names for completion: `node/` dropped; none when the client fails', async () => {
    expect(await listNodeNames(fakeRunner([{ args: ['get', 'nodes', '-o', 'name'], result: { stdout: 'node/w0\nnode/w1\n\n' } }]))).toEqual(['w0', 'w1']);
    expect(await listNodeNames(fakeRunner([{ args: ['get', 'nodes', '-o', 'name'], result: { exitCode: 1, stderr: 'error: You must be logged in to the server (Unauthorized)' } }]))).toEqual([]);
  });

  it("the journal endpoint's date form, to the microsecond, in UTC; oc adm node-logs for CRI-O's unit", () => {
    const at = new Date('2026-11-30T03:04:05.678Z');
    expect(endpointTime(at)).toBe('2026-11-30 03:04:05.678000');
    expect(endpointTime(at, 678123)).toBe('2026-11-30 03:04:05.678123');
    expect(endpointTime(new Date('2026-01-02T00:00:00.000Z'))).toBe('2026-01-02 00:00:00.000000');
    expect(nodeLogsArgs('w0', 'a', 'b')).toEqual(['adm', 'node-logs', 'w0', '-u', 'crio', '--since=a', '--until=b']);
  });
});
