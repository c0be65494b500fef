// The verify orchestration, driven by the table-driven fake client with node outputs captured
// in the sandbox: bounded parallelism, timeouts, NotReady nodes, a client that cannot start,
// interruption, and the namespace deleted every time.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planVerify, verify, verifyOutcome, type VerifyRequest } from '../../src/app/verify.js';

import { openClient } from '../../src/oc/client.js';
import { debugNodeArgs } from '../../src/oc/oc-debug.js';
import { nodeCommand } from '../../src/node-check/node-script.js';
import { type Expected, fakeRunner } from '../fake-runner.js';
import { said } from '../words.js';
import { warningLines } from '../../src/report/verify-report.js';
import { settleUntil } from '../fake-clock.js';

const DIGEST = 'sha256:ed0758f0c3025b18efd9a6be002cb052ea209fee69fabe818979512ae18433c0';
const IMAGE = `registry.sandbox.invalid/team/app@${DIGEST}`;
const NS = 'oc-icsp-x7k2p';

/** A node log saved by --log-dir: the client's lines (prefixed [oc]) went to stderr. */
function captured(name: string): { stdout: string; stderr: string } {
  const lines = readFileSync(`test/fixtures/node-logs/${name}.log`, 'utf8').split('\n');
  const client = lines.filter((l) => l.startsWith('[oc] ')).map((l) => l.slice(5));
  return { stdout: lines.filter((l) => !l.startsWith('[oc] ')).join('\n'), stderr: client.join('\n') };
}

function nodeItem(name: string, ready = true) {
  return {
    metadata: { name, annotations: { 'machineconfiguration.openshift.io/currentConfig': 'r1', 'machineconfiguration.openshift.io/desiredConfig': 'r1' } },
    status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'Unknown', message: 'Kubelet stopped posting node status.' }] },
  };
}

const ICSP = {
  apiVersion: 'operator.openshift.io/v1alpha1',
  kind: 'ImageContentSourcePolicy',
  metadata: { name: 'sandbox-mirrors' },
  spec: { repositoryDigestMirrors: [{ source: 'registry.sandbox.invalid/team', mirrors: ['mirror.example:5000/team'] }] },
};

function clusterCalls(nodes: ReturnType<typeof nodeItem>[]): Expected[] {
  return [
    { args: ['whoami'], result: { stdout: 'system:admin\n' } },
    { args: ['get', 'nodes', '-o', 'json'], result: { stdout: JSON.stringify({ items: nodes }) } },
    { args: ['get', 'imagecontentsourcepolicies.operator.openshift.io', '-o', 'json'], result: { stdout: JSON.stringify({ items: [ICSP] }) } },
    { args: ['get', 'imagedigestmirrorsets.config.openshift.io', '-o', 'json'], result: { stdout: '{"items":[]}' } },
    { args: ['get', 'imagetagmirrorsets.config.openshift.io', '-o', 'json'], result: { stdout: '{"items":[]}' } },
    { args: ['get', 'clusterimagepolicies.config.openshift.io', '-o', 'json'], result: { stdout: '{"items":[]}' } },
    { args: ['get', 'imagepolicies.config.openshift.io', '--all-namespaces', '-o', 'json'], result: { stdout: '{"items":[]}' } },
    { args: ['get', 'criocredentialproviderconfigs.config.openshift.io', 'cluster', '-o', 'json', '--ignore-not-found'], result: { stdout: '' } },
    { args: ['get', 'images.config.openshift.io', 'cluster', '-o', 'json', '--ignore-not-found'], result: { stdout: '' } },
    { args: ['get', 'namespaces', '--selector=app.kubernetes.io/managed-by=oc-icsp', '-o', 'json'], result: { stdout: '{"items":[]}' } },
    { args: ['get', 'machineconfigpools.machineconfiguration.openshift.io', '-o', 'json'], result: { stdout: '{"items":[]}' } },
  ];
}

const CREATE_NS: Expected = { args: ['create', '-f', '-', '-o', 'name'], result: { stdout: `namespace/${NS}\n` } };
const DELETE_NS: Expected = { args: ['delete', 'namespace', NS, '--ignore-not-found', '--wait=false'] };
const debugCall = (node: string, extra: Partial<Expected> = {}): Expected => ({
  args: debugNodeArgs({ node, namespace: NS, image: undefined, command: nodeCommand({ images: [IMAGE], check: 'pull', engine: 'podman', keepImage: false, repositories: ['mirror.example:5000/team/app', 'mirror.example:5000'] }) }),
  ...extra,
});

const request = (over: Partial<VerifyRequest> = {}): VerifyRequest => ({
  images: [IMAGE], check: 'pull', maxImages: 5, selector: undefined, nodeNames: undefined, parallel: 10, timeoutMs: 60_000, keepImage: false, ...over,
});

function setup(table: Expected[]) {
  const runner = fakeRunner(table);
  const client = openClient('oc', runner);
  return { runner, client, nodeRunner: client.nodeRunner({ image: undefined }) };
}

describe('verify over the fake client', () => {
  it('one pod per Ready node, verdicts from what each printed, NotReady skipped, namespace deleted', async () => {
    const { runner, client, nodeRunner } = setup([
      ...clusterCalls([nodeItem('w0'), nodeItem('w1'), nodeItem('w2', false)]),
      CREATE_NS,
      debugCall('w0', { result: captured('digest-mirrored') }),
      debugCall('w1', { result: { ...captured('digest-not-on-mirror'), exitCode: 1 } }),
      DELETE_NS,
    ]);
    const result = await verify(request(), { client, nodeRunner, signal: new AbortController().signal, logSink: undefined });
    expect(result.nodes.map((n) => [n.name, n.verdict, said(n).detail])).toEqual([
      ['w0', 'mirrored', 'served by a mirror'],
      [
        'w1',
        'mirror-failed',
        'mirror manifest-unknown; the source failed too (dns)',
      ],
      ['w2', 'skipped', 'node is not Ready: Kubelet stopped posting node status.'],
    ]);
    expect(result.summary).toEqual({ mirrored: 1, 'mirror-failed': 1, 'not-mirrored': 0, error: 0, skipped: 1 });
    expect(result).toMatchObject({ namespace: NS, namespaceDeleted: true, interrupted: false });
    expect(runner.calls.filter((c) => c[0] === 'debug').map((c) => c[1])).toEqual(['node/w0', 'node/w1']);
  });

  it('--parallel bounds the pods alive at once', async () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    const { runner, client, nodeRunner } = setup([
      ...clusterCalls(names.map((n) => nodeItem(n))),
      CREATE_NS,
      ...names.map((n) => debugCall(n, { hang: true })),
      DELETE_NS,
    ]);
    let most = 0;
    const watch = setInterval(() => (most = Math.max(most, runner.running())), 1);
    const result = await verify(request({ parallel: 2, timeoutMs: 20 }), { client, nodeRunner, signal: new AbortController().signal, logSink: undefined });
    clearInterval(watch);
    expect(most).toBe(2);
    expect(result.nodes.map((n) => said(n).detail)).toEqual(names.map(() => 'timed out after 20ms'));
    expect(runner.stopped).toHaveLength(5);
  });

  it('a timed-out node is an error quoting the client; the others are unaffected', async () => {
    const { client, nodeRunner } = setup([
      ...clusterCalls([nodeItem('slow'), nodeItem('w0')]),
      CREATE_NS,
      debugCall('slow', {
        hang: true,
        result: { stderr: 'Starting pod/slow-debug-x ...\nwarning: Container container-00 is unable to start due to an error: Back-off pulling image "tools"' },
      }),
      debugCall('w0', { result: captured('digest-mirrored') }),
      DELETE_NS,
    ]);
    const result = await verify(request({ timeoutMs: 50 }), { client, nodeRunner, signal: new AbortController().signal, logSink: undefined });
    expect(result.nodes.map((n) => [n.name, n.verdict, said(n).detail])).toEqual([
      ['slow', 'error', 'timed out after 50ms; oc said: Container container-00 is unable to start due to an error: Back-off pulling image "tools"'],
      ['w0', 'mirrored', 'served by a mirror'],
    ]);
  });

  it('a client that cannot start is that node\'s error', async () => {
    const { client, nodeRunner } = setup([
      ...clusterCalls([nodeItem('w0')]),
      CREATE_NS,
      debugCall('w0', { failedToStart: 'could not run the client: spawn /usr/bin/oc EACCES' }),
      DELETE_NS,
    ]);
    const result = await verify(request(), { client, nodeRunner, signal: new AbortController().signal, logSink: undefined });
    expect(said(result.nodes[0]!)).toMatchObject({ verdict: 'error', detail: 'could not run the client: spawn /usr/bin/oc EACCES' });
  });

  it('interruption stops the running pods, starts no more, and still deletes the namespace', async () => {
    const { runner, client, nodeRunner } = setup([
      ...clusterCalls([nodeItem('a'), nodeItem('b'), nodeItem('c')]),
      CREATE_NS,
      debugCall('a', { hang: true }),
      DELETE_NS,
    ]);
    const controller = new AbortController();
    const started: string[] = [];
    const running = verify(request({ parallel: 1 }), {
      client,
      nodeRunner,
      signal: controller.signal,
      logSink: undefined,
      onProgress: () => {},
      onStatus: (text) => started.push(text),
    });
    await settleUntil(() => runner.running() > 0);
    expect(nodeRunner.pending()).toEqual([`namespace/${NS}`]);
    controller.abort();
    const result = await running;
    expect(result).toMatchObject({ interrupted: true, namespaceDeleted: true });
    expect(result.nodes.map((n) => [n.name, said(n).detail])).toEqual([['a', 'interrupted']]);
    expect(runner.stopped.map((c) => c[1])).toEqual(['node/a']);
    expect(nodeRunner.pending()).toEqual([]);
  });

  it('a namespace that cannot be deleted is a warning that names the command', async () => {
    const { client, nodeRunner } = setup([
      ...clusterCalls([nodeItem('w0')]),
      CREATE_NS,
      debugCall('w0', { result: captured('digest-mirrored') }),
      { ...DELETE_NS, result: { exitCode: 1, stderr: 'error: connection refused' } },
    ]);
    const result = await verify(request(), { client, nodeRunner, signal: new AbortController().signal, logSink: undefined });
    expect(result.namespaceDeleted).toBe(false);
    expect(warningLines(result)).toContain(`could not delete namespace ${NS}: run \`oc delete namespace ${NS}\``);
  });

  it('a log file that cannot be opened costs that node its log, not its check', async () => {
    const { client, nodeRunner } = setup([...clusterCalls([nodeItem('w0')]), CREATE_NS, debugCall('w0', { result: captured('digest-mirrored') }), DELETE_NS]);
    const logSink = () => {
      throw new Error('/logs/w0.log is a symbolic link: not followed');
    };
    const result = await verify(request(), { client, nodeRunner, signal: new AbortController().signal, logSink });
    expect(result.nodes[0]!.verdict).toBe('mirrored');
    expect(warningLines(result)).toContain('w0: no --log-dir file: /logs/w0.log is a symbolic link: not followed');
  });

  it('--dry-run lists the calls and creates nothing', async () => {
    const { client, nodeRunner } = setup(clusterCalls([nodeItem('w0'), nodeItem('w1', false)]));
    const plan = await planVerify(request(), { client, nodeRunner });
    expect(plan.skipped).toEqual(['w1']);
    expect(plan.calls.map((c) => [c.node, c.argv.slice(0, 4)])).toEqual([
      [null, ['/usr/bin/oc', 'create', '-f', '-']],
      ['w0', ['/usr/bin/oc', 'debug', 'node/w0', '--to-namespace=oc-icsp-<generated>']],
      [null, ['/usr/bin/oc', 'delete', 'namespace', 'oc-icsp-<generated>']],
    ]);
    expect(plan.calls[1]!.argv.slice(-11)).toEqual(['oc-icsp', 'pull', 'no', 'podman', '', '', '', IMAGE, '--', 'mirror.example:5000/team/app', 'mirror.example:5000']);
  });
});

describe('verify: images, nodes and outcomes', () => {
  const PODS = ['get', 'pods', '--all-namespaces', '-o', 'json', '--field-selector=status.phase=Running'];
  const pod = (namespace: string, name: string, image: string, imageID: string) => ({ metadata: { namespace, name }, status: { containerStatuses: [{ image, imageID }] } });
  const tagged = 'registry.sandbox.invalid/team/app:1.0';

  it('no IMAGE: the image a running pod uses under a mirrored source, by the digest the runtime reported, said in a warning', async () => {
    const { client, nodeRunner } = setup([
      ...clusterCalls([nodeItem('w0')]),
      { args: PODS, result: { stdout: JSON.stringify({ items: [pod('shop', 'web-1', tagged, `docker-pullable://${'registry.sandbox.invalid/team/app'}@${DIGEST}`), pod('x', 'y', 'quay.io/other/thing:2', '')] }) } },
      CREATE_NS,
      debugCall('w0', { result: captured('digest-mirrored') }),
      DELETE_NS,
    ]);
    const result = await verify(request({ images: [] }), { client, nodeRunner, signal: new AbortController().signal, logSink: undefined });
    expect(result.images).toEqual([IMAGE]);
    expect(result.picked).toBe(true);
    expect(warningLines(result)).toContain(`checking ${IMAGE} (runs in shop/web-1) for registry.sandbox.invalid/team`);
    expect(verifyOutcome(result)).toBe('clean');
  });

  it('no IMAGE and no running pod under a mirrored source: an error naming the command as typed', async () => {
    const { client, nodeRunner } = setup([...clusterCalls([nodeItem('w0')]), { args: PODS, result: { stdout: JSON.stringify({ items: [pod('x', 'y', 'quay.io/other/thing:2', '')] }) } }]);
    await expect(verify(request({ images: [] }), { client, nodeRunner, invokedAs: 'kubectl icsp', signal: new AbortController().signal, logSink: undefined })).rejects.toThrow(
      'no running pod uses an image that a mirror policy covers: name an IMAGE (kubectl icsp verify IMAGE)',
    );
  });

  it('--nodes naming a node the cluster does not have: an error before any pod', async () => {
    const { client, nodeRunner } = setup(clusterCalls([nodeItem('w0')]));
    await expect(verify(request({ nodeNames: ['w0', 'w9', 'w8'] }), { client, nodeRunner, signal: new AbortController().signal, logSink: undefined })).rejects.toThrow('no such nodes: w9, w8 (see `oc get nodes`)');
  });

  it('a tag pull under digest-only mirrors: warned before the run, not-mirrored after, a finding', async () => {
    const tag = 'registry.sandbox.invalid/team/app:1.0';
    const { client, nodeRunner } = setup([
      ...clusterCalls([nodeItem('w0')]),
      CREATE_NS,
      { args: debugNodeArgs({ node: 'w0', namespace: NS, image: undefined, command: nodeCommand({ images: [tag], check: 'pull', engine: 'podman', keepImage: false, repositories: [] }) }), result: captured('tag-mirrored') },
      DELETE_NS,
    ]);
    const result = await verify(request({ images: [tag] }), { client, nodeRunner, signal: new AbortController().signal, logSink: undefined });
    expect(warningLines(result)[0]).toBe(`${tag}: a tag pull, and ImageContentSourcePolicy/sandbox-mirrors mirror digest pulls only: pull by digest or add an ImageTagMirrorSet`);
    expect(verifyOutcome(result)).toBe('findings');
  });

  it('outcomes: clean only when every node is mirrored with nothing stale; interrupted wins', () => {
    const node = { verdict: 'mirrored', facts: { crioConfig: null }, disagreement: null };
    const of = (nodes: object[], interrupted = false, notCovered: object[] = [], borrowed: object[] = []) =>
      verifyOutcome({ nodes, interrupted, notCovered, borrowed } as unknown as Parameters<typeof verifyOutcome>[0]);
    expect(of([node, node])).toBe('clean');
    // --running: a running image no mirror serves is a finding, whatever the nodes said.
    expect(of([node], false, [{ image: 'quay.io/a/b:v1' }])).toBe('findings');
    expect(of([])).toBe('findings');
    expect(of([node, { ...node, verdict: 'skipped' }])).toBe('findings');
    expect(of([{ ...node, facts: { crioConfig: { stale: true } } }])).toBe('findings');
    expect(of([{ ...node, disagreement: { code: 'engines-differ' } }])).toBe('findings');
    expect(of([node], true)).toBe('interrupted');
    // A node that took a reader's verdicts counts as the reader's verdict, and its own CRI-O.
    expect(of([node], false, [], [{ reads: [node], crioStale: false }])).toBe('clean');
    expect(of([node], false, [], [{ reads: [{ ...node, verdict: 'mirror-failed' }], crioStale: false }])).toBe('findings');
    expect(of([node], false, [], [{ reads: [node], crioStale: true }])).toBe('findings');
  });

  it('kubectl with no --image: the notice about the pod image reaches the warnings (it travels in the run\'s outcome)', async () => {
    const runner = fakeRunner([
      { args: ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], result: { stdout: 'admin' } },
      ...clusterCalls([nodeItem('w0')]).slice(1),
      CREATE_NS,
      { args: ['version', '-o', 'json'], result: { stdout: JSON.stringify({ serverVersion: { minor: '31' } }) } },
      { args: ['create', '-f', '-', '-o', 'name'], result: { exitCode: 1, stderr: 'Error from server (Forbidden): pods "w0-icsp-" is forbidden: stop here' } },
      DELETE_NS,
    ], '/usr/bin/kubectl');
    const client = openClient('kubectl', runner);
    const result = await verify(request(), { client, nodeRunner: client.nodeRunner({ image: undefined }), signal: new AbortController().signal, logSink: undefined });
    expect(warningLines(result)).toContain('kubectl has no default node-debug image: using the support-tools image oc debug would (rhel8 up to OpenShift 4.15, rhel9 from 4.16); pass --image where it is not mirrored');
    expect(result.nodes[0]).toMatchObject({ verdict: 'error' });
  });
});

describe('verify at scale, and the warnings its results bring', () => {
  const REPOS = ['mirror.example:5000/team/app', 'mirror.example:5000'];
  const callWith = (node: string, check: 'pull' | 'manifest', engine: 'podman' | 'crictl' | 'both', extra: Partial<Expected> = {}): Expected => ({
    args: debugNodeArgs({ node, namespace: NS, image: undefined, command: nodeCommand({ images: [IMAGE], check, engine, keepImage: false, repositories: REPOS }) }),
    ...extra,
  });
  const fixture = (path: string) => {
    const lines = readFileSync(`test/fixtures/${path}`, 'utf8').split('\n');
    return { stdout: lines.filter((l) => !l.startsWith('[oc] ')).join('\n'), stderr: lines.filter((l) => l.startsWith('[oc] ')).map((l) => l.slice(5)).join('\n') };
  };
  const many = Array.from({ length: 26 }, (_, i) => `w${String(i).padStart(2, '0')}`);

  it('above 25 nodes, --check auto reads manifests and says so; each node counted as it finishes', async () => {
    const { client, nodeRunner } = setup([...clusterCalls(many.map((n) => nodeItem(n))), CREATE_NS, ...many.map((n) => callWith(n, 'manifest', 'podman', { result: captured('digest-mirrored') })), DELETE_NS]);
    const progress: string[] = [];
    const result = await verify(request({ check: 'auto', parallel: 26 }), { client, nodeRunner, signal: new AbortController().signal, logSink: undefined, onProgress: (p) => {
      // Each image a node begins is said too: the nodes done, as they change.
      if (progress.at(-1) !== `${p.nodesDone}/${p.nodes}`) progress.push(`${p.nodesDone}/${p.nodes}`);
    } });
    expect(result.check).toBe('manifest');
    expect(warningLines(result)).toContain('26 nodes: reading manifests only (--check manifest): blob failures after the manifest are not seen; --check pull to pull');
    expect(progress[0]).toBe('0/26');
    expect(progress.at(-1)).toBe('26/26');
    expect(progress).toHaveLength(27);
  });

  it('above 25 nodes with CRI-O pulling: every node pulls, and the run says so', async () => {
    const { client, nodeRunner } = setup([...clusterCalls(many.map((n) => nodeItem(n))), CREATE_NS, ...many.map((n) => callWith(n, 'pull', 'crictl', { result: captured('digest-mirrored') })), DELETE_NS]);
    const result = await verify(request({ check: 'auto', engine: 'crictl', parallel: 26 }), { client, nodeRunner, signal: new AbortController().signal, logSink: undefined });
    expect(result.check).toBe('pull');
    expect(warningLines(result)).toContain('26 nodes: --engine crictl pulls on every node (CRI-O has no manifest-only read); --engine podman --check manifest writes nothing to nodes');
  });

  it('25 nodes or fewer with --check auto: pulls, no such warning', async () => {
    const { client, nodeRunner } = setup([...clusterCalls([nodeItem('w0')]), CREATE_NS, callWith('w0', 'pull', 'podman', { result: captured('digest-mirrored') }), DELETE_NS]);
    const result = await verify(request({ check: 'auto' }), { client, nodeRunner, signal: new AbortController().signal, logSink: undefined });
    expect(result.check).toBe('pull');
    expect(warningLines(result).filter((w) => /nodes: /.test(w))).toEqual([]);
  });

  it('a stale CRI-O config and the engines disagreeing: each a warning', async () => {
    const { client, nodeRunner } = setup([...clusterCalls([nodeItem('stale')]), CREATE_NS, callWith('stale', 'pull', 'both', { result: fixture('node-logs-both/not-reloaded.log') }), DELETE_NS]);
    const result = await verify(request({ engine: 'both' }), { client, nodeRunner, signal: new AbortController().signal, logSink: undefined });
    expect(result.warnings.filter((w) => 'node' in w && w.node === 'stale').map((w) => w.code)).toEqual(['crio-config-stale', 'engines-disagree']);
    expect(warningLines(result).filter((w) => w.startsWith('stale: '))).toEqual([
      expect.stringMatching(/^stale: registries\.conf changed after CRI-O last loaded it \(2026-11-30T08:36:47\.000Z > 2026-11-30T06:36:47\.132Z\): CRI-O still pulls by the old one; systemctl reload crio on the node, or find why the MCO did not reload it$/),
      expect.stringMatching(/^stale: podman mirrored from 127\.0\.0\.1:\d+\/mirror\/team\/app@sha256:\w+, CRI-O not-mirrored: CRI-O has not reloaded/),
    ]);
    expect(verifyOutcome(result)).toBe('findings');
  });

  it('a node with no room to pull, and whose file differs from the policies: each a warning; mirrored all the same', async () => {
    const { client, nodeRunner } = setup([...clusterCalls([nodeItem('tight')]), CREATE_NS, callWith('tight', 'pull', 'podman', { result: fixture('node-logs-low-disk/tight.log') }), DELETE_NS]);
    const result = await verify(request(), { client, nodeRunner, signal: new AbortController().signal, logSink: undefined });
    expect(result.nodes[0]!.verdict).toBe('mirrored');
    expect(result.warnings.filter((w) => 'node' in w && w.node === 'tight').map((w) => w.code)).toEqual(['config-differs', 'low-disk']);
    expect(warningLines(result).filter((w) => w.startsWith('tight: '))).toEqual([
      "tight: its registries.conf differs from what the cluster's policies render; the MCO will bring it in line",
      'tight: only 0.1 GiB of 0.1 GiB free where a pull writes: its manifest was read instead of pulling, so the check adds nothing to the disk (free space on the node to pull)',
    ]);
  });

  it("two images under one policy: its row once, one node check per image; the pull secret asked about the policy's mirror, not each repository", async () => {
    const other = `registry.sandbox.invalid/team/db@${DIGEST}`;
    const { client, nodeRunner } = setup([
      ...clusterCalls([nodeItem('w0')]),
      CREATE_NS,
      {
        args: debugNodeArgs({ node: 'w0', namespace: NS, image: undefined, command: nodeCommand({ images: [IMAGE, other], check: 'pull', engine: 'podman', keepImage: false, repositories: ['mirror.example:5000/team', 'mirror.example:5000'] }) }),
        result: captured('digest-mirrored'),
      },
      DELETE_NS,
    ]);
    const result = await verify(request({ images: [IMAGE, other] }), { client, nodeRunner, signal: new AbortController().signal, logSink: undefined });
    expect(result.policies).toHaveLength(1);
    expect(result.images).toEqual([IMAGE, other]);
    expect(result.nodes.map((n) => n.image)).toEqual([IMAGE, other]);
  });
});
