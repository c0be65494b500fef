// A cluster playing OpenShift 4.12 (Kubernetes 1.25): no SelfSubjectReview API, no IDMS or ITMS,
// and oc debug of that release falls back to rhel8/support-tools. The real kubectl and the thin oc
// against it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, canRunSandbox, envFor, sandbox, type Sandbox, suiteDir, useSandbox } from './helpers.js';

let s: Sandbox;
const work = suiteDir('oc-icsp-412');
useSandbox(work, [{ name: 'worker-0', config: 'mirrored' }], (created) => {
  s = created;
}, { settings: { openshift: '4.12' } });

const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8', env: envFor(s) });

describe.skipIf(!canRunSandbox)('OpenShift 4.12', () => {
  it('kubectl auth whoami fails there, as it does on a real 4.12', () => {
    const r = run('kubectl', ['auth', 'whoami']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/the selfsubjectreviews API is not enabled in the cluster/);
  });

  it('discovery is legacy there (no aggregated discovery before Kubernetes 1.27): a request per group-version', () => {
    const before = sandbox.ledger(s.dir).length;
    const cache = mkdtempSync(join(work, 'kube-cache-'));
    const r = spawnSync('kubectl', ['get', 'daemonsets', '-A', '-o', 'name'], { encoding: 'utf8', env: { ...envFor(s), KUBECACHEDIR: cache } });
    expect(r.status).toBe(0);
    const paths = sandbox.ledger(s.dir).slice(before).filter((e) => e.event === 'request').map((e) => String(e.path));
    expect(paths).toEqual(expect.arrayContaining(['/api', '/apis', '/api/v1', '/apis/apps/v1', '/apis/apps/v1/daemonsets']));
  });

  it('kubectl icsp verify still proves the login, and checks the node', () => {
    const r = run(BIN, ['verify', s.image, '--client', 'kubectl', '--timeout', '30s', '-o', 'json']);
    expect(r.stderr).not.toMatch(/not logged in/);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).nodes.map((n: { verdict: string }) => n.verdict)).toEqual(['mirrored']);
  });

  it('logged out there: the users/~ answer says so, exit 2', async () => {
    sandbox.fault(s, { kind: 'logged-out' });
    try {
      const r = run(BIN, ['verify', s.image, '--client', 'kubectl']);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^error: not logged in to a cluster \(.*Unauthorized.*\)/);
    } finally {
      sandbox.clearFault(s, 'logged-out');
    }
  });

  it('the kubectl pods fall back to rhel8/support-tools, as oc debug of 4.12 does; IDMS and ITMS are not served', async () => {
    // No tools image stream, as on a cluster without the samples operator.
    run('kubectl', ['delete', 'imagestreamtag', 'tools:latest', '-n', 'openshift']);
    const before = sandbox.ledger(s.dir).length;
    run(BIN, ['verify', s.image, '--client', 'kubectl', '--timeout', '5s', '-o', 'json']);
    const created = sandbox.ledger(s.dir).slice(before).filter((e) => e.event === 'pod-created');
    expect(created.map((e) => e.image)).toEqual(['registry.redhat.io/rhel8/support-tools']);
    expect(await sandbox.settled(s.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
    const list = run(BIN, ['list', '-o', 'json']);
    expect(JSON.parse(list.stdout).policies.map((p: { kind: string }) => p.kind)).toEqual(['ImageContentSourcePolicy']);
  });
});
