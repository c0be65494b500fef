// The DaemonSet run's decisions, without a client or a clock: which probes' logs are read when
// (their reports did not fit their termination messages), what a node late at the timeout says,
// and whole runs fed to the state machine as events at chosen times.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { PodState } from '../../src/oc/daemonset-pods.js';
import {
  ASK_NODES_AFTER_MS,
  FIRST_REFUSAL_CHECK_MS,
  type FollowAction,
  type FollowEvent,
  type FollowState,
  followStart,
  followStep,
  LATE_READ_MS,
  lateReason,
  logReadsDue,
  nextWake,
  SHARD_PATIENCE_MS,
  type Unreported,
  WATCH_RESTART_MS,
} from '../../src/oc/daemonset-run.js';

describe('the log reads due', () => {
  const shards = [['a0', 'a1', 'a2'], ['b0', 'b1']];
  const unreported = (entries: [string, number][]) => new Map<string, Unreported>(entries.map(([n, since]) => [n, { pod: `p-${n}`, exitCode: 0, since }]));
  const nothingElse = () => false;

  it('none while no probe has ended without its report', () => {
    expect(logReadsDue(shards, new Map(), () => true, new Set(), 0)).toEqual([]);
  });

  it("a shard whose probes have all ended (or cannot start): one read for its probes without reports", () => {
    const settled = (n: string) => n === 'a1' || n === 'a2';
    expect(logReadsDue(shards, unreported([['a0', 100]]), settled, new Set(), 100)).toEqual([{ shard: 0, nodes: ['a0'] }]);
  });

  it('a shard still running waits, up to SHARD_PATIENCE_MS from its first probe without a report', () => {
    const waiting = unreported([['a0', 1000], ['a2', 2500]]);
    expect(logReadsDue(shards, waiting, nothingElse, new Set(), 1000 + SHARD_PATIENCE_MS - 1)).toEqual([]);
    expect(logReadsDue(shards, waiting, nothingElse, new Set(), 1000 + SHARD_PATIENCE_MS)).toEqual([{ shard: 0, nodes: ['a0', 'a2'] }]);
  });

  it('a shard already read: a later probe is read on its own, by its pod', () => {
    expect(logReadsDue(shards, unreported([['a1', 0], ['b1', 0]]), nothingElse, new Set([0]), 0)).toEqual([{ node: 'a1', pod: 'p-a1' }]);
  });

  it('each shard on its own terms', () => {
    const settled = (n: string) => n.startsWith('b');
    expect(logReadsDue(shards, unreported([['a0', 0], ['b0', 0]]), settled, new Set(), 10)).toEqual([{ shard: 1, nodes: ['b0'] }]);
  });
});

describe('a node late at the timeout', () => {
  const pod = { name: 'p', node: 'n', running: false, problem: null, ended: null };
  it.each([
    ['no pod ever seen', undefined, "no pod was created for the node (a quota or an admission webhook refused it, or the node is gone): see the DaemonSet's events"],
    ['a pod that cannot start: why', { ...pod, problem: 'ImagePullBackOff: manifest unknown' }, 'ImagePullBackOff: manifest unknown'],
    ['a pod not started yet', pod, 'the pod is still Pending'],
    ['a probe still running: nothing more to say (its log says how far it got)', { ...pod, running: true }, null],
  ])('%s', (_, state, said) => expect(lateReason(state)).toBe(said));
});

/** A run fed events at times; what it did, in order, and its state after. */
function runOf(nodes: string[], shards: string[][], timeoutMs: number, events: [at: number, event: FollowEvent][]) {
  let { state, actions } = followStart(nodes, shards, timeoutMs, 0);
  const log: [number, FollowAction][] = actions.map((a) => [0, a]);
  for (const [at, event] of events) {
    ({ state, actions } = followStep(state, event, at));
    log.push(...actions.map((a): [number, FollowAction] => [at, a]));
  }
  return { state, log, ends: Object.fromEntries(log.flatMap(([at, a]) => (a.type === 'end' ? [[a.node, { at, ...a.end }]] : []))) };
}
const report = (lines: string[], status = 0) => `oc-icsp/1 ${status} ${gzipSync(lines.map((l) => `${l}\n`).join('')).toString('base64')}`;
const pod = (node: string, over: Partial<PodState> = {}): FollowEvent => ({ type: 'pod', pod: { name: `p-${node}`, node, running: false, problem: null, ended: null, ...over } });
const endedWith = (node: string, message: string, exitCode = 0) => pod(node, { ended: { exitCode, message } });
const tick: FollowEvent = { type: 'tick' };
const types = (log: [number, FollowAction][]) => log.map(([at, a]) => `${at} ${a.type}${'node' in a ? ` ${a.node}` : ''}`);

describe('whole runs, as events', () => {
  it('a slow controller: no pod for seconds is not a refusal; the check asks every second while a node has none, finds none, and the pods come', () => {
    const run = runOf(['w0', 'w1'], [['w0', 'w1']], 60_000, [
      [FIRST_REFUSAL_CHECK_MS, tick],
      [FIRST_REFUSAL_CHECK_MS + 200, { type: 'refusals', refused: [] }],
      [4000, pod('w0', { running: true })],
      [6000, endedWith('w0', report(['END']))],
      [7000, endedWith('w1', report(['END'], 1))],
    ]);
    expect(types(run.log)).toEqual([
      '0 start-watch',
      `${FIRST_REFUSAL_CHECK_MS} ask-refusals`,
      '4000 ask-refusals',
      '6000 report w0',
      '6000 end w0',
      '7000 report w1',
      '7000 end w1',
      '7000 finish',
    ]);
    expect(run.ends).toEqual({ w0: { at: 6000, status: 'exited', exitCode: 0, clientSaid: null }, w1: { at: 7000, status: 'exited', exitCode: 1, clientSaid: null } });
  });

  it('a refused pod ends its node as could-not-start; the nodes are asked about only after a while', () => {
    let { state } = followStart(['w0'], [['w0']], 60_000, 0);
    const asks: boolean[] = [];
    for (const at of [FIRST_REFUSAL_CHECK_MS, ASK_NODES_AFTER_MS + 1]) {
      const step = followStep(state, tick, at);
      asks.push(...step.actions.flatMap((a) => (a.type === 'ask-refusals' ? [a.askNodes] : [])));
      state = followStep(step.state, { type: 'refusals', refused: [] }, at).state;
    }
    expect(asks).toEqual([false, true]);
    const end = followStep(state, { type: 'refusals', refused: [['w0', 'the DaemonSet controller could not create the pod: exceeded quota']] }, 7000);
    expect(end.actions).toEqual([{ type: 'end', node: 'w0', end: { status: 'could-not-start', exitCode: null, clientSaid: 'the DaemonSet controller could not create the pod: exceeded quota' } }, { type: 'finish' }]);
  });

  it('a late shard: a report too long for its message waits for its shard, then SHARD_PATIENCE_MS at most; a later one is read on its own', () => {
    const run = runOf(['a0', 'a1', 'b0'], [['a0', 'a1'], ['b0']], 60_000, [
      [100, pod('a1', { running: true })],
      [1000, endedWith('a0', '')],
      [1000 + SHARD_PATIENCE_MS - 1, tick],
      [1000 + SHARD_PATIENCE_MS, tick],
      [1000 + SHARD_PATIENCE_MS + 50, { type: 'read-ended', nodes: ['a0'] }],
      [5000, endedWith('a1', '', 2)],
      [5100, { type: 'read-ended', nodes: ['a1'] }],
      [5200, endedWith('b0', report(['END']))],
    ]);
    expect(run.log.filter(([, a]) => a.type === 'read-logs').map(([at, a]) => [at, (a as { read: unknown }).read])).toEqual([
      [1000 + SHARD_PATIENCE_MS, { shard: 0, nodes: ['a0'] }],
      [5000, { node: 'a1', pod: 'p-a1' }],
    ]);
    expect(run.ends).toMatchObject({ a0: { status: 'exited', exitCode: 0 }, a1: { status: 'exited', exitCode: 2 }, b0: { status: 'exited' } });
  });

  it('when the run next wakes by itself: the shard patience, the refusal check, the timeout, a watch to start again', () => {
    let { state } = followStart(['a0', 'a1'], [['a0', 'a1']], 60_000, 0);
    expect(nextWake(state)).toBe(FIRST_REFUSAL_CHECK_MS);
    state = followStep(state, pod('a1', { running: true }), 10).state;
    state = followStep(state, endedWith('a0', ''), 20).state;
    expect(nextWake(state)).toBe(20 + SHARD_PATIENCE_MS);
    state = followStep(state, { type: 'watch-ended' }, 30).state;
    expect(nextWake(state)).toBe(WATCH_RESTART_MS);
    const restarted = followStep(state, tick, WATCH_RESTART_MS);
    expect(restarted.actions.map((a) => a.type)).toEqual(['start-watch']);
    expect(nextWake(restarted.state)).toBe(20 + SHARD_PATIENCE_MS);
  });

  it('the timeout: the late probes\' logs are read for LATE_READ_MS at most; an ended probe ends as exited, the others timed out with what the watch saw', () => {
    const base = runOf(['w0', 'w1', 'w2'], [['w0', 'w1', 'w2']], 2000, [
      [100, pod('w0', { running: true })],
      [200, endedWith('w1', '', 3)],
      [300, pod('w2', { problem: 'ErrImagePull: manifest unknown' })],
    ]);
    const atTimeout = followStep(base.state, tick, 2000);
    // w0 still runs, so w1's shard waits for it (SHARD_PATIENCE_MS is longer than what is left): both are read at the timeout.
    expect(base.log.filter(([, a]) => a.type === 'read-logs')).toEqual([]);
    expect(atTimeout.actions).toEqual([{ type: 'read-late', shards: [0] }]);
    expect(nextWake(atTimeout.state)).toBe(2000 + LATE_READ_MS);
    const over = followStep(atTimeout.state, tick, 2000 + LATE_READ_MS);
    expect(over.actions).toEqual([
      { type: 'end', node: 'w0', end: { status: 'timed-out', exitCode: null, clientSaid: null } },
      { type: 'end', node: 'w1', end: { status: 'exited', exitCode: 3, clientSaid: null } },
      { type: 'end', node: 'w2', end: { status: 'timed-out', exitCode: null, clientSaid: 'ErrImagePull: manifest unknown' } },
      { type: 'finish' },
    ]);
    // Reads that end before the deadline end it at once.
    expect(followStep(atTimeout.state, { type: 'late-reads-ended' }, 2500).actions.map((a) => a.type)).toEqual(['end', 'end', 'end', 'finish']);
  });

  it('an interrupt during a log read: everything is stopped; the node being read ends as interrupted (its output is partial), the rest too', () => {
    const run = runOf(['w0', 'w1'], [['w0', 'w1']], 60_000, [
      [100, endedWith('w0', '')],
      [150, endedWith('w1', report(['END']))],
      [400, { type: 'interrupt' }],
      [450, { type: 'read-ended', nodes: ['w0'] }],
      [500, { type: 'stopped' }],
    ]);
    expect(types(run.log)).toEqual(['0 start-watch', '150 report w1', '150 end w1', '150 read-logs', '400 stop-all', '450 end w0', '450 finish']);
    expect(run.ends.w0).toEqual({ at: 450, status: 'interrupted', exitCode: null, clientSaid: null });
    expect(run.state.ended.size).toBe(2);
  });

  it('a report delivered twice, and a pod of a node not in the run: each node ends once, strangers are ignored', () => {
    const twice = endedWith('w0', report(['END']));
    const run = runOf(['w0', 'w1'], [['w0', 'w1']], 60_000, [[10, twice], [20, twice], [30, pod('elsewhere', { running: true })]]);
    expect(types(run.log)).toEqual(['0 start-watch', '10 report w0', '10 end w0']);
    expect([...run.state.pods.keys()]).toEqual(['w0']);
  });

  it('no node: finished at once', () => {
    expect(followStart([], [], 1000, 0).actions).toEqual([{ type: 'finish' }]);
  });

  it('a step leaves the state it was given as it was', () => {
    const { state } = followStart(['w0'], [['w0']], 1000, 0);
    const before = JSON.stringify(state, (_, v: unknown) => (v instanceof Map ? [...v] : v instanceof Set ? [...v] : v));
    followStep(state, endedWith('w0', report(['END'])), 5);
    expect(JSON.stringify(state as FollowState, (_, v: unknown) => (v instanceof Map ? [...v] : v instanceof Set ? [...v] : v))).toBe(before);
  });
});
