// The DaemonSet way, decided without a cluster: what it creates, and how it tells a refused pod
// from a node that is gone.
import { describe, expect, it } from 'vitest';
import { FAILED_CREATE_ARGS, NODE_NAMES_ARGS, refusedPods, runObjectsManifest } from '../../src/oc/daemonset.js';
import { fakeRunner } from '../fake-runner.js';

describe('what a DaemonSet run creates', () => {
  const [binding, ds] = runObjectsManifest('r1', 'oc-icsp-x', ['w0', 'w1'], 'tools:1', ['true']).trim().split('\n').map((l) => JSON.parse(l));

  it('a RoleBinding in the run\'s namespace lets its default account use the privileged SCC, and goes with the namespace', () => {
    expect(binding).toMatchObject({
      kind: 'RoleBinding',
      metadata: { namespace: 'oc-icsp-x' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:openshift:scc:privileged' },
      subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'oc-icsp-x' }],
    });
  });

  it('the DaemonSet comes after it; its pods ask for the privileged SCC, preempt nothing, and go only to the nodes named', () => {
    expect(ds.kind).toBe('DaemonSet');
    expect(ds.spec.template.metadata.annotations).toEqual({ 'openshift.io/required-scc': 'privileged' });
    expect(ds.spec.template.spec.priorityClassName).toBeUndefined();
    expect(ds.spec.template.spec.serviceAccountName).toBeUndefined();
    expect(ds.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['w0', 'w1'] }] },
    ]);
  });
});

describe('nodes that get no pod', () => {
  // The DaemonSet controller's words (kubernetes pkg/controller/daemon/daemon_controller.go), as the sandbox's API records them.
  const REFUSED = 'Error creating: pods "oc-icsp-probe-" is forbidden: exceeded quota: pods-quota, requested: pods=1, used: pods=10, limited: pods=10';
  const events = (messages: string[]) => JSON.stringify({ items: messages.map((message, i) => ({ message, lastTimestamp: `2026-11-30T06:00:0${i}Z` })) });

  it('a FailedCreate event: every node without a pod gets its message; a node no longer listed is gone', async () => {
    const oc = fakeRunner([
      { args: FAILED_CREATE_ARGS('ns'), result: { stdout: events(['Error creating: older', REFUSED]) } },
      { args: NODE_NAMES_ARGS, result: { stdout: 'node/w0\nnode/w1\n' } },
    ]);
    expect([...(await refusedPods(oc, 'ns', ['w1', 'w2'], false))]).toEqual([
      ['w1', `the DaemonSet controller could not create the pod: ${REFUSED}`],
      ['w2', 'the node is gone: nodes "w2" not found'],
    ]);
  });

  it('no event yet and too early to ask about nodes: nothing, and one call', async () => {
    const oc = fakeRunner([{ args: FAILED_CREATE_ARGS('ns'), result: { stdout: '{"items":[]}' } }]);
    expect(await refusedPods(oc, 'ns', ['w1'], false)).toEqual(new Map());
  });

  it('no event, later: only the nodes that are gone', async () => {
    const oc = fakeRunner([
      { args: FAILED_CREATE_ARGS('ns'), result: { stdout: '{"items":[]}' } },
      { args: NODE_NAMES_ARGS, result: { stdout: 'node/w1\n' } },
    ]);
    expect([...(await refusedPods(oc, 'ns', ['w1', 'w2'], true))]).toEqual([['w2', 'the node is gone: nodes "w2" not found']]);
  });
});
