import { describe, expect, it } from 'vitest';
import { openClient } from '../../src/oc/client.js';
import { ocDebugStrategy } from '../../src/oc/oc-debug.js';
import { autoRunner, type NodeRunner, POD_STARTED, podEndStatus, type PodEvent, podPerNodeRunner, podStep } from '../../src/oc/node-runner.js';
import { FakeClock, settleUntil } from '../fake-clock.js';
import { fakeRunner } from '../fake-runner.js';

describe('the node runner chosen with the client', () => {
  it('oc runs oc debug; kubectl makes the pods itself', () => {
    expect(openClient('oc', fakeRunner([])).nodeRunner({ image: undefined }).strategy).toBe('oc debug');
    expect(openClient('kubectl', fakeRunner([], '/usr/bin/kubectl')).nodeRunner({ image: undefined }).strategy).toBe('kubectl pods');
  });

  it('plans: namespace, one call per node, namespace removal; --image reaches every pod', () => {
    const runner = openClient('oc', fakeRunner([])).nodeRunner({ image: 'mirror.example/tools:1' });
    const plan = runner.plan(['w0', 'w1'], ['true']);
    expect(plan.map((c) => [c.node, ...c.argv.slice(1)])).toEqual([
      [null, 'create', '-f', '-', '-o', 'name'],
      ['w0', 'debug', 'node/w0', '--to-namespace=oc-icsp-<generated>', '--image=mirror.example/tools:1', '--', 'true'],
      ['w1', 'debug', 'node/w1', '--to-namespace=oc-icsp-<generated>', '--image=mirror.example/tools:1', '--', 'true'],
      [null, 'delete', 'namespace', 'oc-icsp-<generated>', '--ignore-not-found', '--wait=false'],
    ]);
    expect(JSON.parse(plan[0]!.stdin!).metadata.labels['app.kubernetes.io/managed-by']).toBe('oc-icsp');
  });

  it('abandon hands the pending namespace to a detached delete', async () => {
    const oc = fakeRunner([
      { args: ['create', '-f', '-', '-o', 'name'], result: { stdout: 'namespace/oc-icsp-abcde\n' } },
      { args: ['debug', 'node/w0', '--to-namespace=oc-icsp-abcde', '--', 'true'], hang: true },
      { args: ['delete', 'namespace', 'oc-icsp-abcde', '--ignore-not-found', '--wait=false'] },
    ]);
    const runner = openClient('oc', oc).nodeRunner({ image: undefined });
    const controller = new AbortController();
    const run = runner.run({ nodes: ['w0'], command: ['true'], parallel: 1, timeoutMs: 60_000, signal: controller.signal, start: () => ({ output() {}, clientTalk() {} }), end() {} });
    await settleUntil(() => oc.running() > 0);
    expect(runner.pending()).toEqual(['namespace/oc-icsp-abcde']);
    runner.abandon();
    expect(oc.detached).toEqual([['delete', 'namespace', 'oc-icsp-abcde', '--ignore-not-found', '--wait=false']]);
    controller.abort();
    expect(await run).toEqual({ namespace: 'oc-icsp-abcde', cleanedUp: true, notices: [] });
  });

  it('no nodes, or already interrupted: nothing is created', async () => {
    const runner = openClient('oc', fakeRunner([])).nodeRunner({ image: undefined });
    const request = { command: ['true'], parallel: 1, timeoutMs: 1, start: () => ({ output() {}, clientTalk() {} }), end() {} };
    expect(await runner.run({ ...request, nodes: [], signal: new AbortController().signal })).toEqual({ namespace: null, cleanedUp: true, notices: [] });
    expect(await runner.run({ ...request, nodes: ['w0'], signal: AbortSignal.abort() })).toEqual({ namespace: null, cleanedUp: true, notices: [] });
  });

  it('Ctrl-C stops every running node pod, with one abort listener however many run at once', async () => {
    const nodes = Array.from({ length: 12 }, (_, i) => `w${i}`);
    const oc = fakeRunner([
      { args: ['create', '-f', '-', '-o', 'name'], result: { stdout: 'namespace/oc-icsp-abcde\n' } },
      ...nodes.map((n) => ({ args: ['debug', `node/${n}`, '--to-namespace=oc-icsp-abcde', '--', 'true'], hang: true })),
      { args: ['delete', 'namespace', 'oc-icsp-abcde', '--ignore-not-found', '--wait=false'] },
    ]);
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    const ends: string[] = [];
    const controller = new AbortController();
    const runner = openClient('oc', oc).nodeRunner({ image: undefined });
    const run = runner.run({
      nodes, command: ['true'], parallel: nodes.length, timeoutMs: 60_000, signal: controller.signal,
      start: () => ({ output() {}, clientTalk() {} }),
      end: (node, e) => void ends.push(`${node} ${e.status}`),
    });
    await settleUntil(() => oc.running() === nodes.length);
    expect(oc.running()).toBe(nodes.length);
    controller.abort();
    expect(await run).toEqual({ namespace: 'oc-icsp-abcde', cleanedUp: true, notices: [] });
    await new Promise((r) => setImmediate(r));
    process.off('warning', onWarning);
    expect(ends.sort()).toEqual(nodes.map((n) => `${n} interrupted`).sort());
    expect(warnings.map((w) => w.name)).toEqual([]);
  });
});

describe('a node pod on the clock', () => {
  it('its timeout stops it on the run\'s clock: timed out after exactly --timeout, the others as they ended', async () => {
    const clock = new FakeClock();
    const oc = fakeRunner([
      { args: ['create', '-f', '-', '-o', 'name'], result: { stdout: 'namespace/oc-icsp-abcde\n' } },
      { args: ['debug', 'node/slow', '--to-namespace=oc-icsp-abcde', '--', 'true'], hang: true },
      { args: ['debug', 'node/quick', '--to-namespace=oc-icsp-abcde', '--', 'true'], result: { stdout: 'done' } },
      { args: ['delete', 'namespace', 'oc-icsp-abcde', '--ignore-not-found', '--wait=false'] },
    ]);
    const ends: Record<string, [string, number]> = {};
    const run = podPerNodeRunner(oc, ocDebugStrategy(oc, undefined), clock).run({
      nodes: ['slow', 'quick'], command: ['true'], parallel: 2, timeoutMs: 90_000, signal: new AbortController().signal,
      start: () => ({ output() {}, clientTalk() {} }),
      end: (node, e) => void (ends[node] = [e.status, e.durationMs]),
    });
    await clock.runUntil(run);
    expect(ends).toEqual({ quick: ['exited', 0], slow: ['timed-out', 90_000] });
  });

  it('a node pod\'s run as events: the first of the timeout and the interrupt stops it, once; its end says which came', () => {
    const run = (events: PodEvent[]) => {
      let state = POD_STARTED;
      const actions: string[] = [];
      for (const event of events) {
        const step = podStep(state, event);
        state = step.run;
        actions.push(...step.actions.map((a) => (a.type === 'end' ? `end ${a.status}` : a.type)));
      }
      return actions;
    };
    const exit = { type: 'exited' as const, exit: { exitCode: 1, signal: null } };
    expect(run([{ type: 'exited', exit: { exitCode: 0, signal: null } }])).toEqual(['end exited']);
    expect(run([{ type: 'timeout' }, { type: 'interrupt' }, exit])).toEqual(['stop', 'end timed-out']);
    expect(run([{ type: 'interrupt' }, { type: 'timeout' }, exit])).toEqual(['stop', 'end interrupted']);
    expect(run([exit, { type: 'timeout' }, exit])).toEqual(['end exited']);
    expect(run([{ type: 'timeout' }, { type: 'exited', exit: { exitCode: null, signal: null, failedToStart: 'spawn oc ENOENT' } }])).toEqual(['stop', 'end could-not-start']);
  });

  it.each([
    [{ exitCode: null, signal: null, failedToStart: 'spawn oc ENOENT' }, true, true, 'could-not-start'],
    [{ exitCode: 1, signal: null }, true, true, 'timed-out'],
    [{ exitCode: 1, signal: null }, false, true, 'interrupted'],
    [{ exitCode: 0, signal: null }, false, false, 'exited'],
  ] as const)('a pod that ended %j, timed out %s, interrupted %s: %s', (exit, timedOut, interrupted, status) => {
    expect(podEndStatus(exit, timedOut, interrupted)).toBe(status);
  });
});

describe('--strategy auto', () => {
  const fake = (name: string) => {
    const seen: string[] = [];
    const runner: NodeRunner = {
      strategy: name,
      plan: (nodes) => (seen.push(`plan ${nodes.length}`), []),
      run: async (request) => (seen.push(`run ${request.nodes.length}`), { namespace: name, cleanedUp: true, notices: [] }),
      pending: () => [`namespace/${name}`],
      abandon: () => void seen.push('abandon'),
    };
    return { runner, seen };
  };
  const request = (n: number) => ({ nodes: Array.from({ length: n }, (_, i) => `w${i}`), command: [], parallel: 1, timeoutMs: 1, signal: new AbortController().signal, start: () => ({ output() {}, clientTalk() {} }), end() {} });

  it('before it chooses: says both, has nothing pending, abandons nothing', () => {
    const small = fake('oc debug');
    const large = fake('daemonset');
    const auto = autoRunner(small.runner, large.runner, 25);
    expect(auto.strategy).toBe('auto (oc debug up to 25 nodes, else daemonset)');
    expect(auto.pending()).toEqual([]);
    auto.abandon();
    expect([...small.seen, ...large.seen]).toEqual([]);
  });

  it.each([
    [25, 'oc debug'],
    [26, 'daemonset'],
  ])('%i nodes: %s, for the plan and the run, and what it leaves is that one\'s', async (n, chosen) => {
    const small = fake('oc debug');
    const large = fake('daemonset');
    const auto = autoRunner(small.runner, large.runner, 25);
    auto.plan(request(n).nodes, []);
    expect(auto.strategy).toBe(chosen);
    expect((await auto.run(request(n))).namespace).toBe(chosen);
    expect(auto.pending()).toEqual([`namespace/${chosen}`]);
    auto.abandon();
    const used = chosen === 'oc debug' ? small : large;
    const other = chosen === 'oc debug' ? large : small;
    expect(used.seen).toEqual([`plan ${n}`, `run ${n}`, 'abandon']);
    expect(other.seen).toEqual([]);
  });
});
