// verify --running on the sandbox: every distinct image its running pods use; the one no mirror
// covers (the DNS pod's) is reported as not-covered, checked on no node, and is a finding.
import { describe, expect, it } from 'vitest';
import { canRunSandbox, runVerify, sandbox, type Sandbox, suiteDir, useSandbox } from './helpers.js';

let s: Sandbox;
useSandbox(suiteDir('oc-icsp-running'), [{ name: 'worker-0', config: 'cluster' }, { name: 'worker-1', config: 'cluster' }], (created) => (s = created));

describe.skipIf(!canRunSandbox)('verify --running', () => {
  it('checks the mirrored image on every node and names the one no mirror covers', async () => {
    const r = runVerify(s, ['--running', '--check', 'manifest', '--timeout', '60s', '-o', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.images).toEqual([s.image]);
    expect(doc.nodes.map((n: { verdict: string }) => n.verdict)).toEqual(['mirrored', 'mirrored']);
    expect(doc.notCovered).toEqual([{ image: `quay.io/openshift/dns@sha256:${'d'.repeat(64)}`, seenIn: 'openshift-dns/dns-default-x', containers: 1 }]);
    const table = runVerify(s, ['--running', '--check', 'manifest', '--timeout', '60s']);
    expect(table.stdout).toContain('1 running image(s) no mirror covers (not-covered): they are pulled from their source, and fail once the cluster is cut off from it:');
    expect(await sandbox.settled(s.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
  });
});
