// The DaemonSet way, decided without a cluster: what it creates, how it reads its pods' states,
// how it tells a refused pod from a node that is gone, and a whole run against the table-driven
// client (its calls in order, each prefixed log line routed to its node).
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { daemonSetRunner } from '../../src/oc/daemonset.js';
import { FAILED_CREATE_ARGS, NODE_NAMES_ARGS, PODS_PER_SHARD, runObjectsManifest, shardsOf, TOOLS_IMAGE_ARGS, watchPodsArgs } from '../../src/oc/daemonset-objects.js';
import { podStateLine, probeReport, refusedPods } from '../../src/oc/daemonset-pods.js';
import { RHEL8_NODE_DEBUG_IMAGE } from '../../src/oc/kubectl-pod.js';
import { SERVER_VERSION_ARGS } from '../../src/oc/cluster.js';
import { type Expected, fakeRunner } from '../fake-runner.js';
import { hostPodShape } from './host-pod-shape.js';
import { FakeClock } from '../fake-clock.js';

// The runs here move on a clock the test steps (clock.runUntil): no test waits on the wall clock.
const clock = new FakeClock();
const fake = (table: Expected[], binary = '/usr/bin/oc') => fakeRunner(table, binary, clock);

/** The probe's termination message as its wrapper writes it (daemonset-objects.ts REPORT). */
const report = (lines: string[], status = 0) => `oc-icsp/1 ${status} ${gzipSync(lines.map((l) => `${l}\n`).join('')).toString('base64')}`;
const RUNNING = '{"running":{"startedAt":"2026-11-30T06:00:00Z"}}';
const ended = (message: string, exitCode = 0) => JSON.stringify({ terminated: { exitCode, reason: 'Completed', ...(message ? { message } : {}) } });
/** A line of the pod watch: name, node, pinned node, the probe's state, PodScheduled. */
const probeLine = (pod: string, node: string, state: string, scheduled = '{"status":"True","type":"PodScheduled"}') => [pod, node, node, state, scheduled].join('\x1f');

describe('what a DaemonSet run creates, in one create -f -', () => {
  const nodes = Array.from({ length: PODS_PER_SHARD + 2 }, (_, i) => `w${i}`);
  // Made in each test, not when the suite is collected: mutation testing credits a test only with what runs in it.
  const made = () => runObjectsManifest('r1', nodes, 'tools:1', ['true']).trim().split('\n').map((l) => JSON.parse(l));

  it('first the namespace, named by the run id, labelled as ours', () => {
    const [namespace] = made();
    expect(namespace).toMatchObject({ kind: 'Namespace', metadata: { name: 'oc-icsp-r1', labels: { 'app.kubernetes.io/managed-by': 'oc-icsp', 'oc-icsp/run-id': 'r1' } } });
    expect(namespace.metadata.generateName).toBeUndefined();
  });

  it("a RoleBinding in the run's namespace lets its default account use the privileged SCC, and goes with the namespace", () => {
    const [, binding] = made();
    expect(binding).toMatchObject({
      kind: 'RoleBinding',
      metadata: { namespace: 'oc-icsp-r1' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:openshift:scc:privileged' },
      subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'oc-icsp-r1' }],
    });
  });

  it('one DaemonSet per shard of nodes, each selecting its own pods; the pods ask for the privileged SCC, preempt nothing, and go only to their nodes', () => {
    const [, , ...sets] = made();
    expect(sets.map((d) => [d.kind, d.metadata.name, d.spec.selector.matchLabels])).toEqual([
      ['DaemonSet', 'oc-icsp-probe-0', { 'oc-icsp/run-id': 'r1', 'oc-icsp/shard': '0' }],
      ['DaemonSet', 'oc-icsp-probe-1', { 'oc-icsp/run-id': 'r1', 'oc-icsp/shard': '1' }],
    ]);
    const [first, second] = sets;
    expect(first.spec.template.metadata.labels).toMatchObject(first.spec.selector.matchLabels);
    expect(first.spec.template.metadata.annotations).toEqual({ 'openshift.io/required-scc': 'privileged' });
    expect(first.spec.template.spec.priorityClassName).toBeUndefined();
    expect(first.spec.template.spec.serviceAccountName).toBeUndefined();
    expect(first.spec.template.spec.initContainers[0].securityContext).toEqual({ privileged: true, runAsUser: 0 });
    const pinned = (d: typeof first) => d.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values;
    expect(pinned(first)).toEqual(nodes.slice(0, PODS_PER_SHARD));
    expect(pinned(second)).toEqual(nodes.slice(PODS_PER_SHARD));
  });

  it('shards hold at most PODS_PER_SHARD nodes, every node once', () => {
    for (const n of [1, PODS_PER_SHARD, PODS_PER_SHARD + 1, 500]) {
      const list = Array.from({ length: n }, (_, i) => `n${i}`);
      const shards = shardsOf(list);
      expect(shards.flat()).toEqual(list);
      expect(Math.max(...shards.map((s) => s.length))).toBeLessThanOrEqual(PODS_PER_SHARD);
      expect(shards).toHaveLength(Math.ceil(n / PODS_PER_SHARD));
    }
  });
});

describe('a line of the pod watch', () => {
  const line = (...fields: string[]) => fields.join('\x1f');
  it.each([
    ['running, bound', line('p-1', 'w0', 'w0', '{"running":{"startedAt":"2026-11-30T06:00:00Z"}}', '{"status":"True","type":"PodScheduled"}'), { name: 'p-1', node: 'w0', running: true, problem: null, ended: null }],
    ['not bound yet: the node its affinity pins', line('p-2', '', 'w1', '', ''), { name: 'p-2', node: 'w1', running: false, problem: null, ended: null }],
    ['still being created', line('p-3', 'w2', 'w2', '{"waiting":{"reason":"ContainerCreating"}}', ''), { name: 'p-3', node: 'w2', running: false, problem: null, ended: null }],
    ['not started, behind nothing but its turn', line('p-3', 'w2', 'w2', '{"waiting":{"reason":"PodInitializing"}}', ''), { name: 'p-3', node: 'w2', running: false, problem: null, ended: null }],
    [
      'ended, with its termination message',
      line('p-6', 'w5', 'w5', '{"terminated":{"exitCode":0,"finishedAt":"2026-11-30T06:00:01Z","message":"oc-icsp/1 0 H4sI","reason":"Completed","startedAt":"2026-11-30T06:00:00Z"}}', ''),
      { name: 'p-6', node: 'w5', running: false, problem: null, ended: { exitCode: 0, message: 'oc-icsp/1 0 H4sI' } },
    ],
    [
      'failing again and again: said',
      line('p-7', 'w6', 'w6', '{"waiting":{"message":"back-off 10s restarting failed container=probe pod=p-7_ns(u)","reason":"CrashLoopBackOff"}}', ''),
      { name: 'p-7', node: 'w6', running: false, problem: 'CrashLoopBackOff: back-off 10s restarting failed container=probe pod=p-7_ns(u)', ended: null },
    ],
    [
      'stuck pulling its image: in oc debug\'s words',
      line('p-4', 'w3', 'w3', '{"waiting":{"message":"Back-off pulling image \\"tools:1\\"","reason":"ImagePullBackOff"}}', ''),
      { name: 'p-4', node: 'w3', running: false, problem: 'Container probe is unable to start due to an error: ImagePullBackOff: Back-off pulling image "tools:1"', ended: null },
    ],
    [
      'unschedulable',
      line('p-5', '', 'w4', '', '{"message":"0/3 nodes are available","reason":"Unschedulable","status":"False","type":"PodScheduled"}'),
      { name: 'p-5', node: 'w4', running: false, problem: 'Unschedulable: 0/3 nodes are available', ended: null },
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
  // A refusal the controller met again is counted up on its event (count 2).
  const events = (list: [string, string, number?][]) =>
    JSON.stringify({ items: list.map(([ds, message, count = 2], i) => ({ message, count, involvedObject: { kind: 'DaemonSet', name: ds }, lastTimestamp: `2026-11-30T06:00:0${i}Z` })) });
  const shardOf = (node: string) => (node === 'w9' ? 1 : 0);

  it("a FailedCreate event: each node without a pod gets its own DaemonSet's latest message; a node no longer listed is gone", async () => {
    const oc = fake([
      { args: FAILED_CREATE_ARGS('ns'), result: { stdout: events([['oc-icsp-probe-0', 'Error creating: older'], ['oc-icsp-probe-0', REFUSED]]) } },
      { args: NODE_NAMES_ARGS, result: { stdout: 'node/w0\nnode/w1\nnode/w9\n' } },
    ]);
    expect([...(await refusedPods(oc, 'ns', ['w1', 'w2', 'w9'], shardOf, false))]).toEqual([
      ['w1', `the DaemonSet controller could not create the pod: ${REFUSED}`],
      ['w2', 'the node is gone: nodes "w2" not found'],
    ]);
  });

  it("a new namespace's default account not made yet is retried by the controller: it ends no node", async () => {
    const oc = fake([
      { args: FAILED_CREATE_ARGS('ns'), result: { stdout: events([['oc-icsp-probe-0', 'Error creating: pods "oc-icsp-probe-0-" is forbidden: error looking up service account ns/default: serviceaccount "default" not found']]) } },
    ]);
    expect(await refusedPods(oc, 'ns', ['w1'], shardOf, false)).toEqual(new Map());
  });

  it('a refusal met once is not final yet: the controller tries again, and it may pass', async () => {
    const oc = fake([{ args: FAILED_CREATE_ARGS('ns'), result: { stdout: events([['oc-icsp-probe-0', REFUSED, 1]]) } }]);
    expect(await refusedPods(oc, 'ns', ['w1'], shardOf, false)).toEqual(new Map());
  });

  it.each([
    ['its SCC ranges not given yet', 'Error creating: pods "oc-icsp-probe-0-" is forbidden: error fetching namespace "ns": unable to find annotation openshift.io/sa.scc.uid-range'],
    ["the API server's namespace cache behind", 'Error creating: pods "oc-icsp-probe-0-" is forbidden: namespace "ns" not found'],
  ])('a refusal the controller retries until it passes (%s) ends no node, however often it repeats', async (_why, message) => {
    const oc = fake([{ args: FAILED_CREATE_ARGS('ns'), result: { stdout: events([['oc-icsp-probe-0', message, 7]]) } }]);
    expect(await refusedPods(oc, 'ns', ['w1'], shardOf, false)).toEqual(new Map());
  });

  it('no event yet and too early to ask about nodes: nothing, and one call', async () => {
    const oc = fake([{ args: FAILED_CREATE_ARGS('ns'), result: { stdout: '{"items":[]}' } }]);
    expect(await refusedPods(oc, 'ns', ['w1'], shardOf, false)).toEqual(new Map());
  });

  it('no event, later: only the nodes that are gone', async () => {
    const oc = fake([
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
  const CREATE_NS = { args: ['create', '-f', '-', '-o', 'name'], result: { stdout: 'namespace/x\n' } };
  const DELETES = [
    { args: ['delete', 'daemonsets', '-n', NS, selector, '--ignore-not-found', '--wait=false'] },
    { args: ['delete', 'namespace', NS, '--ignore-not-found', '--wait=false'] },
  ];
  const WATCH = (lines: string[], later: [number, string][] = []) => ({ args: ['get', 'pods', '-n', NS, selector, '--watch', '-o', /^jsonpath=\{\.metadata\.name\}/], result: { stdout: lines.join('\n') }, later, hang: true });
  const request = (nodes: string[], over: object = {}) => {
    const seen: Record<string, string[]> = Object.fromEntries(nodes.map((n) => [n, []]));
    const talk: string[] = [];
    const ends: Record<string, { status: string; exitCode: number | null }> = {};
    return {
      seen, talk, ends,
      request: {
        nodes, command: ['true'], parallel: 25, timeoutMs: 60_000, signal: new AbortController().signal,
        start: (node: string) => ({ output: (l: string) => seen[node]!.push(l), clientTalk: (l: string) => talk.push(`${node}: ${l}`) }),
        end: (node: string, e: { status: string; exitCode: number | null }) => void (ends[node] = { status: e.status, exitCode: e.exitCode }),
        ...over,
      },
    };
  };

  it("one create, one pod watch, then the removals: each node's output and exit status come in its probe's termination message", async () => {
    let created = '';
    const oc = fake([
      { args: ['create', '-f', '-', '-o', 'name'], input: (t) => (created = t), result: { stdout: 'namespace/oc-icsp-abcdef01\nrolebinding.rbac.authorization.k8s.io/oc-icsp-privileged-scc\ndaemonset.apps/oc-icsp-probe-0\n' } },
      WATCH([probeLine('oc-icsp-probe-0-aaaaa', 'w0', RUNNING), probeLine('oc-icsp-probe-0-bbbbb', 'w1', ended(report(['two', 'END'], 3)))], [[20, probeLine('oc-icsp-probe-0-aaaaa', 'w0', ended(report(['one', '', 'END'])))]]),
      ...DELETES,
    ]);
    const run = request(['w0', 'w1']);
    const outcome = await clock.runUntil(daemonSetRunner(oc, { image: 'tools:1', clock }).run(run.request));
    expect(run.seen).toEqual({ w0: ['one', '', 'END'], w1: ['two', 'END'] });
    expect(run.ends).toEqual({ w0: { status: 'exited', exitCode: 0 }, w1: { status: 'exited', exitCode: 3 } });
    const namespace = JSON.parse(created.split('\n')[0]!).metadata.name;
    expect(outcome).toEqual({ namespace, cleanedUp: true, notices: [] });
    expect(oc.stopped.map((a) => a.slice(0, 2))).toEqual([['get', 'pods']]);
  });

  it("reports that did not fit are read from the probes' logs, one read for the shard once its probes have ended; kubectl's own words reach every node", async () => {
    const oc = fake([
      CREATE_NS,
      WATCH([probeLine('p-a', 'w0', ended('')), probeLine('p-b', 'w1', ended('', 0)), probeLine('p-c', 'w2', ended(report(['three'])))]),
      {
        args: ['logs', '-n', NS, shard0, '--tail=-1', '--prefix', '-c', 'probe', '--ignore-errors'],
        result: { stdout: ['[pod/p-a/probe] one', '[pod/p-b/probe] two', "error: a line of kubectl's own", '[pod/p-a/probe] END', '[pod/p-z/probe] stray'].join('\n') },
      },
      ...DELETES,
    ]);
    const run = request(['w0', 'w1', 'w2']);
    await clock.runUntil(daemonSetRunner(oc, { image: 'tools:1', clock }).run(run.request));
    expect(run.seen).toEqual({ w0: ['one', 'END'], w1: ['two'], w2: ['three'] });
    expect(run.ends).toEqual({ w0: { status: 'exited', exitCode: 0 }, w1: { status: 'exited', exitCode: 0 }, w2: { status: 'exited', exitCode: 0 } });
    // (The fake runner says oc debug's "Removing debug pod ..." when any stream is stopped.)
    expect(run.talk.filter((l) => l.startsWith('w0') && !l.endsWith('Removing debug pod ...'))).toEqual(["w0: error: a line of kubectl's own", 'w0: [pod/p-z/probe] stray']);
  });

  /** One node, no --image: the image the DaemonSet's pods got, after these lookups, and the run's notices. */
  const withoutImage = async (lookups: Expected[]) => {
    let objects = '';
    const oc = fake([
      ...lookups,
      { args: ['create', '-f', '-', '-o', 'name'], input: (text) => (objects = text), result: { stdout: 'namespace/x\n' } },
      WATCH([probeLine('oc-icsp-probe-0-aaaaa', 'w0', ended(report(['END'])))]),
      ...DELETES,
    ]);
    const outcome = await clock.runUntil(daemonSetRunner(oc, { image: undefined, clock }).run(request(['w0']).request));
    const ds = objects.trim().split('\n').map((l) => JSON.parse(l)).find((o) => o.kind === 'DaemonSet');
    return { image: ds.spec.template.spec.initContainers[0].image, notices: outcome.notices };
  };

  it('no --image and no tools image stream: the support-tools image oc debug would use, and the run\'s outcome says so', async () => {
    expect(
      await withoutImage([
        { args: TOOLS_IMAGE_ARGS, result: { exitCode: 1, stderr: 'Error from server (NotFound): imagestreamtags.image.openshift.io "tools:latest" not found' } },
        { args: SERVER_VERSION_ARGS, result: { stdout: JSON.stringify({ serverVersion: { major: '1', minor: '28' } }) } },
      ]),
    ).toEqual({
      image: RHEL8_NODE_DEBUG_IMAGE,
      notices: [{ code: 'no-tools-image-stream', image: RHEL8_NODE_DEBUG_IMAGE }],
    });
  });

  it('no --image: the openshift/tools image stream\'s image, and nothing to say about it', async () => {
    const tools = `image-registry.openshift-image-registry.svc:5000/openshift/tools@sha256:${'a'.repeat(64)}`;
    expect(await withoutImage([{ args: TOOLS_IMAGE_ARGS, result: { stdout: `${tools}\n` } }])).toEqual({ image: tools, notices: [] });
  });

  it('prepared before the run: the image is looked up once, and the run waits for it', async () => {
    const tools = 'registry.example/openshift/tools:4';
    let objects = '';
    const oc = fake([
      { args: TOOLS_IMAGE_ARGS, result: { stdout: tools } },
      { args: ['create', '-f', '-', '-o', 'name'], input: (text) => (objects = text), result: { stdout: 'namespace/x\n' } },
      WATCH([probeLine('p-a', 'w0', ended(report(['END'])))]),
      ...DELETES,
    ]);
    const runner = daemonSetRunner(oc, { image: undefined, clock });
    runner.prepare!();
    runner.prepare!();
    await runner.run(request(['w0']).request);
    expect(oc.calls.filter((c) => c[1] === 'imagestreamtag')).toHaveLength(1);
    expect(objects).toContain(tools);
  });

  it('no node, or stopped before it began: nothing is created and no client runs', async () => {
    const oc = fake([]);
    expect(await clock.runUntil(daemonSetRunner(oc, { image: 'tools:1', clock }).run(request([]).request))).toEqual({ namespace: null, cleanedUp: true, notices: [] });
    const stopped = new AbortController();
    stopped.abort();
    expect(await clock.runUntil(daemonSetRunner(oc, { image: 'tools:1', clock }).run(request(['w0'], { signal: stopped.signal }).request))).toEqual({ namespace: null, cleanedUp: true, notices: [] });
    expect(oc.calls).toEqual([]);
  });

  it('the create refused: the error says what failed, and the named namespace is removed all the same', async () => {
    const oc = fake([
      { args: ['create', '-f', '-', '-o', 'name'], result: { exitCode: 1, stderr: 'Error from server (Forbidden): namespaces is forbidden: User "developer" cannot create resource "namespaces"' } },
      ...DELETES,
    ]);
    await expect(daemonSetRunner(oc, { image: 'tools:1' }).run(request(['w0']).request)).rejects.toThrow(
      /^cannot create the namespace, the DaemonSets and their SCC binding: Error from server \(Forbidden\).*: log in as a cluster administrator$/,
    );
  });
});

describe("the probe's report, from its termination message", () => {
  it('the node script\'s exit status and every line it printed, blank ones too', () => {
    expect(probeReport(report(['first', '', 'last'], 3))).toEqual({ exitCode: 3, lines: ['first', '', 'last'] });
    expect(probeReport(report([]))).toEqual({ exitCode: 0, lines: [] });
  });

  it.each([
    ['nothing (the report did not fit)', ''],
    ['another writer\'s message', 'Sleep expired'],
    ['another version of the format', report(['x']).replace('oc-icsp/1', 'oc-icsp/2')],
    ['no exit status', report(['x']).replace(' 0 ', ' x ')],
    ['cut short by the kubelet (it keeps the last 4096 bytes)', report(['x']).slice(0, -6)],
    ['more than three fields', `${report(['x'])} more`],
  ])('none from %s', (_, message) => expect(probeReport(message)).toBeNull());
});

describe('the pod watch, as the real kubectl prints it (test/fixtures/kubectl-watch)', () => {
  it('every line is a pod: first unbound, then its probe waiting, running, and ended with its report', async () => {
    const { readFileSync } = await import('node:fs');
    const lines = readFileSync('test/fixtures/kubectl-watch/daemonset-pods.txt', 'utf8').trim().split('\n');
    const states = lines.map(podStateLine);
    expect(states.every(Boolean)).toBe(true);
    const nodes = ['worker-0', 'worker-1', 'worker-2', 'worker-3', 'worker-4', 'infra-0'];
    expect(states.slice(0, 6).map((s) => [s!.node, s!.running, s!.problem, s!.ended])).toEqual(nodes.map((n) => [n, false, null, null]));
    expect(states.some((s) => s!.running)).toBe(true);
    const last = new Map(states.map((s) => [s!.node, s!]));
    expect([...last.keys()].sort()).toEqual([...nodes].sort());
    for (const s of last.values()) {
      expect(s.name.startsWith('oc-icsp-probe-0-')).toBe(true);
      const report = probeReport(s.ended!.message);
      expect(report?.exitCode).toBe(0);
      expect(report!.lines.length).toBeGreaterThan(10);
    }
  });
});

describe('a DaemonSet run: its plan, late pods, refused pods, pods that never run', () => {
  const NS = /^oc-icsp-[0-9a-f]{8}$/;
  const selector = /^--selector=oc-icsp\/run-id=[0-9a-f]{8}$/;
  const shard = (n: number) => new RegExp(`^--selector=oc-icsp/run-id=[0-9a-f]{8},oc-icsp/shard=${n}$`);
  const watchLine = (pod: string, node: string, state = RUNNING, scheduled = '{"status":"True","type":"PodScheduled"}') => probeLine(pod, node, state, scheduled);
  const CREATE = { args: ['create', '-f', '-', '-o', 'name'], result: { stdout: 'namespace/x\n' } };
  const DELETES = [
    { args: ['delete', 'daemonsets', '-n', NS, selector, '--ignore-not-found', '--wait=false'] },
    { args: ['delete', 'namespace', NS, '--ignore-not-found', '--wait=false'] },
  ];
  const WATCH = (stdout: string, later: [number, string][] = []) => ({ args: ['get', 'pods', '-n', NS, selector, '--watch', '-o', /^jsonpath=/], result: { stdout }, later, hang: true });
  const run = (oc: ReturnType<typeof fakeRunner>, nodes: string[], timeoutMs: number, signal = new AbortController().signal) => {
    const seen: Record<string, string[]> = Object.fromEntries(nodes.map((n) => [n, []]));
    const talk: Record<string, string[]> = Object.fromEntries(nodes.map((n) => [n, []]));
    const ends: Record<string, { status: string; clientSaid: string | null }> = {};
    const exitCodes: Record<string, number | null> = {};
    const durations: Record<string, number> = {};
    let endCalls = 0;
    const done = daemonSetRunner(oc, { image: 'tools:1', clock }).run({
      nodes, command: ['true'], parallel: 25, timeoutMs, signal,
      start: (node) => ({ output: (l) => seen[node]!.push(l), clientTalk: (l) => talk[node]!.push(l) }),
      end: (node, e) => void ((ends[node] = { status: e.status, clientSaid: e.clientSaid }), (exitCodes[node] = e.exitCode), (durations[node] = e.durationMs), endCalls++),
    });
    return { done, seen, talk, ends, exitCodes, durations, endCalls: () => endCalls };
  };

  it('Ctrl-C while a probe runs and another\'s log is being read: the watch and the read are stopped, and both nodes end as interrupted', async () => {
    const controller = new AbortController();
    const oc = fake([
      CREATE,
      WATCH([watchLine('p-a', 'w0'), watchLine('p-b', 'w1', ended(''))].join('\n')),
      { args: ['logs', '-n', NS, shard(0), '--tail=-1', '--prefix', '-c', 'probe', '--ignore-errors'], result: { stdout: '[pod/p-b/probe] half' }, hang: true },
      ...DELETES,
    ]);
    const { done, ends, seen } = run(oc, ['w0', 'w1'], 60_000, controller.signal);
    // w1's shard waits for w0, then for SHARD_PATIENCE_MS: then the shard's log is read.
    await clock.step(3100);
    expect(oc.running()).toBe(2);
    controller.abort();
    await clock.runUntil(done);
    expect(ends).toEqual({ w0: { status: 'interrupted', clientSaid: null }, w1: { status: 'interrupted', clientSaid: null } });
    expect(seen.w1).toEqual(['half']);
    expect(oc.stopped.map((a) => a[0])).toEqual(['get', 'logs']);
  });

  it('a run interrupted while its objects were being created ends every node so, at once', async () => {
    const controller = new AbortController();
    const oc = fake([{ ...CREATE, input: () => controller.abort() }, WATCH(''), ...DELETES]);
    const { done, ends, durations } = run(oc, ['w0'], 60_000, controller.signal);
    await clock.runUntil(done);
    expect(ends).toEqual({ w0: { status: 'interrupted', clientSaid: null } });
    expect(durations).toEqual({ w0: 0 });
  });

  it("each node's duration is from the run's start to its end, on the run's clock", async () => {
    const oc = fake([CREATE, WATCH(watchLine('p-a', 'w0'), [[4200, watchLine('p-a', 'w0', ended(report(['END'])))]]), ...DELETES]);
    const { done, durations } = run(oc, ['w0'], 60_000);
    await clock.runUntil(done);
    expect(durations).toEqual({ w0: 4200 });
  });

  it('a refusal check the client cannot answer is no refusal: asked again a second later, and the pod comes', async () => {
    const oc = fake([
      CREATE,
      WATCH('', [[3000, watchLine('p-a', 'w0', ended(report(['END'])))]]),
      { args: FAILED_CREATE_ARGS('oc-icsp-x').map((a, i) => (i === 3 ? NS : a)), result: { exitCode: 1, stdout: 'not json' } },
      { args: FAILED_CREATE_ARGS('oc-icsp-x').map((a, i) => (i === 3 ? NS : a)), result: { stdout: JSON.stringify({ items: [] }) } },
      ...DELETES,
    ]);
    const { done, ends } = run(oc, ['w0'], 60_000);
    await clock.runUntil(done);
    expect(ends).toEqual({ w0: { status: 'exited', clientSaid: null } });
  });

  it("a report the watch delivers twice (again as the pod's container starts) reaches its node once; a pod of a node not in the run is ignored", async () => {
    const twice = watchLine('p-a', 'w0', ended(report(['END'])));
    const oc = fake([CREATE, WATCH([twice, twice, watchLine('p-z', 'elsewhere', ended(report(['stray'])))].join('\n')), ...DELETES]);
    const { done, seen, endCalls } = run(oc, ['w0'], 20_000);
    await clock.runUntil(done);
    expect(seen).toEqual({ w0: ['END'] });
    expect(endCalls()).toBe(1);
  });

  it('a watch the API server ends is started again, and its pods are read from it', async () => {
    const oc = fake([
      CREATE,
      { args: ['get', 'pods', '-n', NS, selector, '--watch', '-o', /^jsonpath=/], result: { stdout: watchLine('p-a', 'w0') } },
      WATCH(watchLine('p-a', 'w0', ended(report(['END'])))),
      ...DELETES,
    ]);
    const { done, seen } = run(oc, ['w0'], 20_000);
    await clock.runUntil(done);
    expect(seen).toEqual({ w0: ['END'] });
  });

  it("a probe read on its own: kubectl's words about it go to its node alone, and the node ends with its container's exit code (the wrapper's, 0 on a real run: verdicts come from the output alone)", async () => {
    const oc = fake([
      CREATE,
      WATCH([watchLine('p-a', 'w0', ended('')), watchLine('p-b', 'w1'), watchLine('p-c', 'w2', ended(report(['END'])))].join('\n'), [[3300, watchLine('p-b', 'w1', ended('', 2))]]),
      { args: ['logs', '-n', NS, shard(0), '--tail=-1', '--prefix', '-c', 'probe', '--ignore-errors'], result: { stdout: '[pod/p-a/probe] END' } },
      { args: ['logs', '-n', NS, 'pod/p-b', '--prefix', '-c', 'probe'], result: { stdout: '[pod/p-b/probe] half', stderr: 'error: unexpected EOF' } },
      ...DELETES,
    ]);
    const { done, seen, talk, ends, exitCodes } = run(oc, ['w0', 'w1', 'w2'], 20_000);
    await clock.runUntil(done);
    expect(seen).toEqual({ w0: ['END'], w1: ['half'], w2: ['END'] });
    // (The fake runner says oc debug's "Removing debug pod ..." when any stream is stopped: the watch's, to every node.)
    const own = (lines: string[]) => lines.filter((l) => l !== 'Removing debug pod ...');
    expect({ w0: own(talk.w0!), w1: own(talk.w1!), w2: own(talk.w2!) }).toEqual({ w0: [], w1: ['error: unexpected EOF'], w2: [] });
    expect(ends.w1).toEqual({ status: 'exited', clientSaid: null });
    expect(exitCodes).toEqual({ w0: 0, w1: 2, w2: 0 });
  }, 15_000);

  it("at the timeout, a probe that ended without its report, its shard not yet read: its log so far, and it ends as exited with its container's exit code (the wrapper's)", async () => {
    const oc = fake([
      CREATE,
      WATCH([watchLine('p-a', 'w0', ended('', 3)), watchLine('p-b', 'w1')].join('\n')),
      { args: ['logs', '-n', NS, shard(0), '--tail=-1', '--prefix', '-c', 'probe', '--ignore-errors'], result: { stdout: ['[pod/p-a/probe] END', '[pod/p-b/probe] half'].join('\n') } },
      ...DELETES,
    ]);
    const { done, seen, ends, exitCodes } = run(oc, ['w0', 'w1'], 200);
    await clock.runUntil(done);
    expect(seen).toEqual({ w0: ['END'], w1: ['half'] });
    expect(ends).toEqual({ w0: { status: 'exited', clientSaid: null }, w1: { status: 'timed-out', clientSaid: null } });
    expect(exitCodes).toEqual({ w0: 3, w1: null });
  });

  it('a shard whose other probe cannot start is read at once: that probe will not end by itself', async () => {
    const started = clock.now();
    const oc = fake([
      CREATE,
      WATCH([watchLine('p-a', 'w0', ended('')), watchLine('p-b', 'w1', '{"waiting":{"reason":"ErrImagePull","message":"manifest unknown"}}')].join('\n')),
      { args: ['logs', '-n', NS, shard(0), '--tail=-1', '--prefix', '-c', 'probe', '--ignore-errors'], result: { stdout: '[pod/p-a/probe] END' } },
      ...DELETES,
    ]);
    const { done, seen } = run(oc, ['w0', 'w1'], 1000);
    await clock.runUntil(done);
    expect(seen.w0).toEqual(['END']);
    expect(clock.elapsed(started)).toBeLessThan(2500);
  });

  it('the plan: one create, the watch, the removals; nothing run', () => {
    const oc = fake([]);
    const nodes = Array.from({ length: PODS_PER_SHARD + 5 }, (_, i) => `w${i}`);
    const plan = daemonSetRunner(oc, { image: 'tools:1' }).plan(nodes, ['true']);
    expect(plan.map((c) => [c.node, c.argv.slice(1, 3).join(' ')])).toEqual([[null, 'create -f'], [null, 'get pods'], [null, 'delete daemonsets'], [null, 'delete namespace']]);
    expect(plan[0]!.stdin!.trim().split('\n').map((l) => JSON.parse(l).kind)).toEqual(['Namespace', 'RoleBinding', 'DaemonSet', 'DaemonSet']);
    expect(oc.calls).toEqual([]);
  });

  it("a report that did not fit, while the rest of its shard still runs: the shard is read once it has waited long enough, a later one on its own", async () => {
    const oc = fake([
      CREATE,
      WATCH([watchLine('p-a', 'w0', ended('')), watchLine('p-b', 'w1')].join('\n'), [[3500, watchLine('p-b', 'w1', ended(''))]]),
      { args: ['logs', '-n', NS, shard(0), '--tail=-1', '--prefix', '-c', 'probe', '--ignore-errors'], result: { stdout: '[pod/p-a/probe] END' } },
      { args: ['logs', '-n', NS, 'pod/p-b', '--prefix', '-c', 'probe'], result: { stdout: '[pod/p-b/probe] END' } },
      ...DELETES,
    ]);
    const started = clock.now();
    const { done, seen, ends } = run(oc, ['w0', 'w1'], 20_000);
    await clock.runUntil(done);
    expect(seen).toEqual({ w0: ['END'], w1: ['END'] });
    expect(ends).toEqual({ w0: { status: 'exited', clientSaid: null }, w1: { status: 'exited', clientSaid: null } });
    expect(clock.elapsed(started)).toBeLessThan(10_000);
  }, 15_000);

  it('at the timeout, what the late probes have logged so far reaches their nodes, which end as timed out', async () => {
    const oc = fake([
      CREATE,
      WATCH([watchLine('p-a', 'w0'), watchLine('p-b', 'w1', ended(report(['END'])))].join('\n')),
      { args: ['logs', '-n', NS, shard(0), '--tail=-1', '--prefix', '-c', 'probe', '--ignore-errors'], result: { stdout: ['[pod/p-a/probe] half', '[pod/p-b/probe] END'].join('\n') } },
      ...DELETES,
    ]);
    const { done, seen, ends } = run(oc, ['w0', 'w1'], 200);
    await clock.runUntil(done);
    expect(seen).toEqual({ w0: ['half'], w1: ['END'] });
    expect(ends).toEqual({ w0: { status: 'timed-out', clientSaid: null }, w1: { status: 'exited', clientSaid: null } });
  });

  it('a pod that never runs ends its node at the timeout with its waiting reason; one that never came, with where to look', async () => {
    const oc = fake([
      CREATE,
      WATCH(watchLine('p-a', 'w0', '{"waiting":{"reason":"ErrImagePull","message":"manifest unknown"}}')),
      ...DELETES,
    ]);
    const { done, ends } = run(oc, ['w0', 'w1'], 200);
    await clock.runUntil(done);
    expect(ends).toEqual({
      w0: { status: 'timed-out', clientSaid: 'Container probe is unable to start due to an error: ErrImagePull: manifest unknown' },
      w1: { status: 'timed-out', clientSaid: "no pod was created for the node (a quota or an admission webhook refused it, or the node is gone): see the DaemonSet's events" },
    });
  });

  it("a pod the API refuses: its node ends as could-not-start with the DaemonSet's event, once the controller had a moment", async () => {
    const refused = 'Error creating: pods "oc-icsp-probe-0-" is forbidden: exceeded quota: pods-quota';
    const oc = fake([
      CREATE,
      WATCH(''),
      { args: FAILED_CREATE_ARGS('oc-icsp-x').map((a, i) => (i === 3 ? NS : a)), result: { stdout: JSON.stringify({ items: [{ message: refused, count: 2, involvedObject: { name: 'oc-icsp-probe-0' } }] }) } },
      { args: NODE_NAMES_ARGS, result: { stdout: 'node/w0\n' } },
      ...DELETES,
    ]);
    const started = clock.now();
    const { done, ends } = run(oc, ['w0'], 10_000);
    await clock.runUntil(done);
    expect(ends).toEqual({ w0: { status: 'could-not-start', clientSaid: `the DaemonSet controller could not create the pod: ${refused}` } });
    expect(clock.elapsed(started)).toBeLessThan(5000);
  });
});

describe('the objects, field by field (what the API is sent)', () => {
  const made = () => runObjectsManifest('r1', ['w0'], 'tools:1', ['echo', 'hi']).trim().split('\n').map((l) => JSON.parse(l));
  const labels = { 'app.kubernetes.io/managed-by': 'oc-icsp', 'oc-icsp/run-id': 'r1' };

  it('the namespace', () => {
    const [namespace] = made();
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
    const [, binding] = made();
    expect(binding).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'oc-icsp-privileged-scc', namespace: 'oc-icsp-r1', labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:openshift:scc:privileged' },
      subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'oc-icsp-r1' }],
    });
  });

  it('the DaemonSet: the probe, an init container, reports in its termination message; a container stays after it', () => {
    const shardLabels = { ...labels, 'oc-icsp/shard': '0' };
    const wrapper = [
      'stop() { [ -z "$p" ] || { kill "$p" 2>/dev/null; (sleep 1; kill "$p" 2>/dev/null) & wait "$p"; }; rm -rf "$d"; exit 143; }',
      `p=; forking=; stopping=; trap 'stopping=1; [ -n "$forking" ] || stop' TERM`,
      'if d=$(mktemp -d) && mkfifo "$d/f"; then',
      '  tee "$d/out" <"$d/f" &',
      '  forking=1; "$@" >"$d/f" 2>&1 & p=$!; forking=; [ -z "$stopping" ] || stop; wait "$p"; status=$?; p=; wait',
      `  m=$(gzip -9c <"$d/out" | base64 -w 0) && [ \${#m} -le 4082 ] && printf '%s %s %s' oc-icsp/1 "$status" "$m" >/dev/termination-log`,
      '  rm -rf "$d"',
      'else',
      '  forking=1; "$@" 2>&1 & p=$!; forking=; [ -z "$stopping" ] || stop; wait "$p"; p=',
      'fi',
      'exit 0',
    ].join('\n');
    const { containers: probe, ...shape } = hostPodShape('probe', 'tools:1', ['/bin/sh', '-c', wrapper, 'oc-icsp-probe', 'echo', 'hi']);
    const [, , ds] = made();
    expect(ds).toEqual({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'oc-icsp-probe-0', namespace: 'oc-icsp-r1', labels: shardLabels },
      spec: {
        selector: { matchLabels: { 'oc-icsp/run-id': 'r1', 'oc-icsp/shard': '0' } },
        template: {
          metadata: { labels: shardLabels, annotations: { 'openshift.io/required-scc': 'privileged' } },
          spec: {
            ...shape,
            initContainers: probe,
            containers: [{ name: 'stay', image: 'tools:1', command: ['sleep', '2147483647'] }],
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
      'jsonpath={.metadata.name}{"\\x1f"}{.spec.nodeName}{"\\x1f"}{.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0]}{"\\x1f"}{.status.initContainerStatuses[0].state}{"\\x1f"}{.status.conditions[?(@.type=="PodScheduled")]}{"\\n"}',
    ]);
    expect(TOOLS_IMAGE_ARGS).toEqual(['get', 'imagestreamtag', 'tools:latest', '-n', 'openshift', '-o', 'jsonpath={.image.dockerImageReference}']);
  });
});
