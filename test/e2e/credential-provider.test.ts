// CRIOCredentialProviderConfig on 5.0 (served at v1): pods get the mirror's credentials from
// their project, and a pull on the node for no pod does not; verify says so for a 401 on the
// mirror, and list and status show the object.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, canRunSandbox, envFor, type Sandbox, suiteDir, useSandbox } from './helpers.js';

let s: Sandbox;
const provider = { apiVersion: 'config.openshift.io/v1', kind: 'CRIOCredentialProviderConfig', metadata: { name: 'cluster' }, spec: { matchImages: ['registry.sandbox.invalid/team'] } };
// The mirror asks for credentials the node's pull secret does not hold.
useSandbox(suiteDir('oc-icsp-50-provider'), [{ name: 'worker-0', config: 'needs-credentials', credentials: false }], (created) => (s = created), { settings: { openshift: '5.0' }, objects: [provider] });

const run = (args: string[]) => spawnSync(BIN, args, { encoding: 'utf8', env: envFor(s) });

describe.skipIf(!canRunSandbox)('CRIOCredentialProviderConfig (5.0)', () => {
  it('a 401 on the mirror of an image it covers: the hint says a node-level pull cannot use a project\'s credentials', () => {
    const r = run(['verify', s.image, '--timeout', '60s', '-o', 'json']);
    const [node] = JSON.parse(r.stdout).nodes;
    expect(node).toMatchObject({ verdict: 'mirror-failed', code: 'mirror-unauthorized', reason: { projectCredentials: true } });
    expect(node.hint).toContain('cannot use them');
  });

  it('list and status show it', () => {
    expect(JSON.parse(run(['list', '-o', 'json']).stdout).credentialProvider).toEqual({ apiVersion: 'config.openshift.io/v1', matchImages: ['registry.sandbox.invalid/team'] });
    expect(run(['status']).stdout).toContain('CRI-O credential provider (CRIOCredentialProviderConfig/cluster, config.openshift.io/v1): pods get the mirror credentials of registry.sandbox.invalid/team from their own project');
  });
});
