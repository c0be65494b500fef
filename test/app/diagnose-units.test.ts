// The pure parts of diagnosis: node config against the cluster's render, image picking, pools.
import { describe, expect, it } from 'vitest';
import { clusterConf } from '../../src/app/node-config.js';
import { compareNodeConfig } from '../../src/node-check/facts/registries-conf.js';
import { pickImages } from '../../src/app/pick-images.js';
import { isUpToDate, pendingRollout, poolOf, poolWarnings, selects } from '../../src/app/rollout.js';
import { decodeContents, sameMirrorBehaviour } from '../../src/app/status.js';
import type { ClusterNode } from '../../src/oc/cluster.js';
import type { LabelSelector, MachineConfigPool } from '../../src/oc/machine-config.js';
import { readPolicies } from '../../src/registries/policies.js';
import { parseReference } from '../../src/registries/reference.js';
import { renderRegistriesConf } from '../../src/registries/render.js';
import { warnedAll } from '../words.js';

const D = `sha256:${'a'.repeat(64)}`;
const icsp = {
  apiVersion: 'operator.openshift.io/v1alpha1',
  kind: 'ImageContentSourcePolicy',
  metadata: { name: 'mirrors' },
  spec: { repositoryDigestMirrors: [{ source: 'registry.example.com/team', mirrors: ['mirror.corp:5000/team'] }] },
};
const policies = readPolicies([{ origin: 'test', object: icsp }]);
const ref = parseReference(`registry.example.com/team/app@${D}`);

describe("a node's registries.conf against the cluster's", () => {
  const expected = clusterConf(policies);
  it('the MCO form matches, the 4.12 mirror-by-digest-only form too', () => {
    const current = compareNodeConfig([{ path: '/etc/containers/registries.conf', text: renderRegistriesConf(policies) }], expected, ref);
    expect(current).toMatchObject({ matchesCluster: true, problem: null });
    const old = `[[registry]]\nprefix = ""\nlocation = "registry.example.com/team"\nmirror-by-digest-only = true\n[[registry.mirror]]\nlocation = "mirror.corp:5000/team"\n`;
    expect(compareNodeConfig([{ path: '/etc/containers/registries.conf', text: old }], expected, ref)).toMatchObject({ matchesCluster: true });
  });
  it('a drop-in that adds a mirror makes it differ', () => {
    const dropIn = `[[registry]]\nprefix = ""\nlocation = "registry.example.com/team"\n[[registry.mirror]]\nlocation = "other.corp/team"\n`;
    const c = compareNodeConfig(
      [
        { path: '/etc/containers/registries.conf', text: renderRegistriesConf(policies) },
        { path: '/etc/containers/registries.conf.d/99-extra.conf', text: dropIn },
      ],
      expected,
      ref,
    );
    expect(c!.matchesCluster).toBe(false);
    expect(c!.sources.map((x) => x.reference)).toEqual([`other.corp/team/app@${D}`, `registry.example.com/team/app@${D}`]);
  });
  it('a file that does not parse differs, and says why; no file is unknown', () => {
    const c = compareNodeConfig([{ path: '/etc/containers/registries.conf', text: '[[registry' }], expected, ref);
    expect(c).toMatchObject({ matchesCluster: false, sources: [] });
    expect(c!.problem).toMatch(/not valid TOML/);
    expect(compareNodeConfig([], expected, ref)).toBeNull();
  });
});

describe('the rendered MachineConfig against the policies', () => {
  it('same sources for every policy source, by digest and by tag', () => {
    expect(sameMirrorBehaviour(renderRegistriesConf(policies), clusterConf(policies), policies.rules)).toBe(true);
    expect(sameMirrorBehaviour('unqualified-search-registries = []\n', clusterConf(policies), policies.rules)).toBe(false);
  });
});

describe('images running pods use', () => {
  const pods = [
    { namespace: 'b', pod: 'p2', image: 'registry.example.com/team/app:1.0', imageID: `registry.example.com/team/app@${D}` },
    { namespace: 'a', pod: 'p1', image: 'registry.example.com/team/other:2', imageID: 'sha256:deadbeef' },
    { namespace: 'c', pod: 'p3', image: `quay.io/elsewhere/x@${D}`, imageID: `quay.io/elsewhere/x@${D}` },
  ];
  it('by digest from the runtime, one per mirrored source, covered ones only', () => {
    expect(pickImages(pods, policies.rules, 5)).toEqual([{ image: `registry.example.com/team/app@${D}`, source: 'registry.example.com/team', seenIn: 'b/p2' }]);
  });
  it('at most max', () => {
    expect(pickImages(pods, policies.rules, 0)).toEqual([]);
  });
  const itms = { apiVersion: 'config.openshift.io/v1', kind: 'ImageTagMirrorSet', metadata: { name: 'tags' }, spec: { imageTagMirrors: [{ source: 'registry.example.com/team/app', mirrors: ['mirror.corp:5000/app'] }] } };
  const idms = { apiVersion: 'config.openshift.io/v1', kind: 'ImageDigestMirrorSet', metadata: { name: 'ops' }, spec: { imageDigestMirrors: [{ source: 'registry.example.com/ops', mirrors: ['mirror.corp:5000/ops'] }] } };
  const itmsOps = { apiVersion: 'config.openshift.io/v1', kind: 'ImageTagMirrorSet', metadata: { name: 'ops-tags' }, spec: { imageTagMirrors: [{ source: 'registry.example.com/ops', mirrors: ['mirror.corp:5000/ops'] }] } };
  const idmsApp = { apiVersion: 'config.openshift.io/v1', kind: 'ImageDigestMirrorSet', metadata: { name: 'app' }, spec: { imageDigestMirrors: [{ source: 'registry.example.com/team/app', mirrors: ['mirror.corp:5000/app'] }] } };
  const idmsNoMirrors = { apiVersion: 'config.openshift.io/v1', kind: 'ImageDigestMirrorSet', metadata: { name: 'closed' }, spec: { imageDigestMirrors: [{ source: 'registry.example.com/closed', mirrorSourcePolicy: 'NeverContactSource' }] } };
  const rules = readPolicies([icsp, itms, idms, itmsOps].map((object) => ({ origin: 'test', object }))).rules;
  it('a tag the runtime gave no digest for stands for a tag mirror; a digest one, found later, wins its source; sorted by source', () => {
    const more = [
      { namespace: 'z', pod: 'tag-only', image: 'registry.example.com/team/app:2.0', imageID: '' },
      { namespace: 'a', pod: 'ops-tag', image: 'registry.example.com/ops/db:1', imageID: '' },
      { namespace: 'b', pod: 'ops-digest', image: 'registry.example.com/ops/db:1', imageID: `docker-pullable://registry.example.com/ops/db@${D}` },
      { namespace: 'c', pod: 'broken', image: 'Not A Reference', imageID: '' },
    ];
    expect(pickImages(more, rules, 5)).toEqual([
      { image: `registry.example.com/ops/db@${D}`, source: 'registry.example.com/ops', seenIn: 'b/ops-digest' },
      { image: 'registry.example.com/team/app:2.0', source: 'registry.example.com/team/app', seenIn: 'z/tag-only' },
    ]);
    expect(pickImages(more, rules, 1).map((p) => p.source)).toEqual(['registry.example.com/ops']);
  });
  it('under two digest sources the longest stands for the image; a digest held is not replaced by a tag; policies without mirrors cover nothing', () => {
    const withApp = readPolicies([icsp, idmsApp, idms, itmsOps, idmsNoMirrors].map((object) => ({ origin: 'test', object }))).rules;
    const pods = [
      { namespace: 'a', pod: 'digest-first', image: `registry.example.com/ops/db@${D}`, imageID: '' },
      { namespace: 'b', pod: 'tag-later', image: 'registry.example.com/ops/db:2', imageID: '' },
      { namespace: 'c', pod: 'app', image: `registry.example.com/team/app@${D}`, imageID: '' },
      { namespace: 'd', pod: 'closed', image: `registry.example.com/closed/x@${D}`, imageID: '' },
    ];
    expect(pickImages(pods, withApp, 5)).toEqual([
      { image: `registry.example.com/ops/db@${D}`, source: 'registry.example.com/ops', seenIn: 'a/digest-first' },
      { image: `registry.example.com/team/app@${D}`, source: 'registry.example.com/team/app', seenIn: 'c/app' },
    ]);
  });
});

describe('pools and rollout', () => {
  const node = (labels: Record<string, string>, current: string, desired: string, state = 'Done'): ClusterNode => ({
    name: 'n', labels, ready: true, notReadyReason: null, currentConfig: current, desiredConfig: desired, mcoState: state,
  });
  const pool = (name: string, selector: Record<string, string> | LabelSelector, extra: Partial<MachineConfigPool> = {}): MachineConfigPool => ({
    name, nodeSelector: 'matchLabels' in selector ? (selector as LabelSelector) : { matchLabels: selector as Record<string, string>, matchExpressions: [] }, desiredConfig: null, currentConfig: null, machineCount: 3, updatedMachineCount: 3, readyMachineCount: 3,
    degradedMachineCount: 0, unavailableMachineCount: 0, updating: { status: false, message: null }, degraded: { status: false, message: null }, paused: false, ...extra,
  });
  it('a node in a custom pool belongs to it, not to worker', () => {
    const pools = [pool('worker', { 'node-role.kubernetes.io/worker': '' }), pool('infra', { 'node-role.kubernetes.io/infra': '' })];
    expect(poolOf(node({ 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/infra': '' }, 'a', 'a'), pools)!.name).toBe('infra');
  });
  it('a pool that selects by matchExpressions (In, NotIn, Exists, DoesNotExist), as the MCO reads it', () => {
    const edge = pool('edge', { matchLabels: {}, matchExpressions: [{ key: 'node-role.kubernetes.io/edge', operator: 'Exists', values: [] }, { key: 'zone', operator: 'In', values: ['a', 'b'] }] });
    const pools = [pool('worker', { 'node-role.kubernetes.io/worker': '' }), edge];
    expect(poolOf(node({ 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/edge': '', zone: 'a' }, 'a', 'a'), pools)!.name).toBe('edge');
    expect(poolOf(node({ 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/edge': '', zone: 'c' }, 'a', 'a'), pools)!.name).toBe('worker');
    const notGpu = pool('plain', { matchLabels: {}, matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist', values: [] }, { key: 'tier', operator: 'NotIn', values: ['db'] }] });
    expect(selects(notGpu.nodeSelector, { tier: 'web' })).toBe(true);
    expect(selects(notGpu.nodeSelector, { gpu: 'yes' })).toBe(false);
    expect(selects(notGpu.nodeSelector, { tier: 'db' })).toBe(false);
    // An empty selector selects nothing for a pool.
    expect(selects({ matchLabels: {}, matchExpressions: [] }, { any: 'x' })).toBe(false);
  });
  it('up to date: current is desired and the daemon is done', () => {
    expect(isUpToDate(node({}, 'r2', 'r2'))).toBe(true);
    expect(isUpToDate(node({}, 'r1', 'r2'))).toBe(false);
    expect(isUpToDate(node({}, 'r2', 'r2', 'Working'))).toBe(false);
    // No MCO annotations (not OpenShift): nothing to be up to date with.
    expect(isUpToDate({ ...node({}, 'r2', 'r2'), currentConfig: null, desiredConfig: null })).toBe(false);
    expect(isUpToDate({ ...node({}, 'r2', 'r2'), mcoState: null })).toBe(true);
  });
  it('a rollout pending: current -> desired; none when they agree or one is unknown', () => {
    expect(pendingRollout(node({}, 'r1', 'r2'))).toBe('r1 -> r2');
    expect(pendingRollout(node({}, 'r2', 'r2'))).toBeNull();
    expect(pendingRollout({ ...node({}, 'r1', 'r2'), desiredConfig: null })).toBeNull();
    expect(pendingRollout({ ...node({}, 'r1', 'r2'), currentConfig: null })).toBeNull();
  });
  it('an empty selector selects nothing (the MCO would not roll out to every node by it); no pool, no owner', () => {
    expect(selects({ matchLabels: {}, matchExpressions: [] }, { a: '' })).toBe(false);
    expect(poolOf(node({ other: '' }, 'a', 'a'), [pool('worker', { 'node-role.kubernetes.io/worker': '' })])).toBeNull();
  });
  it('a degraded pool without a message; a pool neither updating nor degraded says nothing', () => {
    expect(warnedAll(poolWarnings([pool('infra', {}, { degraded: { status: true, message: null }, updating: { status: true, message: 'x' } })]), { invokedAs: 'kubectl icsp' })).toEqual([
      'MachineConfigPool infra is degraded; its nodes may keep an old registries.conf (kubectl icsp status)',
    ]);
    expect(poolWarnings([pool('worker', {}, { degraded: null, updating: null })])).toEqual([]);
  });
  it('warnings: updating, degraded, paused', () => {
    expect(
      warnedAll(
        poolWarnings([
          pool('worker', {}, { updating: { status: true, message: null }, updatedMachineCount: 1 }),
          pool('infra', {}, { degraded: { status: true, message: 'Node n is reporting: "unexpected on-disk state"' } }),
          pool('edge', {}, { paused: true }),
        ]),
      ),
    ).toEqual([
      'MachineConfigPool worker is still updating (1/3 machines updated): nodes may not have the latest mirror configuration yet (oc icsp status)',
      'MachineConfigPool infra is degraded: Node n is reporting: "unexpected on-disk state"; its nodes may keep an old registries.conf (oc icsp status)',
      'MachineConfigPool edge is paused: policy changes do not reach its nodes until it is unpaused',
    ]);
  });
});

describe('rendered MachineConfig file contents', () => {
  const text = 'unqualified-search-registries = ["registry.access.redhat.com"]\n';
  it('a plain data: URL', async () => {
    expect(await decodeContents({ source: `data:text/plain;charset=utf-8;base64,${Buffer.from(text).toString('base64')}`, compression: null })).toBe(text);
    expect(await decodeContents({ source: `data:,${encodeURIComponent(text)}`, compression: null })).toBe(text);
  });
  it('gzip-compressed, as Ignition 3.1+ and the MCO write larger files', async () => {
    const { gzipSync } = await import('node:zlib');
    expect(await decodeContents({ source: `data:;base64,${gzipSync(text).toString('base64')}`, compression: 'gzip' })).toBe(text);
  });
  it('a compression it does not know: no text, rather than garbage', async () => {
    expect(await decodeContents({ source: 'data:;base64,AAAA', compression: 'zstd' })).toBeNull();
  });
});
