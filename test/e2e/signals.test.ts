// Hang-ups and second signals: whatever ends a run, no pod, namespace or client process of it
// is left. The sandbox's oc plays oc's own interrupt handling; a slow kubelet takes seconds to
// remove a deleted pod.
import { describe, expect, it } from 'vitest';
import { canRunSandbox, liveClients, sandbox, type Sandbox, startVerify, suiteDir, useSandbox, waitFor } from './helpers.js';

let s: Sandbox;
const work = suiteDir('oc-icsp-signals');

useSandbox(work, [
  { name: 'hangs-a', behaviour: 'hang' },
  { name: 'hangs-b', behaviour: 'hang' },
  { name: 'slow-stop', behaviour: 'slow-stop' },
], (created) => {
  s = created;
});

const podsCreated = (since: number) => sandbox.ledger(s.dir).slice(since).filter((e) => e.event === 'pod-created').length;

describe.skipIf(!canRunSandbox)('signals', () => {
  it('SIGHUP (a closed terminal) stops the pods, removes the namespace, leaves no client running', async () => {
    const before = sandbox.ledger(s.dir).length;
    const { child, done } = startVerify(s, [s.image, '--nodes', 'hangs-a,hangs-b', '--timeout', '60s']);
    await waitFor(() => podsCreated(before) === 2);
    child.kill('SIGHUP');
    const result = await done;
    expect(result.code).toBe(130);
    expect(await sandbox.settled(s.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
    expect(liveClients(s)).toEqual([]);
  });

  it('the DaemonSet strategy: Ctrl-C removes the DaemonSet, its pods and the namespace', async () => {
    const before = sandbox.ledger(s.dir).length;
    const { child, done } = startVerify(s, [s.image, '--strategy', 'daemonset', '--nodes', 'hangs-a,hangs-b', '--timeout', '60s']);
    await waitFor(() => podsCreated(before) === 2);
    child.kill('SIGINT');
    expect((await done).code).toBe(130);
    expect(await sandbox.settled(s.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
    expect(liveClients(s)).toEqual([]);
  });

  it('SIGTERM behaves like Ctrl-C', async () => {
    const before = sandbox.ledger(s.dir).length;
    const { child, done } = startVerify(s, [s.image, '--nodes', 'hangs-a', '--timeout', '60s']);
    await waitFor(() => podsCreated(before) === 1);
    child.kill('SIGTERM');
    expect((await done).code).toBe(130);
    expect(await sandbox.settled(s.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
  });

  it('a second Ctrl-C says what is still being removed and exits at once; the removal still happens', async () => {
    const before = sandbox.ledger(s.dir).length;
    const { child, done, stderrSoFar } = startVerify(s, [s.image, '--nodes', 'slow-stop', '--timeout', '60s']);
    await waitFor(() => podsCreated(before) === 1);
    child.kill('SIGINT');
    // The second only once the first was taken: two signals before the handler runs are one.
    await waitFor(() => stderrSoFar().includes('interrupted:'));
    const second = Date.now();
    child.kill('SIGINT');
    const result = await done;
    expect(Date.now() - second).toBeLessThan(1000);
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/still being removed: namespace\/oc-icsp-\w+/);
    // The namespace delete was handed to a client call that outlives the plugin.
    await waitFor(() => sandbox.leftovers(s.dir).namespaces.length === 0 && sandbox.leftovers(s.dir).pods.length === 0, 10_000);
    await waitFor(() => liveClients(s).length === 0, 10_000);
  });
});
