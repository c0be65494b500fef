// The DaemonSet run's decisions, without a client: which probes' logs are read when (their
// reports did not fit their termination messages), and what a node late at the timeout says.
import { describe, expect, it } from 'vitest';
import { lateReason, logReadsDue, SHARD_PATIENCE_MS, type Unreported } from '../../src/oc/daemonset-follow.js';

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
