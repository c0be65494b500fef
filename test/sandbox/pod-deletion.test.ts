// The sandbox's deletion rules, held to the upstream code they are read from (cited in
// test/sandbox/api/pod-deletion.ts): what the API server and the kubelet would do with each pod.
import { describe, expect, it } from 'vitest';
import { deletionGraceSeconds, killWindowSeconds, shortenedGraceSeconds } from './api/pod-deletion.js';
import type { KubeObject } from './api/types.js';

const pod = (spec: Record<string, unknown>, status: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): KubeObject =>
  ({ metadata: { name: 'p', ...metadata }, spec: { containers: [], ...spec }, status }) as KubeObject;
const bound = { nodeName: 'worker-0', terminationGracePeriodSeconds: 30 };

describe('the grace period a DELETE gives a pod (CheckGracefulDelete)', () => {
  it.each([
    ['the request says', pod(bound), 10, 10],
    ['the pod says, when the request does not', pod(bound), undefined, 30],
    ['a forced delete', pod(bound), 0, 0],
    ['a pod no node runs: at once', pod({ terminationGracePeriodSeconds: 30 }), 10, 0],
    ['a pod that has finished: at once', pod(bound, { phase: 'Succeeded' }), 10, 0],
    ['a pod that failed: at once', pod(bound, { phase: 'Failed' }), undefined, 0],
    ['a negative one: 1', pod(bound), -5, 1],
  ] as const)('%s', (_, p, requested, grace) => {
    expect(deletionGraceSeconds(p, requested)).toBe(grace);
  });
});

describe('a DELETE of a pod already terminating (BeforeDelete): only shorter', () => {
  const terminating = (grace?: number) => pod(bound, {}, { deletionTimestamp: '2026-11-30T10:00:00Z', ...(grace === undefined ? {} : { deletionGracePeriodSeconds: grace }) });
  it.each([
    ['a shorter grace period is taken', terminating(30), 5, 5],
    ['a forced delete removes it now', terminating(30), 0, 0],
    ['the same or longer: pending, nothing changes', terminating(10), 10, null],
    ['none asked: pending', terminating(10), undefined, null],
    ['one that had no grace period, or 0, goes now', terminating(), 10, 0],
    // CheckGracefulDelete works the period out first: a pod finished by now has 0.
    ['none asked, but the pod has finished meanwhile: now', pod(bound, { phase: 'Succeeded' }, { deletionTimestamp: '2026-11-30T10:00:00Z', deletionGracePeriodSeconds: 30 }), undefined, 0],
    ['none asked, a pod whose own period is shorter: that one', pod({ nodeName: 'worker-0', terminationGracePeriodSeconds: 5 }, {}, { deletionTimestamp: '2026-11-30T10:00:00Z', deletionGracePeriodSeconds: 30 }), undefined, 5],
  ] as const)('%s', (_, p, requested, grace) => {
    expect(shortenedGraceSeconds(p, requested)).toBe(grace);
  });
});

describe("the kubelet's window between SIGTERM and SIGKILL", () => {
  it.each([
    ["the deletion's grace period", pod(bound, {}, { deletionGracePeriodSeconds: 10 }), 10],
    ['a forced delete: 1, and never under 2 s', pod(bound, {}, { deletionGracePeriodSeconds: 0 }), 2],
    ["kubectl's --grace-period=0 (sent as 1): 2 s", pod(bound, {}, { deletionGracePeriodSeconds: 1 }), 2],
    ["no deletion's: the pod's own", pod(bound), 30],
    ['neither: 2 s', pod({ nodeName: 'worker-0' }), 2],
  ] as const)('%s', (_, p, seconds) => {
    expect(killWindowSeconds(p)).toBe(seconds);
  });
});
