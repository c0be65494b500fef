// The same checks through a debug pod per node and through DaemonSets, pulling and reading
// manifests only: the same verdicts, the same JSON, nothing left behind; and the faults a big
// cluster throws (a registry going down, pods refused by quota, a node deleted after listing,
// a generated namespace name that collides).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { canRunSandbox, envFor, nodeProcesses, runVerify, sandbox, type Sandbox, suiteDir, useSandbox, waitFor } from './helpers.js';

let s: Sandbox;
const work = suiteDir('oc-icsp-strategies');
useSandbox(work, [
  { name: 'in-sync', config: 'cluster' },
  { name: 'with-credentials', config: 'needs-credentials', role: 'infra' },
  { name: 'no-credentials', config: 'needs-credentials', credentials: false },
  { name: 'not-on-mirror', config: 'not-on-mirror' },
  { name: 'untrusted-tls', config: 'untrusted-tls' },
  { name: 'lagging', config: 'no-entry', rollout: true },
  { name: 'not-ready', behaviour: 'not-ready' },
  { name: 'pod-fails', behaviour: 'pod-fails' },
], (created) => {
  s = created;
});

interface Doc {
  check: string;
  strategy: string;
  nodes: { name: string; verdict: string; pulledFrom: string | null; detail: string; hint: string | null; durationMs: number; attempts: { reason: string | null }[] }[];
}
const verdicts = (d: Doc) => d.nodes.map((n) => [n.name, n.verdict, n.pulledFrom, n.attempts.map((a) => a.reason).join(',')]);

const EXPECTED = () => [
  ['in-sync', 'mirrored', `${s.registries.open.host}/mirror/team/app@${s.digest}`, ''],
  ['with-credentials', 'mirrored', `${s.registries.auth.host}/secure/team/app@${s.digest}`, ''],
  ['no-credentials', 'mirror-failed', null, 'unauthorized,dns'],
  ['not-on-mirror', 'mirror-failed', null, 'manifest-unknown,dns'],
  ['untrusted-tls', 'mirror-failed', null, 'tls,dns'],
  ['lagging', 'not-mirrored', null, 'dns'],
  ['not-ready', 'skipped', null, ''],
  ['pod-fails', 'error', null, ''],
];

describe.skipIf(!canRunSandbox)('debug pods and a DaemonSet agree', () => {
  const runs: Record<string, Doc> = {};
  for (const strategy of ['debug', 'daemonset']) {
    for (const check of ['pull', 'manifest']) {
      it(`${strategy}, ${check}: every verdict, nothing left`, async () => {
        const r = runVerify(s, [s.image, '--strategy', strategy, '--check', check, '--timeout', '10s', '-o', 'json']);
        expect(r.code).toBe(1);
        const doc = JSON.parse(r.stdout) as Doc;
        runs[`${strategy}/${check}`] = doc;
        expect(doc.check).toBe(check);
        expect(doc.strategy).toBe(strategy === 'debug' ? 'oc debug' : 'daemonset');
        expect(verdicts(doc)).toEqual(EXPECTED());
        expect(await sandbox.settled(s.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
      });
    }
  }

  it('the same details and hints whichever way the nodes were reached', () => {
    const strip = (d: Doc) => d.nodes.filter((n) => n.name !== 'pod-fails').map((n) => [n.name, n.detail, n.hint]);
    expect(strip(runs['daemonset/pull']!)).toEqual(strip(runs['debug/pull']!));
  });

  it("a DaemonSet pod that cannot start: its waiting reason", () => {
    const node = runs['daemonset/pull']!.nodes.find((n) => n.name === 'pod-fails')!;
    expect(node.detail).toMatch(/^timed out after 10s; oc said: Container probe is unable to start due to an error: ImagePullBackOff: Back-off pulling image "registry\.sandbox\.invalid\/openshift\/tools@sha256:/);
    expect(node.hint).toBe("the node pod's image cannot be pulled: pass --image with a tools image your mirror serves");
  });

  it('DaemonSets tolerating every taint, their pods only on the selected Ready nodes', () => {
    const events = sandbox.ledger(s.dir);
    const created = events.filter((e) => e.event === 'daemonset-created');
    expect(created.length).toBeGreaterThanOrEqual(2);
    expect(created[0]!.tolerations).toEqual([{ operator: 'Exists' }]);
    const ns = created[0]!.namespace;
    const pods = events.filter((e) => e.event === 'pod-created' && e.namespace === ns).map((e) => e.node);
    expect(pods.sort()).toEqual(['in-sync', 'lagging', 'no-credentials', 'not-on-mirror', 'pod-fails', 'untrusted-tls', 'with-credentials']);
  });

  it("a registries.conf of 300 operator mirrors: reports too long for the probes' termination messages are read from their logs, with the verdicts debug pods give", async () => {
    sandbox.editConfig(s.dir, 'in-sync', 'many-mirrors');
    onTestFinished(() => sandbox.editConfig(s.dir, 'in-sync', 'cluster'));
    const args = [s.image, '--nodes', 'in-sync,no-credentials', '--check', 'manifest', '--timeout', '20s', '-o', 'json'];
    const before = sandbox.ledger(s.dir).length;
    const ds = runVerify(s, [...args, '--strategy', 'daemonset']);
    expect(ds.stderr).not.toMatch(/^error: /m);
    const viaDaemonSet = JSON.parse(ds.stdout) as Doc;
    const logReads = sandbox.ledger(s.dir).slice(before).filter((e) => e.event === 'request' && /\/log$/.test(String(e.path)));
    const viaDebug = JSON.parse(runVerify(s, [...args, '--strategy', 'debug']).stdout) as Doc;
    expect(logReads.length).toBeGreaterThan(0);
    expect(viaDaemonSet.nodes).toHaveLength(2);
    expect(verdicts(viaDaemonSet)).toEqual(verdicts(viaDebug));
    expect(await sandbox.settled(s.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
  });

  it('manifest checks write nothing to node storage', () => {
    const before = spawnSync('sh', ['-c', `find ${s.dir}/nodes/in-sync/storage -type f | wc -l`], { encoding: 'utf8' }).stdout.trim();
    runVerify(s, [s.image, '--nodes', 'in-sync', '--check', 'manifest', '--keep-image']);
    const after = spawnSync('sh', ['-c', `find ${s.dir}/nodes/in-sync/storage -type f | wc -l`], { encoding: 'utf8' }).stdout.trim();
    expect(after).toBe(before);
  });
});

describe.skipIf(!canRunSandbox)('faults, under both strategies', () => {
  for (const strategy of ['debug', 'daemonset']) {
    it(`${strategy}: pods refused by quota, a node deleted after listing, a namespace name that collides`, async () => {
      sandbox.fault(s, { kind: 'namespace-collisions', count: 1 });
      // lagging's pods are refused by a quota; untrusted-tls is deleted just after the run lists the nodes.
      sandbox.behaviour(s.dir, 'lagging', 'refused');
      sandbox.fault(s, { kind: 'delete-node-after-list', node: 'untrusted-tls' });
      const node = spawnSync('kubectl', ['get', 'node', 'untrusted-tls', '-o', 'json'], { encoding: 'utf8', env: envFor(s) }).stdout;
      try {
        const r = runVerify(s, [s.image, '--strategy', strategy, '--nodes', 'in-sync,lagging,untrusted-tls', '--timeout', '20s', '-o', 'json']);
        const doc = JSON.parse(r.stdout) as Doc;
        const by = Object.fromEntries(doc.nodes.map((n) => [n.name, n]));
        expect(by['in-sync']!.verdict).toBe('mirrored');
        expect(by.lagging!.verdict).toBe('error');
        expect(by['untrusted-tls']!.verdict).toBe('error');
        expect(by.lagging!.detail).toMatch(/exceeded quota: pods-quota/);
        expect(by.lagging!.hint).toMatch(/^a quota refused the node pod: a ClusterResourceQuota/);
        expect(by['untrusted-tls']!.detail).toMatch(/nodes "untrusted-tls" not found/);
        if (strategy === 'daemonset') {
          // Within seconds, from the DaemonSet's FailedCreate event, not after the 20 s timeout.
          expect(by.lagging!.detail).toMatch(/^the DaemonSet controller could not create the pod: Error creating: pods "oc-icsp-probe-0-" is forbidden: exceeded quota/);
          expect(by.lagging!.durationMs).toBeLessThan(10_000);
        }
        expect(await sandbox.settled(s.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
      } finally {
        sandbox.behaviour(s.dir, 'lagging', 'normal');
        const again = JSON.parse(node) as { metadata: Record<string, unknown> };
        for (const k of ['uid', 'resourceVersion', 'creationTimestamp']) delete again.metadata[k];
        spawnSync('kubectl', ['create', '-f', '-'], { input: JSON.stringify(again), env: envFor(s) });
      }
    });
  }

  // oc debug deletes its pod at once (grace 0: the kubelet still gives it 2 s); kubectl's pods
  // and the DaemonSets' go at their own grace period (10 s, a bound: they go once stopped).
  const kubectl = () => spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim();
  for (const [label, strategy, withKubectl] of [['debug', 'debug', false], ['daemonset', 'daemonset', false], ['kubectl pods', 'debug', true]] as const) {
    it(`${label}: a registry that goes down mid-run`, async () => {
      const { spawn } = await import('node:child_process');
      const clientArgs = withKubectl ? ['--client', kubectl()] : [];
      const child = spawn(join(process.cwd(), 'dist/oc-icsp'), ['verify', s.image, '--strategy', strategy, ...clientArgs, '--nodes', 'in-sync,not-on-mirror', '--parallel', '1', '--timeout', '6s', '-o', 'json'], {
        env: envFor(s),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      // The open registry stops right away: both nodes find it down.
      const open = JSON.parse(spawnSync('cat', [join(s.dir, 'registries', 'open', 'pid')], { encoding: 'utf8' }).stdout);
      process.kill(open, 'SIGSTOP');
      const stores = new Set<string>();
      const pulls = () => nodeProcesses(s).filter((line) => /^podman --root \S+ .* pull /.test(line));
      try {
        const watching = setInterval(() => {
          for (const line of pulls()) stores.add(/^podman --root (\S+)\/root /.exec(line)![1]!);
        }, 200);
        await new Promise((r) => child.on('close', r));
        clearInterval(watching);
      } finally {
        process.kill(open, 'SIGCONT');
      }
      const doc = JSON.parse(out) as Doc;
      // A registry that stops answering holds every pull until the node's timeout.
      for (const n of doc.nodes) expect([n.name, n.verdict, n.detail]).toEqual([n.name, 'error', expect.stringMatching(/^timed out after 6s/)]);
      expect(await sandbox.settled(s.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
      // Deleted mid-pull, each pod was told to stop (SIGTERM) before it was killed: its script
      // stopped podman and removed the run's store from the node.
      expect(stores.size).toBeGreaterThan(0);
      await waitFor(() => pulls().length === 0, 5_000);
      expect([...stores].filter((store) => existsSync(store))).toEqual([]);
    });
  }
});
