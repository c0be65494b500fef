// Hang-ups and second signals: whatever ends a run, no pod, namespace or client process of it
// is left. The sandbox's oc plays oc's own interrupt handling; a slow kubelet takes seconds to
// remove a deleted pod.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canRunSandbox, envFor, liveClients, sandbox, type Sandbox, startVerify, suiteDir, useSandbox, waitFor } from './helpers.js';

let s: Sandbox;
const work = suiteDir('oc-icsp-signals');

useSandbox(work, [
  { name: 'hangs-a', behaviour: 'hang' },
  { name: 'hangs-b', behaviour: 'hang' },
  { name: 'slow-stop', behaviour: 'slow-stop' },
  { name: 'plain' },
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

  it('an oc that is a wrapper script (it runs the client without exec): its client is stopped with it, the run ends, and no client is left', async () => {
    // A site wrapper that sets a variable, calls the real binary and notes how it ended. Signalled
    // alone it would wait on its client, which goes on running and holds the watch's pipe open.
    const bin = join(work, 'wrapper-bin');
    const ended = join(work, 'wrapper-ended.log');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'oc'), `#!/bin/bash\ntrap : INT\nOC_SITE_WRAPPER=1 "${join(s.dir, 'bin', 'oc')}" "$@"\nstatus=$?\necho "$status $*" >> "${ended}"\nexit $status\n`);
    chmodSync(join(bin, 'oc'), 0o755);
    const env = envFor(s);
    const { done } = startVerify(s, [s.image, '--strategy', 'daemonset', '--nodes', 'plain', '--timeout', '60s', '-o', 'json'], { ...env, PATH: `${bin}:${env.PATH}` });
    const result = await done;
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { nodes: { verdict: string }[] }).nodes.map((n) => n.verdict)).toEqual(['mirrored']);
    // The pod watch, stopped at the end of the run, came back to its wrapper: the SIGINT reached the client too.
    expect(readFileSync(ended, 'utf8')).toMatch(/^\d+ get pods .*--watch/m);
    expect(await sandbox.settled(s.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
    expect(liveClients(s)).toEqual([]);
  });
});
