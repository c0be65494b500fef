// The DaemonSet way, decided without a cluster: what it creates, and how it tells a refused pod
// from a node that is gone.
import { describe, expect, it } from 'vitest';
import { daemonSetRunner, FAILED_CREATE_ARGS, NODE_NAMES_ARGS, refusedPods, runObjectsManifest, TOOLS_IMAGE_ARGS } from '../../src/oc/daemonset.js';
import { RHEL8_NODE_DEBUG_IMAGE, SERVER_VERSION_ARGS } from '../../src/oc/kubectl-pod.js';
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

describe('a DaemonSet run, its calls and its log routing', () => {
  const selector = /^--selector=oc-icsp\/run-id=[0-9a-f]{8}$/;
  const pod = (name: string, node: string, running = true) => ({ metadata: { name }, spec: { nodeName: node }, status: { containerStatuses: [{ state: running ? { running: {} } : { waiting: { reason: 'ContainerCreating' } } }] } });

  it('namespace, objects, one pod read, one follower whose prefixed lines reach each node, then the removals', async () => {
    const oc = fakeRunner([
      { args: ['create', '-f', '-', '-o', 'name'], result: { stdout: 'namespace/oc-icsp-abcde\n' } },
      { args: ['create', '-f', '-', '-o', 'name'], result: { stdout: 'rolebinding.rbac.authorization.k8s.io/oc-icsp-privileged-scc\ndaemonset.apps/oc-icsp-probe\n' } },
      { args: ['get', 'pods', '-n', 'oc-icsp-abcde', selector, '-o', 'json'], result: { stdout: JSON.stringify({ items: [pod('oc-icsp-probe-aaaaa', 'w0'), pod('oc-icsp-probe-bbbbb', 'w1')] }) } },
      {
        args: ['logs', '-f', '-n', 'oc-icsp-abcde', selector, '--tail=-1', '--prefix', '--all-containers', '--ignore-errors', '--max-log-requests=2'],
        result: { stdout: ['[pod/oc-icsp-probe-aaaaa/probe] one', '[pod/oc-icsp-probe-bbbbb/probe] two', '[pod/oc-icsp-probe-bbbbb/probe] END', 'error: a line of kubectl\'s own', '[pod/oc-icsp-probe-aaaaa/probe] END'].join('\n') },
        hang: true,
      },
      { args: ['delete', 'daemonset', 'oc-icsp-probe', '-n', 'oc-icsp-abcde', '--ignore-not-found', '--wait=false'] },
      { args: ['delete', 'namespace', 'oc-icsp-abcde', '--ignore-not-found', '--wait=false'] },
    ]);
    const seen: Record<string, string[]> = { w0: [], w1: [] };
    const talk: string[] = [];
    const ends: [string, string][] = [];
    const runner = daemonSetRunner(oc, { image: 'tools:1', pollMs: 5 });
    const outcome = await runner.run({
      nodes: ['w0', 'w1'],
      command: ['true'],
      parallel: 25,
      timeoutMs: 60_000,
      signal: new AbortController().signal,
      start: (node) => ({ output: (l) => seen[node]!.push(l), clientTalk: (l) => talk.push(`${node}: ${l}`), finished: () => seen[node]!.at(-1) === 'END' }),
      end: (node, e) => void ends.push([node, e.status]),
    });
    expect(seen).toEqual({ w0: ['one', 'END'], w1: ['two', 'END'] });
    // kubectl's own words reach every node as talk; they are no node's output.
    // (The fake runner says oc debug's "Removing debug pod ..." when any stream is stopped.)
    expect(talk.filter((l) => !l.endsWith('Removing debug pod ...'))).toEqual(["w0: error: a line of kubectl's own", "w1: error: a line of kubectl's own"]);
    expect(ends.sort()).toEqual([['w0', 'exited'], ['w1', 'exited']]);
    expect(outcome).toEqual({ namespace: 'oc-icsp-abcde', cleanedUp: true, notices: [] });
    expect(oc.stopped.map((a) => a[0])).toEqual(['logs']);
  });

  it('no --image and no tools image stream: the support-tools image oc debug would use, and the run\'s outcome says so', async () => {
    let objects = '';
    const oc = fakeRunner([
      { args: TOOLS_IMAGE_ARGS, result: { exitCode: 1, stderr: 'Error from server (NotFound): imagestreamtags.image.openshift.io "tools:latest" not found' } },
      { args: SERVER_VERSION_ARGS, result: { stdout: JSON.stringify({ serverVersion: { major: '1', minor: '28' } }) } },
      { args: ['create', '-f', '-', '-o', 'name'], result: { stdout: 'namespace/oc-icsp-abcde\n' } },
      { args: ['create', '-f', '-', '-o', 'name'], input: (text) => (objects = text), result: { exitCode: 1, stderr: 'Error from server (Forbidden): stop here' } },
      { args: ['delete', 'daemonset', 'oc-icsp-probe', '-n', 'oc-icsp-abcde', '--ignore-not-found', '--wait=false'] },
      { args: ['delete', 'namespace', 'oc-icsp-abcde', '--ignore-not-found', '--wait=false'] },
    ]);
    const runner = daemonSetRunner(oc, { image: undefined, pollMs: 5 });
    const request = { nodes: ['w0'], command: ['true'], parallel: 25, timeoutMs: 60_000, signal: new AbortController().signal, start: () => ({ output() {}, clientTalk() {}, finished: () => false }), end() {} };
    await expect(runner.run(request)).rejects.toThrow(/Forbidden/);
    // The namespace call may come first (they run together): the objects are the second create.
    const ds = objects.trim().split('\n').map((l) => JSON.parse(l)).find((o) => o.kind === 'DaemonSet');
    expect(ds.spec.template.spec.containers[0].image).toBe(RHEL8_NODE_DEBUG_IMAGE);
  });
});
