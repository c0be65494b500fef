// The MCO's drain-or-reload decision for a registries.conf change, held to the MCO's own test
// cases (test/fixtures/mco-drain: pkg/daemon/drain_test.go at 7ff337a4f, TestIsDrainRequired, its
// cases where only the CRI-O reload action is present).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crioRollout } from '../../src/registries/crio-rollout.js';
import { loadRegistriesConf } from '../../src/registries/registries-conf.js';

const conf = (name: string) => loadRegistriesConf({ path: `${name}.toml`, text: readFileSync(`test/fixtures/mco-drain/${name}.toml`, 'utf8') });
const { cases } = JSON.parse(readFileSync('test/fixtures/mco-drain/cases.json', 'utf8')) as { cases: { why: string; old: string; new: string; drain: boolean }[] };

describe("the MCO's drain or reload for a registries.conf change", () => {
  it.each(cases)('$old -> $new: $why', ({ old, new: next, drain }) => {
    const rollout = crioRollout(conf(old), conf(next));
    expect(rollout.action === 'drain', JSON.stringify(rollout)).toBe(drain);
  });

  it('says which change drains', () => {
    expect(crioRollout(conf('mc1'), conf('mc3'))).toEqual({ action: 'drain', because: 'registry example.com/repo1/test-img1 removed' });
    expect(crioRollout(conf('mc3'), conf('mc1'))).toEqual({ action: 'reload', because: 'only digest-only mirrors or registries added' });
    expect(crioRollout(conf('mc1'), conf('mc1'))).toEqual({ action: 'none', because: null });
    expect(crioRollout(conf('mc1'), conf('mc1'), true)).toEqual({ action: 'reload', because: 'the signature policy files changed' });
  });
});

describe('under a node disruption policy (4.17 and later)', () => {
  it("Reboot or Drain for registries.conf drain whatever changed; another action never does; Special is the MCO's rules", () => {
    expect(crioRollout(conf('mc3'), conf('mc1'), false, ['Drain'])).toEqual({ action: 'drain', because: 'the node disruption policy for registries.conf says Drain' });
    expect(crioRollout(conf('mc1'), conf('mc3'), false, ['Reload'])).toEqual({ action: 'reload', because: 'the node disruption policy for registries.conf says Reload: no drain' });
    expect(crioRollout(conf('mc1'), conf('mc3'), false, ['Special'])).toEqual({ action: 'drain', because: 'registry example.com/repo1/test-img1 removed' });
  });
});

describe('the drain override ConfigMap (OpenShift 4.16 to 4.19)', () => {
  it('turns a drain the rules call for into a reload, and says why', () => {
    expect(crioRollout(conf('mc1'), conf('mc3'), false, ['Special'], true)).toEqual({
      action: 'reload',
      because: 'registry example.com/repo1/test-img1 removed, but the ConfigMap openshift-machine-config-operator/image-registry-override-drain skips the drain',
    });
    // A disruption policy that drains is not the registry rules': the ConfigMap does not touch it.
    expect(crioRollout(conf('mc1'), conf('mc3'), false, ['Drain'], true).action).toBe('drain');
  });
});
