// Admission as OpenShift plays it around a new namespace and an SCC pin (test/sandbox/api/
// admission.ts): pods wait for the namespace's SCC ranges, and the DaemonSet controller's
// refusals in the meantime end no node; openshift.io/required-scc is honoured from 4.14 only.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { canRunSandbox, envFor, runVerify, sandbox, type Sandbox, suiteDir, useSandbox } from './helpers.js';

let late: Sandbox;
let old: Sandbox;
// The cluster-policy-controller gives new namespaces their ranges only after 11 s: pods are refused
// after admission's 10 s wait, and the controller retries until they pass.
useSandbox(suiteDir('oc-icsp-scc-late'), [{ name: 'worker-0', config: 'mirrored' }, { name: 'worker-1', config: 'mirrored' }], (s) => (late = s), { settings: { sccAnnotationDelayMs: 11_000 } });
useSandbox(suiteDir('oc-icsp-scc-412'), [{ name: 'worker-0', config: 'mirrored' }], (s) => (old = s), { settings: { openshift: '4.12' } });

describe.skipIf(!canRunSandbox)('admission', () => {
  it("DaemonSet pods refused while the namespace has no SCC ranges: no node ends as could-not-start, every node gets its verdict", async () => {
    const r = runVerify(late, [late.image, '--strategy', 'daemonset', '--timeout', '60s', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).nodes.map((n: { verdict: string }) => n.verdict)).toEqual(['mirrored', 'mirrored']);
    const refusals = sandbox.ledger(late.dir).filter((e) => e.event === 'request' && String(e.path).includes('/events'));
    expect(refusals.length).toBeGreaterThan(0);
    expect(await sandbox.settled(late.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
  }, 90_000);

  it('4.12 ignores openshift.io/required-scc: a pod that needs no privilege gets the highest-priority usable SCC', () => {
    const pod = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'pinned', namespace: 'team', annotations: { 'openshift.io/required-scc': 'privileged' } },
      spec: { containers: [{ name: 'c', image: 'registry.sandbox.invalid/team/app:v1' }] },
    });
    const create = (s: Sandbox) => spawnSync('kubectl', ['create', '-f', '-', '-o', "jsonpath={.metadata.annotations.openshift\\.io/scc}"], { input: pod, encoding: 'utf8', env: envFor(s) });
    expect(create(old).stdout).toBe('restricted-v2');
    spawnSync('kubectl', ['delete', 'pod', 'pinned', '-n', 'team', '--wait=false'], { env: envFor(old) });
  });
});
