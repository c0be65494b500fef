// OpenShift 4.19: ClusterImagePolicy and ImagePolicy are served only on a TechPreviewNoUpgrade
// cluster, at config.openshift.io/v1alpha1 (openshift/api features/features.go,
// SigstoreImageVerification; config/v1alpha1). The plugin reads them there, and reads nothing
// (without an error) where they are not served.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, canRunSandbox, envFor, type Sandbox, suiteDir, useSandbox } from './helpers.js';

const policy = {
  apiVersion: 'config.openshift.io/v1alpha1',
  kind: 'ClusterImagePolicy',
  metadata: { name: 'mirror-signed' },
  spec: { scopes: ['registry.sandbox.invalid/team'], policy: { rootOfTrust: { policyType: 'FulcioCAWithRekor', fulcioCAWithRekor: { fulcioCAData: 'Y2E=', rekorKeyData: 'cmVrb3I=', fulcioSubject: { oidcIssuer: 'https://issuer.example', signedEmail: 'release@example.com' } } } } },
};

let preview: Sandbox;
let plain: Sandbox;
useSandbox(suiteDir('oc-icsp-419-tp'), [{ name: 'worker-0', config: 'mirrored' }], (created) => (preview = created), { settings: { openshift: '4.19', featureSet: 'TechPreviewNoUpgrade' }, objects: [policy] });
useSandbox(suiteDir('oc-icsp-419'), [{ name: 'worker-0', config: 'mirrored' }], (created) => (plain = created), { settings: { openshift: '4.19' }, objects: [policy] });

const list = (s: Sandbox) => spawnSync(BIN, ['list', '-o', 'json'], { encoding: 'utf8', env: envFor(s) });

describe.skipIf(!canRunSandbox)('OpenShift 4.19', () => {
  it('TechPreviewNoUpgrade: the policy is read at v1alpha1', () => {
    const r = list(preview);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).signaturePolicies).toEqual([
      { kind: 'ClusterImagePolicy', name: 'mirror-signed', namespace: null, apiVersion: 'config.openshift.io/v1alpha1', scopes: ['registry.sandbox.invalid/team'], root: 'FulcioCAWithRekor', builtIn: false },
    ]);
  });
  it('Default: the type is not served, and nothing is said of it', () => {
    const r = list(plain);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(JSON.parse(r.stdout).signaturePolicies).toEqual([]);
  });
});
