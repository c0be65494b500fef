// render --proposed/--without on files: the files after a change, merged as kubectl apply would,
// and what its rollout does (registries/crio-rollout.ts); the refusals, before anything is read.
import { describe, expect, it } from 'vitest';
import { runMain, scratch } from './in-process.js';

const { write } = scratch('oc-icsp-proposal-');

// One mirror policy object with one entry, in the layout the API serves.
const KINDS = {
  ImageContentSourcePolicy: ['operator.openshift.io/v1alpha1', 'repositoryDigestMirrors'],
  ImageDigestMirrorSet: ['config.openshift.io/v1', 'imageDigestMirrors'],
  ImageTagMirrorSet: ['config.openshift.io/v1', 'imageTagMirrors'],
} as const;
function policy(file: string, kind: keyof typeof KINDS, name: string, source: string, mirror: string, never = false): string {
  const [apiVersion, field] = KINDS[kind];
  const sourcePolicy = never ? '    mirrorSourcePolicy: NeverContactSource\n' : '';
  return write(file, `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: ${name}}\nspec:\n  ${field}:\n  - source: ${source}\n    mirrors: [${mirror}]\n${sourcePolicy}`);
}

const RELEASE = 'quay.io/openshift-release-dev/ocp-release';
const TODAY = policy('today.yaml', 'ImageContentSourcePolicy', 'release', RELEASE, 'mirror.corp.example:5000/ocp/release');
// What our migrate (and oc adm migrate icsp) writes for it.
const IDMS = policy('idms.yaml', 'ImageDigestMirrorSet', 'release', RELEASE, 'mirror.corp.example:5000/ocp/release');
const NEW_MIRROR = policy('new-mirror.yaml', 'ImageDigestMirrorSet', 'art', 'quay.io/openshift-release-dev/ocp-v4.0-art-dev', 'mirror.corp.example:5000/ocp/art', true);
const TAGS = policy('tags.yaml', 'ImageTagMirrorSet', 'tags', 'registry.example.com/team', 'mirror.corp.example:5000/team');
const NOTHING = write('nothing.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');

describe('render a change before it is applied', () => {
  it('an added digest-only mirror set: the files after it, and CRI-O only reloads', async () => {
    const r = await runMain(['render', '-f', TODAY, '--proposed', NEW_MIRROR]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('location = "quay.io/openshift-release-dev/ocp-v4.0-art-dev"\nblocked = true\n');
    expect(r.stderr).toBe('note: as if ImageDigestMirrorSet/art were applied\nrollout: CRI-O reloads, no drain (only digest-only mirrors or registries added)\n');
  });

  it('the ICSP to IDMS migration: the same files, nothing rolls out', async () => {
    const before = await runMain(['render', '-f', TODAY]);
    const r = await runMain(['render', '-f', TODAY, '--proposed', IDMS, '--without', 'icsp/release']);
    expect(r.stdout).toBe(before.stdout);
    expect(r.stderr).toBe('note: as if ImageDigestMirrorSet/release were applied and ImageContentSourcePolicy/release deleted\nrollout: none: the files the MCO writes do not change\n');
  });

  it('an ICSP deleted with nothing in its place drains; so does an ITMS (tag mirrors are not digest-only)', async () => {
    const gone = await runMain(['render', '-f', TODAY, '--without', 'imagecontentsourcepolicy.operator.openshift.io/release']);
    expect(gone.stderr).toContain('rollout: every node of each pool is drained before the file lands (registry quay.io/openshift-release-dev/ocp-release removed)\n');
    const tags = await runMain(['render', '-f', TODAY, '--proposed', TAGS]);
    expect(tags.stderr).toContain('rollout: every node of each pool is drained before the file lands (registry registry.example.com/team added with a mirror that is not digest-only)\n');
  });

  it.each([
    [['--without', 'idms/nope'], 'error: --without: the cluster has no ImageDigestMirrorSet/nope (see `oc get idms`)\n'],
    [['--without', 'configmap/x'], 'error: --without "configmap/x": not TYPE/NAME of an object a change deletes (imagecontentsourcepolicy, imagedigestmirrorset, imagetagmirrorset, clusterimagepolicy, or icsp, idms, itms), e.g. --without icsp/my-mirrors\n'],
  ])('refuses %j', async (args, said) => {
    const r = await runMain(['render', '-f', TODAY, ...args]);
    expect([r.status, r.stderr, r.stdout]).toEqual([2, said, '']);
  });

  it('refuses a proposed file with no mirror policy in it', async () => {
    const r = await runMain(['render', '-f', TODAY, '--proposed', NOTHING]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: .*nothing\.yaml: no ImageContentSourcePolicy, ImageDigestMirrorSet, ImageTagMirrorSet, ClusterImagePolicy, ImagePolicy or images.config.openshift.io\/cluster in it\n$/);
  });
});

describe('explain and list a change before it is applied', () => {
  it('explain says the sources as if the change were made, and says so', async () => {
    const r = await runMain(['explain', 'quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:' + 'c'.repeat(64), '-f', TODAY, '--proposed', NEW_MIRROR, '-o', 'json']);
    const doc = JSON.parse(r.stdout);
    expect(doc.from).toMatch(/today\.yaml, as if ImageDigestMirrorSet\/art were applied$/);
    expect(doc.sources.map((x: { reference: string; blocked: boolean }) => `${x.reference.split('@')[0]} ${x.blocked}`)).toEqual([
      'mirror.corp.example:5000/ocp/art false',
      'quay.io/openshift-release-dev/ocp-v4.0-art-dev true',
    ]);
  });

  it('list shows the entries after the change, the change on stderr', async () => {
    const r = await runMain(['list', '-f', TODAY, '--proposed', IDMS, '--without', 'icsp/release', '-o', 'json']);
    expect(r.stderr).toBe('note: as if ImageDigestMirrorSet/release were applied and ImageContentSourcePolicy/release deleted\n');
    expect(JSON.parse(r.stdout).policies.map((e: { kind: string; name: string }) => `${e.kind}/${e.name}`)).toEqual(['ImageDigestMirrorSet/release']);
  });
});

describe('the node disruption policy of MachineConfiguration/cluster', () => {
  it("reads the actions for registries.conf from the MCO's status; none where it has none", async () => {
    const { registriesConfActions } = await import('../../src/app/proposal.js');
    const status = (files: unknown[]) => ({ status: { nodeDisruptionPolicyStatus: { clusterPolicies: { files } } } });
    expect(registriesConfActions(status([{ path: '/etc/containers/policy.json', actions: [{ type: 'Reload' }] }, { path: '/etc/containers/registries.conf', actions: [{ type: 'Special' }] }]))).toEqual(['Special']);
    expect(registriesConfActions(status([{ path: '/etc/containers/registries.conf', actions: [{ type: 'Reload', reload: { serviceName: 'crio.service' } }] }]))).toEqual(['Reload']);
    expect(registriesConfActions(status([]))).toBeUndefined();
    expect(registriesConfActions(null)).toBeUndefined();
  });
});
