// The DaemonSet way, decided without a cluster: what it creates, how it reads its pods' states,
// how it tells a refused pod from a node that is gone, and a whole run against the table-driven
// client (its calls in order, each prefixed log line routed to its node).
import { describe, expect, it } from 'vitest';
import { daemonSetRunner } from '../../src/oc/daemonset.js';
import { FAILED_CREATE_ARGS, NODE_NAMES_ARGS, PODS_PER_FOLLOWER, runObjectsManifest, shardsOf, TOOLS_IMAGE_ARGS, watchPodsArgs } from '../../src/oc/daemonset-objects.js';
import { podStateLine, refusedPods } from '../../src/oc/daemonset-pods.js';
import { RHEL8_NODE_DEBUG_IMAGE, SERVER_VERSION_ARGS } from '../../src/oc/kubectl-pod.js';
import { type Expected, fakeRunner } from '../fake-runner.js';
import { hostPodShape } from './host-pod-shape.js';

describe('what a DaemonSet run creates, in one create -f -', () => {
  const nodes = Array.from({ length: PODS_PER_FOLLOWER + 2 }, (_, i) => `w${i}`);
  const [namespace, binding, ...sets] = runObjectsManifest('r1', nodes, 'tools:1', ['true']).trim().split('\n').map((l) => JSON.parse(l));

  it('first the namespace, named by the run id, labelled as ours', () => {
    expect(namespace).toMatchObject({ kind: 'Namespace', metadata: { name: 'oc-icsp-r1', labels: { 'app.kubernetes.io/managed-by': 'oc-icsp', 'oc-icsp/run-id': 'r1' } } });
    expect(namespace.metadata.generateName).toBeUndefined();
  });

  it("a RoleBinding in the run's namespace lets its default account use the privileged SCC, and goes with the namespace", () => {
    expect(binding).toMatchObject({
      kind: 'RoleBinding',
      metadata: { namespace: 'oc-icsp-r1' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:openshift:scc:privileged' },
      subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'oc-icsp-r1' }],
    });
  });

  it('one DaemonSet per shard of nodes, each selecting its own pods; the pods ask for the privileged SCC, preempt nothing, and go only to their nodes', () => {
    expect(sets.map((d) => [d.kind, d.metadata.name, d.spec.selector.matchLabels])).toEqual([
      ['DaemonSet', 'oc-icsp-probe-0', { 'oc-icsp/run-id': 'r1', 'oc-icsp/shard': '0' }],
      ['DaemonSet', 'oc-icsp-probe-1', { 'oc-icsp/run-id': 'r1', 'oc-icsp/shard': '1' }],
    ]);
    const [first, second] = sets;
    expect(first.spec.template.metadata.labels).toMatchObject(first.spec.selector.matchLabels);
    expect(first.spec.template.metadata.annotations).toEqual({ 'openshift.io/required-scc': 'privileged' });
    expect(first.spec.template.spec.priorityClassName).toBeUndefined();
    expect(first.spec.template.spec.serviceAccountName).toBeUndefined();
    expect(first.spec.template.spec.containers[0].securityContext).toEqual({ privileged: true, runAsUser: 0 });
    const pinned = (d: typeof first) => d.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values;
    expect(pinned(first)).toEqual(nodes.slice(0, PODS_PER_FOLLOWER));
    expect(pinned(second)).toEqual(['w15', 'w16']);
  });

  it('shards hold at most PODS_PER_FOLLOWER nodes, every node once', () => {
    for (const n of [1, PODS_PER_FOLLOWER, PODS_PER_FOLLOWER + 1, 500]) {
      const list = Array.from({ length: n }, (_, i) => `n${i}`);
      const shards = shardsOf(list);
      expect(shards.flat()).toEqual(list);
      expect(Math.max(...shards.map((s) => s.length))).toBeLessThanOrEqual(PODS_PER_FOLLOWER);
      expect(shards).toHaveLength(Math.ceil(n / PODS_PER_FOLLOWER));
    }
  });
});

describe('a line of the pod watch', () => {
  const line = (...fields: string[]) => fields.join('\x1f');
  it.each([
    ['running, bound', line('p-1', 'w0', 'w0', '{"running":{"startedAt":"2026-11-30T06:00:00Z"}}', '{"status":"True","type":"PodScheduled"}'), { name: 'p-1', node: 'w0', running: true, problem: null }],
    ['not bound yet: the node its affinity pins', line('p-2', '', 'w1', '', ''), { name: 'p-2', node: 'w1', running: false, problem: null }],
    ['still being created', line('p-3', 'w2', 'w2', '{"waiting":{"reason":"ContainerCreating"}}', ''), { name: 'p-3', node: 'w2', running: false, problem: null }],
    [
      'stuck pulling its image: in oc debug\'s words',
      line('p-4', 'w3', 'w3', '{"waiting":{"message":"Back-off pulling image \\"tools:1\\"","reason":"ImagePullBackOff"}}', ''),
      { name: 'p-4', node: 'w3', running: false, problem: 'Container probe is unable to start due to an error: ImagePullBackOff: Back-off pulling image "tools:1"' },
    ],
    [
      'unschedulable',
      line('p-5', '', 'w4', '', '{"message":"0/3 nodes are available","reason":"Unschedulable","status":"False","type":"PodScheduled"}'),
      { name: 'p-5', node: 'w4', running: false, problem: 'Unschedulable: 0/3 nodes are available' },
    ],
  ])('%s', (_, text, state) => expect(podStateLine(text)).toEqual(state));

  it('a line with no pod or no node is none', () => {
    expect(podStateLine('')).toBeNull();
    expect(podStateLine(line('p-6', '', '', '', ''))).toBeNull();
  });
});

describe('nodes that get no pod', () => {
  // The DaemonSet controller's words (kubernetes pkg/controller/daemon/daemon_controller.go), as the sandbox's API records them.
  const REFUSED = 'Error creating: pods "oc-icsp-probe-0-" is forbidden: exceeded quota: pods-quota, requested: pods=1, used: pods=10, limited: pods=10';
  const events = (list: [string, string][]) => JSON.stringify({ items: list.map(([ds, message], i) => ({ message, involvedObject: { kind: 'DaemonSet', name: ds }, lastTimestamp: `2026-11-30T06:00:0${i}Z` })) });
  const shardOf = (node: string) => (node === 'w9' ? 1 : 0);

  it("a FailedCreate event: each node without a pod gets its own DaemonSet's latest message; a node no longer listed is gone", async () => {
    const oc = fakeRunner([
      { args: FAILED_CREATE_ARGS('ns'), result: { stdout: events([['oc-icsp-probe-0', 'Error creating: older'], ['oc-icsp-probe-0', REFUSED]]) } },
      { args: NODE_NAMES_ARGS, result: { stdout: 'node/w0\nnode/w1\nnode/w9\n' } },
    ]);
    expect([...(await refusedPods(oc, 'ns', ['w1', 'w2', 'w9'], shardOf, false))]).toEqual([
      ['w1', `the DaemonSet controller could not create the pod: ${REFUSED}`],
      ['w2', 'the node is gone: nodes "w2" not found'],
    ]);
  });

  it("a new namespace's default account not made yet is retried by the controller: it ends no node", async () => {
    const oc = fakeRunner([
      { args: FAILED_CREATE_ARGS('ns'), result: { stdout: events([['oc-icsp-probe-0', 'Error creating: pods "oc-icsp-probe-0-" is forbidden: error looking up service account ns/default: serviceaccount "default" not found']]) } },
    ]);
    expect(await refusedPods(oc, 'ns', ['w1'], shardOf, false)).toEqual(new Map());
  });

  it('no event yet and too early to ask about nodes: nothing, and one call', async () => {
    const oc = fakeRunner([{ args: FAILED_CREATE_ARGS('ns'), result: { stdout: '{"items":[]}' } }]);
    expect(await refusedPods(oc, 'ns', ['w1'], shardOf, false)).toEqual(new Map());
  });

  it('no event, later: only the nodes that are gone', async () => {
    const oc = fakeRunner([
      { args: FAILED_CREATE_ARGS('ns'), result: { stdout: '{"items":[]}' } },
      { args: NODE_NAMES_ARGS, result: { stdout: 'node/w1\n' } },
    ]);
    expect([...(await refusedPods(oc, 'ns', ['w1', 'w2'], shardOf, true))]).toEqual([['w2', 'the node is gone: nodes "w2" not found']]);
  });
});

describe('a DaemonSet run, its calls and its log routing', () => {
  const NS = /^oc-icsp-[0-9a-f]{8}$/;
  const selector = /^--selector=oc-icsp\/run-id=[0-9a-f]{8}$/;
  const shard0 = /^--selector=oc-icsp\/run-id=[0-9a-f]{8},oc-icsp\/shard=0$/;
  const watchLine = (pod: string, node: string) => [pod, node, node, '{"running":{}}', '{"status":"True","type":"PodScheduled"}'].join('\x1f');
  const CREATE_NS = { args: ['create', '-f', '-', '-o', 'name'], result: { stdout: 'namespace/x\n' } };
  const request = (nodes: string[], over: object = {}) => {
    const seen: Record<string, string[]> = Object.fromEntries(nodes.map((n) => [n, []]));
    const talk: string[] = [];
    const ends: [string, string][] = [];
    return {
      seen, talk, ends,
      request: {
        nodes, command: ['true'], parallel: 25, timeoutMs: 60_000, signal: new AbortController().signal,
        start: (node: string) => ({ output: (l: string) => seen[node]!.push(l), clientTalk: (l: string) => talk.push(`${node}: ${l}`), finished: () => seen[node]!.at(-1) === 'END' }),
        end: (node: string, e: { status: string }) => void ends.push([node, e.status]),
        ...over,
      },
    };
  };

  it('one create, one pod watch, one follower for the shard whose prefixed lines reach each node, then the removals', async () => {
    let created = '';
    const oc = fakeRunner([
      { args: ['create', '-f', '-', '-o', 'name'], input: (t) => (created = t), result: { stdout: 'namespace/oc-icsp-abcdef01\nrolebinding.rbac.authorization.k8s.io/oc-icsp-privileged-scc\ndaemonset.apps/oc-icsp-probe-0\n' } },
      { args: ['get', 'pods', '-n', NS, selector, '--watch', '-o', /^jsonpath=\{\.metadata\.name\}/], result: { stdout: [watchLine('oc-icsp-probe-0-aaaaa', 'w0'), watchLine('oc-icsp-probe-0-bbbbb', 'w1')].join('\n') }, hang: true },
      {
        args: ['logs', '-f', '-n', NS, shard0, '--tail=-1', '--prefix', '--all-containers', '--ignore-errors', '--max-log-requests=2'],
        result: { stdout: ['[pod/oc-icsp-probe-0-aaaaa/probe] one', '[pod/oc-icsp-probe-0-bbbbb/probe] two', '[pod/oc-icsp-probe-0-bbbbb/probe] END', "error: a line of kubectl's own", '[pod/oc-icsp-probe-0-aaaaa/probe] END'].join('\n') },
        hang: true,
      },
      { args: ['delete', 'daemonsets', '-n', NS, selector, '--ignore-not-found', '--wait=false'] },
      { args: ['delete', 'namespace', NS, '--ignore-not-found', '--wait=false'] },
    ]);
    const run = request(['w0', 'w1']);
    const outcome = await daemonSetRunner(oc, { image: 'tools:1', pollMs: 5 }).run(run.request);
    expect(run.seen).toEqual({ w0: ['one', 'END'], w1: ['two', 'END'] });
    // kubectl's own words reach every node as talk; they are no node's output.
    // (The fake runner says oc debug's "Removing debug pod ..." when any stream is stopped.)
    expect(run.talk.filter((l) => !l.endsWith('Removing debug pod ...'))).toEqual(["w0: error: a line of kubectl's own", "w1: error: a line of kubectl's own"]);
    expect(run.ends.sort()).toEqual([['w0', 'exited'], ['w1', 'exited']]);
    const namespace = JSON.parse(created.split('\n')[0]!).metadata.name;
    expect(outcome).toEqual({ namespace, cleanedUp: true, notices: [] });
    expect(oc.stopped.map((a) => a.slice(0, 2))).toEqual([['get', 'pods'], ['logs', '-f']]);
  });

  /** One node, no --image: the image the DaemonSet's pods got, after these lookups, and the run's notices. */
  const withoutImage = async (lookups: Expected[]) => {
    let objects = '';
    const oc = fakeRunner([
      ...lookups,
      { args: ['create', '-f', '-', '-o', 'name'], input: (text) => (objects = text), result: { stdout: 'namespace/x\n' } },
      { args: ['get', 'pods', '-n', NS, selector, '--watch', '-o', /^jsonpath=/], result: { stdout: watchLine('oc-icsp-probe-0-aaaaa', 'w0') }, hang: true },
      { args: ['logs', '-f', '-n', NS, shard0, '--tail=-1', '--prefix', '--all-containers', '--ignore-errors', '--max-log-requests=1'], result: { stdout: '[pod/oc-icsp-probe-0-aaaaa/probe] END' }, hang: true },
      { args: ['delete', 'daemonsets', '-n', NS, selector, '--ignore-not-found', '--wait=false'] },
      { args: ['delete', 'namespace', NS, '--ignore-not-found', '--wait=false'] },
    ]);
    const outcome = await daemonSetRunner(oc, { image: undefined, pollMs: 5 }).run(request(['w0']).request);
    const ds = objects.trim().split('\n').map((l) => JSON.parse(l)).find((o) => o.kind === 'DaemonSet');
    return { image: ds.spec.template.spec.containers[0].image, notices: outcome.notices };
  };

  it('no --image and no tools image stream: the support-tools image oc debug would use, and the run\'s outcome says so', async () => {
    expect(
      await withoutImage([
        { args: TOOLS_IMAGE_ARGS, result: { exitCode: 1, stderr: 'Error from server (NotFound): imagestreamtags.image.openshift.io "tools:latest" not found' } },
        { args: SERVER_VERSION_ARGS, result: { stdout: JSON.stringify({ serverVersion: { major: '1', minor: '28' } }) } },
      ]),
    ).toEqual({
      image: RHEL8_NODE_DEBUG_IMAGE,
      notices: [`no openshift/tools image stream: the DaemonSet uses ${RHEL8_NODE_DEBUG_IMAGE}, as oc debug would; pass --image where it is not mirrored`],
    });
  });

  it('no --image: the openshift/tools image stream\'s image, and nothing to say about it', async () => {
    const tools = `image-registry.openshift-image-registry.svc:5000/openshift/tools@sha256:${'a'.repeat(64)}`;
    expect(await withoutImage([{ args: TOOLS_IMAGE_ARGS, result: { stdout: `${tools}\n` } }])).toEqual({ image: tools, notices: [] });
  });

  it('no node, or stopped before it began: nothing is created and no client runs', async () => {
    const oc = fakeRunner([]);
    expect(await daemonSetRunner(oc, { image: 'tools:1', pollMs: 5 }).run(request([]).request)).toEqual({ namespace: null, cleanedUp: true, notices: [] });
    const stopped = new AbortController();
    stopped.abort();
    expect(await daemonSetRunner(oc, { image: 'tools:1', pollMs: 5 }).run(request(['w0'], { signal: stopped.signal }).request)).toEqual({ namespace: null, cleanedUp: true, notices: [] });
    expect(oc.calls).toEqual([]);
  });

  it("a prefixed line of a pod no node is known by is kubectl's talk to every node, not output", async () => {
    const oc = fakeRunner([
      CREATE_NS,
      { args: ['get', 'pods', '-n', NS, selector, '--watch', '-o', /^jsonpath=/], result: { stdout: [watchLine('oc-icsp-probe-0-aaaaa', 'w0'), watchLine('oc-icsp-probe-0-zzzzz', 'gone')].join('\n') }, hang: true },
      {
        args: ['logs', '-f', '-n', NS, shard0, '--tail=-1', '--prefix', '--all-containers', '--ignore-errors', '--max-log-requests=1'],
        result: { stdout: ['[pod/oc-icsp-probe-0-zzzzz/probe] stray', '[pod/oc-icsp-probe-0-aaaaa/probe]', '[pod/oc-icsp-probe-0-aaaaa/probe] END'].join('\n') },
        hang: true,
      },
      { args: ['delete', 'daemonsets', '-n', NS, selector, '--ignore-not-found', '--wait=false'] },
      { args: ['delete', 'namespace', NS, '--ignore-not-found', '--wait=false'] },
    ]);
    const run = request(['w0']);
    await daemonSetRunner(oc, { image: 'tools:1', pollMs: 5 }).run(run.request);
    // An empty line of the pod's own is its output (a blank line of the node script).
    expect(run.seen).toEqual({ w0: ['', 'END'] });
    expect(run.talk.filter((l) => !l.endsWith('Removing debug pod ...'))).toEqual(['w0: [pod/oc-icsp-probe-0-zzzzz/probe] stray']);
  });

  it('the create refused: the error says what failed, and the named namespace is removed all the same', async () => {
    const oc = fakeRunner([
      { args: ['create', '-f', '-', '-o', 'name'], result: { exitCode: 1, stderr: 'Error from server (Forbidden): namespaces is forbidden: User "developer" cannot create resource "namespaces"' } },
      { args: ['delete', 'daemonsets', '-n', NS, selector, '--ignore-not-found', '--wait=false'] },
      { args: ['delete', 'namespace', NS, '--ignore-not-found', '--wait=false'] },
    ]);
    await expect(daemonSetRunner(oc, { image: 'tools:1' }).run(request(['w0']).request)).rejects.toThrow(
      /^cannot create the namespace, the DaemonSets and their SCC binding: Error from server \(Forbidden\).*: log in as a cluster administrator$/,
    );
  });
});

describe('the pod watch, as the real kubectl prints it (test/fixtures/kubectl-watch)', () => {
  it('every line is a pod: first being created, then running, on its own node', async () => {
    const { readFileSync } = await import('node:fs');
    const lines = readFileSync('test/fixtures/kubectl-watch/daemonset-pods.txt', 'utf8').trim().split('\n');
    const states = lines.map(podStateLine);
    expect(states.every(Boolean)).toBe(true);
    expect(states.slice(0, 6).map((s) => [s!.node, s!.running, s!.problem])).toEqual(['worker-0', 'worker-1', 'worker-2', 'worker-3', 'worker-4', 'infra-0'].map((n) => [n, false, null]));
    const last = new Map(states.map((s) => [s!.node, s!]));
    expect([...last.values()].every((s) => s.running && s.name.startsWith('oc-icsp-probe-0-'))).toBe(true);
  });
});

describe('a DaemonSet run: its plan, late pods, refused pods, pods that never run', () => {
  const NS = /^oc-icsp-[0-9a-f]{8}$/;
  const selector = /^--selector=oc-icsp\/run-id=[0-9a-f]{8}$/;
  const shard = (n: number) => new RegExp(`^--selector=oc-icsp/run-id=[0-9a-f]{8},oc-icsp/shard=${n}$`);
  const watchLine = (pod: string, node: string, state = '{"running":{}}', scheduled = '{"status":"True","type":"PodScheduled"}') => [pod, node, node, state, scheduled].join('\x1f');
  const CREATE = { args: ['create', '-f', '-', '-o', 'name'], result: { stdout: 'namespace/x\n' } };
  const DELETES = [
    { args: ['delete', 'daemonsets', '-n', NS, selector, '--ignore-not-found', '--wait=false'] },
    { args: ['delete', 'namespace', NS, '--ignore-not-found', '--wait=false'] },
  ];
  const WATCH = (stdout: string, later: [number, string][] = []) => ({ args: ['get', 'pods', '-n', NS, selector, '--watch', '-o', /^jsonpath=/], result: { stdout }, later, hang: true });
  const run = (oc: ReturnType<typeof fakeRunner>, nodes: string[], timeoutMs: number) => {
    const seen: Record<string, string[]> = Object.fromEntries(nodes.map((n) => [n, []]));
    const ends: Record<string, { status: string; clientSaid: string | null }> = {};
    const done = daemonSetRunner(oc, { image: 'tools:1', pollMs: 5 }).run({
      nodes, command: ['true'], parallel: 25, timeoutMs, signal: new AbortController().signal,
      start: (node) => ({ output: (l) => seen[node]!.push(l), clientTalk: () => {}, finished: () => seen[node]!.at(-1) === 'END' }),
      end: (node, e) => void (ends[node] = { status: e.status, clientSaid: e.clientSaid }),
    });
    return { done, seen, ends };
  };

  it('the plan: one create, the watch, a follower per shard of nodes, the removals; nothing run', () => {
    const oc = fakeRunner([]);
    const nodes = Array.from({ length: 20 }, (_, i) => `w${i}`);
    const plan = daemonSetRunner(oc, { image: 'tools:1' }).plan(nodes, ['true']);
    expect(plan.map((c) => [c.node, c.argv.slice(1, 3).join(' ')])).toEqual([
      [null, 'create -f'], [null, 'get pods'], [null, 'logs -f'], [null, 'logs -f'], [null, 'delete daemonsets'], [null, 'delete namespace'],
    ]);
    expect(plan[2]!.argv.at(-1)).toBe('--max-log-requests=15');
    expect(plan[3]!.argv.at(-1)).toBe('--max-log-requests=5');
    expect(plan[0]!.stdin!.trim().split('\n').map((l) => JSON.parse(l).kind)).toEqual(['Namespace', 'RoleBinding', 'DaemonSet', 'DaemonSet']);
    expect(oc.calls).toEqual([]);
  });

  it("a pod that runs after its shard's follower started is followed on its own", async () => {
    const oc = fakeRunner([
      CREATE,
      WATCH(watchLine('p-a', 'w0'), [[150, watchLine('p-b', 'w1')]]),
      { args: ['logs', '-f', '-n', NS, shard(0), '--tail=-1', '--prefix', '--all-containers', '--ignore-errors', '--max-log-requests=2'], result: { stdout: '[pod/p-a/probe] END' }, hang: true },
      { args: ['logs', '-f', '-n', NS, 'pod/p-b', '--prefix', '-c', 'probe'], result: { stdout: '[pod/p-b/probe] END' }, hang: true },
      ...DELETES,
    ]);
    // Patience is a third of the timeout: the follower starts with w0's pod alone.
    const { done, seen, ends } = run(oc, ['w0', 'w1'], 300);
    await done;
    expect(seen).toEqual({ w0: ['END'], w1: ['END'] });
    expect(ends).toEqual({ w0: { status: 'exited', clientSaid: null }, w1: { status: 'exited', clientSaid: null } });
  });

  it('a pod that never runs ends its node at the timeout with its waiting reason; one that never came, with where to look', async () => {
    const oc = fakeRunner([
      CREATE,
      WATCH(watchLine('p-a', 'w0', '{"waiting":{"reason":"ErrImagePull","message":"manifest unknown"}}')),
      ...DELETES,
    ]);
    const { done, ends } = run(oc, ['w0', 'w1'], 200);
    await done;
    expect(ends).toEqual({
      w0: { status: 'timed-out', clientSaid: 'Container probe is unable to start due to an error: ErrImagePull: manifest unknown' },
      w1: { status: 'timed-out', clientSaid: "no pod was created for the node (a quota or an admission webhook refused it, or the node is gone): see the DaemonSet's events" },
    });
  });

  it("a pod the API refuses: its node ends as could-not-start with the DaemonSet's event, once the controller had a moment", async () => {
    const refused = 'Error creating: pods "oc-icsp-probe-0-" is forbidden: exceeded quota: pods-quota';
    const oc = fakeRunner([
      CREATE,
      WATCH(''),
      { args: FAILED_CREATE_ARGS('oc-icsp-x').map((a, i) => (i === 3 ? NS : a)), result: { stdout: JSON.stringify({ items: [{ message: refused, involvedObject: { name: 'oc-icsp-probe-0' } }] }) } },
      { args: NODE_NAMES_ARGS, result: { stdout: 'node/w0\n' } },
      ...DELETES,
    ]);
    const started = Date.now();
    const { done, ends } = run(oc, ['w0'], 10_000);
    await done;
    expect(ends).toEqual({ w0: { status: 'could-not-start', clientSaid: `the DaemonSet controller could not create the pod: ${refused}` } });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('the objects, field by field (what the API is sent)', () => {
  const [namespace, binding, ds] = runObjectsManifest('r1', ['w0'], 'tools:1', ['echo', 'hi']).trim().split('\n').map((l) => JSON.parse(l));
  const labels = { 'app.kubernetes.io/managed-by': 'oc-icsp', 'oc-icsp/run-id': 'r1' };

  it('the namespace', () => {
    expect(namespace).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'oc-icsp-r1',
        labels: {
          'pod-security.kubernetes.io/enforce': 'privileged',
          'pod-security.kubernetes.io/audit': 'privileged',
          'pod-security.kubernetes.io/warn': 'privileged',
          'security.openshift.io/scc.podSecurityLabelSync': 'false',
          ...labels,
        },
        annotations: { 'openshift.io/node-selector': '', 'oc-icsp/purpose': 'temporary pods of oc icsp' },
      },
    });
  });

  it('the binding', () => {
    expect(binding).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'oc-icsp-privileged-scc', namespace: 'oc-icsp-r1', labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:openshift:scc:privileged' },
      subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'oc-icsp-r1' }],
    });
  });

  it('the DaemonSet', () => {
    const shardLabels = { ...labels, 'oc-icsp/shard': '0' };
    expect(ds).toEqual({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'oc-icsp-probe-0', namespace: 'oc-icsp-r1', labels: shardLabels },
      spec: {
        selector: { matchLabels: { 'oc-icsp/run-id': 'r1', 'oc-icsp/shard': '0' } },
        template: {
          metadata: { labels: shardLabels, annotations: { 'openshift.io/required-scc': 'privileged' } },
          spec: {
            ...hostPodShape('probe', 'tools:1', ['/bin/sh', '-c', `trap 'kill "$!" 2>/dev/null; wait "$!"; exit 143' TERM; "$@" & wait "$!"; while :; do sleep 3600 & wait "$!"; done`, 'oc-icsp-probe', 'echo', 'hi']),
            affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['w0'] }] }] } } },
          },
        },
      },
    });
  });

  it('the reads: FailedCreate events of every DaemonSet, node names, the tools image stream', () => {
    expect(FAILED_CREATE_ARGS('ns')).toEqual(['get', 'events', '-n', 'ns', '--field-selector=involvedObject.kind=DaemonSet,reason=FailedCreate', '-o', 'json']);
    expect(NODE_NAMES_ARGS).toEqual(['get', 'nodes', '-o', 'name']);
    // The jsonpath the fixture in test/fixtures/kubectl-watch was printed with.
    expect(watchPodsArgs('ns', 'r')).toEqual([
      'get', 'pods', '-n', 'ns', '--selector=oc-icsp/run-id=r', '--watch', '-o',
      'jsonpath={.metadata.name}{"\\x1f"}{.spec.nodeName}{"\\x1f"}{.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0]}{"\\x1f"}{.status.containerStatuses[0].state}{"\\x1f"}{.status.conditions[?(@.type=="PodScheduled")]}{"\\n"}',
    ]);
    expect(TOOLS_IMAGE_ARGS).toEqual(['get', 'imagestreamtag', 'tools:latest', '-n', 'openshift', '-o', 'jsonpath={.image.dockerImageReference}']);
  });
});
