// status, in-process against the table-driven client answering with cluster objects the real
// kubectl printed (test/fixtures/cluster): pools, nodes, the rendered registries.conf compared
// with the policies, and the outcome that becomes the exit code.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeContents, nodesBehind, status, statusOutcome } from '../../src/app/status.js';
import { openClient } from '../../src/oc/client.js';
import { POLICY_RESOURCES } from '../../src/oc/cluster.js';
import { listMachineConfigPools, MC_RESOURCE, machineConfigFiles, MCP_RESOURCE } from '../../src/oc/machine-config.js';
import { type Expected, fakeRunner, unservedImagePolicyReads } from '../fake-runner.js';

const fixture = (name: string) => readFileSync(`test/fixtures/cluster/${name}`, 'utf8');

function cluster(over: Partial<Record<'pools' | 'worker' | 'infra', Expected['result']>> = {}): Expected[] {
  return [
    { args: ['whoami'], result: { stdout: 'system:admin\n' } },
    { args: ['get', 'nodes', '-o', 'json'], result: { stdout: fixture('nodes.json') } },
    { args: ['get', MCP_RESOURCE, '-o', 'json'], result: over.pools ?? { stdout: fixture('machineconfigpools.json') } },
    { args: ['get', POLICY_RESOURCES.ImageContentSourcePolicy, '-o', 'json'], result: { stdout: fixture('icsp.json') } },
    { args: ['get', POLICY_RESOURCES.ImageDigestMirrorSet, '-o', 'json'], result: { stdout: fixture('idms.json') } },
    { args: ['get', POLICY_RESOURCES.ImageTagMirrorSet, '-o', 'json'], result: { stdout: fixture('itms.json') } },
    ...unservedImagePolicyReads(),
    { args: ['get', 'images.config.openshift.io', 'cluster', '-o', 'json', '--ignore-not-found'], result: { stdout: fixture('image-config.json') } },
    ...(over.pools ? [] : [
      { args: ['get', MC_RESOURCE, 'rendered-worker-2', '-o', 'json'], result: over.worker ?? { stdout: fixture('mc-rendered-worker-2.json') } },
      { args: ['get', MC_RESOURCE, 'rendered-infra-2', '-o', 'json'], result: over.infra ?? { stdout: fixture('mc-rendered-infra-2.json') } },
    ]),
  ];
}

describe('status', () => {
  it('each pool with its rollout and whether its rendered registries.conf resolves as the policies do; each node with its config', async () => {
    const result = await status(openClient('oc', fakeRunner(cluster())), undefined);
    const pools = result.pools.map((p) => [p.name, p.updating, p.degraded, p.currentConfig, p.desiredConfig, p.registries] as const);
    expect([...pools].sort((x, y) => x[0].localeCompare(y[0]))).toEqual([
      ['infra', false, false, 'rendered-infra-2', 'rendered-infra-2', { present: true, matchesPolicies: true }],
      ['worker', true, false, 'rendered-worker-1', 'rendered-worker-2', { present: true, matchesPolicies: true }],
    ]);
    expect(result.nodes.map((n) => [n.name, n.pool, n.state, n.upToDate])).toEqual([
      ['worker-0', 'worker', 'Done', true],
      ['worker-1', 'worker', 'Done', true],
      ['worker-2', 'worker', 'Done', true],
      ['worker-3', 'worker', 'Working', false],
      ['worker-4', 'worker', 'Done', true],
      ['infra-0', 'infra', 'Done', true],
    ]);
    expect(nodesBehind(result).map((n) => [n.name, n.currentConfig, n.desiredConfig])).toEqual([['worker-3', 'rendered-worker-1', 'rendered-worker-2']]);
    expect(statusOutcome(result)).toBe('findings');
    expect(statusOutcome({ ...result, nodes: result.nodes.filter((n) => n.upToDate) })).toBe('clean');
  });

  it('a rendered config that cannot be read is unknown (null); one without registries.conf is absent and does not match', async () => {
    const noFiles = JSON.parse(fixture('mc-rendered-infra-2.json'));
    noFiles.spec.config.storage.files = [];
    const result = await status(openClient('oc', fakeRunner(cluster({ worker: { exitCode: 1, stderr: 'Error from server (NotFound): not found' }, infra: { stdout: JSON.stringify(noFiles) } }))), undefined);
    const by = Object.fromEntries(result.pools.map((p) => [p.name, p.registries]));
    expect(by).toEqual({ worker: null, infra: { present: false, matchesPolicies: false } });
  });

  it('a rendered registries.conf that resolves a policy source otherwise (its mirrors dropped) does not match', async () => {
    const stale = JSON.parse(fixture('mc-rendered-worker-2.json'));
    const file = stale.spec.config.storage.files.find((f: { path: string }) => f.path === '/etc/containers/registries.conf');
    file.contents = { source: `data:,${encodeURIComponent('unqualified-search-registries = ["registry.access.redhat.com"]\n')}` };
    const result = await status(openClient('oc', fakeRunner(cluster({ worker: { stdout: JSON.stringify(stale) } }))), undefined);
    expect(result.pools.find((p) => p.name === 'worker')!.registries).toEqual({ present: true, matchesPolicies: false });
    expect(result.pools.find((p) => p.name === 'infra')!.registries).toEqual({ present: true, matchesPolicies: true });
  });

  it('no MachineConfigPools served (not OpenShift): no pools, nodes still listed', async () => {
    const result = await status(openClient('oc', fakeRunner(cluster({ pools: { exitCode: 1, stderr: 'error: the server doesn\'t have a resource type "machineconfigpools"' } }))), undefined);
    expect(result.pools).toEqual([]);
    expect(result.nodes.map((n) => n.pool)).toEqual([null, null, null, null, null, null]);
  });
});

describe('Ignition file contents', () => {
  it.each([
    [{ source: 'data:,a%20b', compression: null }, 'a b'],
    [{ source: `data:;base64,${Buffer.from('x = 1\n').toString('base64')}`, compression: null }, 'x = 1\n'],
    [{ source: 'data:,x', compression: 'xz' }, null],
    [{ source: 'not a url', compression: null }, null],
  ])('%j', async (contents, text) => expect(await decodeContents(contents)).toBe(text));

  it('gzip, as the MCO writes registries.conf', async () => {
    const { gzipSync } = await import('node:zlib');
    const source = `data:;base64,${gzipSync('[[registry]]\n').toString('base64')}`;
    expect(await decodeContents({ source, compression: 'gzip' })).toBe('[[registry]]\n');
  });
});

describe('the MCO objects as the client gives them (test/fixtures/cluster)', () => {
  it('each pool: selector (matchLabels or matchExpressions), desired and current config, counts, conditions', async () => {
    const pools = await listMachineConfigPools(fakeRunner([{ args: ['get', MCP_RESOURCE, '-o', 'json'], result: { stdout: fixture('machineconfigpools.json') } }]));
    expect(pools).toEqual([
      {
        name: 'worker',
        nodeSelector: { matchLabels: { 'node-role.kubernetes.io/worker': '' }, matchExpressions: [] },
        desiredConfig: 'rendered-worker-2',
        currentConfig: 'rendered-worker-1',
        machineCount: 5, updatedMachineCount: 4, readyMachineCount: 4, degradedMachineCount: 0, unavailableMachineCount: 1,
        updating: { status: true, message: 'All nodes are updating to rendered-worker-2' },
        degraded: { status: false, message: null },
        paused: false,
      },
      {
        name: 'infra',
        nodeSelector: { matchLabels: {}, matchExpressions: [{ key: 'node-role.kubernetes.io/infra', operator: 'Exists', values: [] }] },
        desiredConfig: 'rendered-infra-2',
        currentConfig: 'rendered-infra-2',
        machineCount: 1, updatedMachineCount: 1, readyMachineCount: 1, degradedMachineCount: 0, unavailableMachineCount: 0,
        // An empty message is no message.
        updating: { status: false, message: null },
        degraded: { status: false, message: null },
        paused: false,
      },
    ]);
  });

  it('a pool with no status yet, paused: zero counts, no conditions', async () => {
    const bare = JSON.stringify({ items: [{ metadata: { name: 'edge' }, spec: { paused: true } }] });
    expect(await listMachineConfigPools(fakeRunner([{ args: ['get', MCP_RESOURCE, '-o', 'json'], result: { stdout: bare } }]))).toEqual([
      { name: 'edge', nodeSelector: { matchLabels: {}, matchExpressions: [] }, desiredConfig: null, currentConfig: null, machineCount: 0, updatedMachineCount: 0, readyMachineCount: 0, degradedMachineCount: 0, unavailableMachineCount: 0, updating: null, degraded: null, paused: true },
    ]);
  });

  it("a rendered MachineConfig's files by path, with their compression; a file without contents is left out", async () => {
    const mc = JSON.parse(fixture('mc-rendered-worker-2.json'));
    mc.spec.config.storage.files.push({ path: '/etc/empty' }, { contents: { source: 'data:,x' } });
    const files = await machineConfigFiles(fakeRunner([{ args: ['get', MC_RESOURCE, 'rendered-worker-2', '-o', 'json'], result: { stdout: JSON.stringify(mc) } }]), 'rendered-worker-2');
    expect(Object.keys(files!)).toEqual(['/etc/containers/registries.conf']);
    expect(files!['/etc/containers/registries.conf']).toEqual({ source: expect.stringMatching(/^data:;base64,H4sI/), compression: 'gzip' });
    expect(await machineConfigFiles(fakeRunner([{ args: ['get', MC_RESOURCE, 'gone', '-o', 'json'], result: { exitCode: 1, stderr: 'NotFound' } }]), 'gone')).toBeNull();
    const none = JSON.stringify({ spec: {} });
    expect(await machineConfigFiles(fakeRunner([{ args: ['get', MC_RESOURCE, 'x', '-o', 'json'], result: { stdout: none } }]), 'x')).toEqual({});
  });

  it('pools the client may not list: an error that says so', async () => {
    await expect(listMachineConfigPools(fakeRunner([{ args: ['get', MCP_RESOURCE, '-o', 'json'], result: { exitCode: 1, stderr: 'Error from server (Forbidden): machineconfigpools is forbidden' } }]))).rejects.toThrow(
      /^cannot list MachineConfigPools: Error from server \(Forbidden\): machineconfigpools is forbidden: log in as a cluster administrator$/,
    );
  });
});
