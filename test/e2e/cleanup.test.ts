// What a killed run leaves (SIGKILL gives no chance to clean up), found and removed by
// `oc icsp cleanup`, and the warning verify gives when such leftovers are over an hour old.
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, canRunSandbox, envFor, runVerify, sandbox, type Sandbox, suiteDir, useSandbox, waitFor } from './helpers.js';

let s: Sandbox;
const work = suiteDir('oc-icsp-cleanup');
// A namespace an earlier run made two hours ago.
const OLD = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'oc-icsp-old01', labels: { 'app.kubernetes.io/managed-by': 'oc-icsp', 'oc-icsp/run-id': 'deadbeef' }, creationTimestamp: new Date(Date.now() - 2 * 3_600_000).toISOString() },
};
useSandbox(work, [{ name: 'hangs-a', behaviour: 'hang' }, { name: 'hangs-b', behaviour: 'hang' }, { name: 'in-sync', config: 'cluster' }], (created) => {
  s = created;
}, { objects: [OLD] });

describe.skipIf(!canRunSandbox)('cleanup', () => {
  it('verify warns about leftovers over an hour old and names the command; cleanup keeps younger ones', async () => {
    const r = runVerify(s, [s.image, '--nodes', 'in-sync', '-o', 'json']);
    expect(JSON.parse(r.stdout).warnings).toContain('1 namespace(s) of earlier oc icsp runs are over an hour old (oc-icsp-old01): remove them with `oc icsp cleanup`');
    const c = spawnSync(BIN, ['cleanup', '-o', 'json'], { encoding: 'utf8', env: envFor(s) });
    expect(JSON.parse(c.stdout).leftovers.map((l: { namespace: string }) => l.namespace)).toEqual(['oc-icsp-old01']);
    expect(await sandbox.settled(s.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
  });
  it('after a SIGKILL mid-run, it removes the namespace, the DaemonSet and the pods, and says so', async () => {
    const child = spawn(BIN, ['verify', s.image, '--strategy', 'daemonset', '--nodes', 'hangs-a,hangs-b', '--timeout', '60s'], { env: envFor(s), stdio: 'ignore' });
    await waitFor(() => sandbox.leftovers(s.dir).pods.length === 2);
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    const left = sandbox.leftovers(s.dir);
    expect(left.namespaces).toHaveLength(1);
    expect(left.daemonsets).toHaveLength(1);

    const dry = spawnSync(BIN, ['cleanup', '--older-than', '0', '--dry-run', '-o', 'json'], { encoding: 'utf8', env: envFor(s) });
    expect(dry.status).toBe(0);
    expect(JSON.parse(dry.stdout).leftovers[0]).toMatchObject({ namespace: left.namespaces[0], removed: false });
    expect(sandbox.leftovers(s.dir).namespaces).toHaveLength(1);

    const run = spawnSync(BIN, ['cleanup', '--older-than', '0'], { encoding: 'utf8', env: envFor(s) });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^NAMESPACE +RUN +AGE +HELD +REMOVED\\n${left.namespaces[0]} +[0-9a-f]{8} +\\S+ +daemonset.apps/oc-icsp-probe-0, pod/oc-icsp-probe-0-\\w+, pod/oc-icsp-probe-0-\\w+ +yes\\n$`));
    expect(run.stderr).toBe('1 leftover namespace(s); 0 younger than --older-than kept\n');
    expect(await sandbox.settled(s.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
  });

});
