// `oc icsp verify` end to end: the built binary, the sandbox's oc, real podman, real registries.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { BIN, canRunSandbox, envFor, kubeconfigText, maxConcurrentPods, onNode, requests, runVerify, sandbox, type Sandbox, startVerify, suiteDir, useSandbox, waitFor } from './helpers.js';

let s: Sandbox;
const work = suiteDir('oc-icsp-e2e');

const NODES = [
  { name: 'mirrored', config: 'mirrored', role: 'infra' },
  { name: 'with-credentials', config: 'needs-credentials' },
  { name: 'not-on-mirror', config: 'not-on-mirror' },
  { name: 'untrusted-tls', config: 'untrusted-tls' },
  { name: 'lagging', config: 'no-entry' },
  { name: 'updating', config: 'no-entry', rollout: true },
  { name: 'not-ready', config: 'mirrored', behaviour: 'not-ready' as const },
  { name: 'pod-fails', config: 'mirrored', behaviour: 'pod-fails' as const },
  { name: 'hangs', config: 'mirrored', behaviour: 'hang' as const },
];

useSandbox(work, NODES, (created) => {
  s = created;
});

interface Doc {
  image: string;
  policies: { kind: string; name: string; source: string; mirrors: string[] }[];
  warnings: string[];
  nodes: { name: string; verdict: string; pulledFrom: string | null; detail: string; hint: string | null; durationMs: number; attempts: { reference: string; mirror: boolean; ok: boolean; reason: string | null; message: string | null }[] }[];
  summary: Record<string, number>;
}

describe.skipIf(!canRunSandbox)('every node state, one run', () => {
  let doc: Doc;
  let run: ReturnType<typeof runVerify>;
  beforeAll(() => {
    run = runVerify(s, [s.image, '-o', 'json', '--timeout', '8s']);
    doc = JSON.parse(run.stdout);
  });
  const node = (name: string) => doc.nodes.find((n) => n.name === name)!;

  it('exits 1 with findings and prints one JSON document', () => {
    expect(run.code).toBe(1);
    expect(doc.image).toBe(s.image);
    expect(doc.summary).toEqual({ mirrored: 2, 'mirror-failed': 2, 'not-mirrored': 2, error: 2, skipped: 1 });
  });

  it('names the policy that covers the image', () => {
    expect(doc.policies).toEqual([
      expect.objectContaining({ kind: 'ImageContentSourcePolicy', name: 'sandbox-mirrors', source: 'registry.sandbox.invalid/team' }),
    ]);
  });

  it('a node that pulls from the mirror', () => {
    expect(node('mirrored')).toMatchObject({ verdict: 'mirrored', pulledFrom: `${s.registries.open.host}/mirror/team/app@${s.digest}` });
    expect(node('mirrored').attempts).toEqual([
      { reference: `${s.registries.open.host}/mirror/team/app@${s.digest}`, mirror: true, ok: true, reason: null, message: null },
    ]);
  });

  it('credentials only in the node pull secret are used (--authfile)', () => {
    expect(node('with-credentials')).toMatchObject({ verdict: 'mirrored', pulledFrom: `${s.registries.auth.host}/secure/team/app@${s.digest}` });
  });

  it('a mirror without the image, falling back to an unreachable source', () => {
    const n = node('not-on-mirror');
    expect(n.verdict).toBe('mirror-failed');
    expect(n.attempts.map((a) => [a.mirror, a.reason])).toEqual([
      [true, 'manifest-unknown'],
      [false, 'dns'],
    ]);
    // What happened in the detail; what to do in the hint, once.
    expect(n.detail).toBe('mirror manifest-unknown; the source failed too (dns)');
    expect(n.hint).toMatch(/the image is not on this mirror: mirror it there/);
  });

  it('a mirror whose certificate the node does not trust', () => {
    const n = node('untrusted-tls');
    expect(n.verdict).toBe('mirror-failed');
    expect(n.attempts[0]).toMatchObject({ mirror: true, reason: 'tls' });
    expect(n.attempts[0]!.message).toMatch(/x509: certificate signed by unknown authority/);
  });

  it('a node whose registries.conf lacks the entry', () => {
    expect(node('lagging')).toMatchObject({ verdict: 'not-mirrored', pulledFrom: null });
    expect(node('lagging').detail).toMatch(/although ImageContentSourcePolicy\/sandbox-mirrors covers it/);
  });

  it('a node still updating its MachineConfig says so', () => {
    expect(node('updating')).toMatchObject({ verdict: 'not-mirrored' });
    expect(node('updating').detail).toMatch(/the node is still updating its MachineConfig \(rendered-worker-1 -> rendered-worker-2\)/);
  });

  it('NotReady nodes are skipped, not attempted', () => {
    expect(node('not-ready')).toMatchObject({ verdict: 'skipped', detail: 'node is not Ready: Kubelet stopped posting node status.' });
    expect(sandbox.ledger(s.dir).filter((e) => e.event === 'pod-created' && e.node === 'not-ready')).toEqual([]);
  });

  it('a debug pod that cannot start times out with what oc warned', () => {
    expect(node('pod-fails').verdict).toBe('error');
    expect(node('pod-fails').detail).toMatch(/^timed out after 8s; oc said: Container container-00 is unable to start due to an error: Back-off pulling image/);
  });

  it('a hanging node times out', () => {
    expect(node('hangs')).toMatchObject({ verdict: 'error', detail: 'timed out after 8s' });
    expect(node('hangs').durationMs).toBeGreaterThanOrEqual(8000);
  });

  it('leaves no pod and no namespace behind', async () => {
    expect(await sandbox.settled(s.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
  });

  it('runs every debug pod in one namespace it made, privileged', () => {
    const events = sandbox.ledger(s.dir);
    const created = events.filter((e) => e.event === 'namespace-created');
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ labels: { 'pod-security.kubernetes.io/enforce': 'privileged', 'security.openshift.io/scc.podSecurityLabelSync': 'false' }, annotations: { 'openshift.io/node-selector': '' } });
    const pods = events.filter((e) => e.event === 'pod-created');
    expect(pods).toHaveLength(8);
    expect(new Set(pods.map((p) => p.namespace))).toEqual(new Set([created[0]!.namespace]));
  });
});

describe.skipIf(!canRunSandbox)('selection and output formats', () => {
  it('--nodes, the default table, exit 0 when every node is mirrored', () => {
    const run = runVerify(s, [s.image, '--nodes', 'mirrored,with-credentials']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NODE\s+VERDICT\s+PULLED FROM\s+DETAIL$/);
    expect(lines.slice(1).map((l) => l.split(/\s{3,}/).slice(0, 3))).toEqual([
      ['mirrored', 'mirrored', `${s.registries.open.host}/mirror/team/app`],
      ['with-credentials', 'mirrored', `${s.registries.auth.host}/secure/team/app`],
    ]);
    expect(run.stdout).not.toMatch(/[│┌─]/);
    expect(run.stderr).toMatch(/covered by:\n {2}ImageContentSourcePolicy\/sandbox-mirrors/);
    expect(run.stderr).toMatch(/2 node\(s\): 2 mirrored\n$/);
  });

  it('-l selects by label', () => {
    const run = runVerify(s, [s.image, '-l', 'node-role.kubernetes.io/infra', '-o', 'json']);
    expect((JSON.parse(run.stdout) as Doc).nodes.map((n) => n.name)).toEqual(['mirrored']);
  });

  it('--nodes naming an unknown node is an input error', () => {
    const run = runVerify(s, [s.image, '--nodes', 'mirrored,nope']);
    expect(run).toMatchObject({ code: 2, stdout: '', stderr: 'error: no such node: nope (see `oc get nodes`)\n' });
  });

  it('-o yaml is one YAML document with the same content', () => {
    const run = runVerify(s, [s.image, '--nodes', 'mirrored,lagging', '-o', 'yaml']);
    const doc = parseYaml(run.stdout) as Doc;
    expect(doc.nodes.map((n) => [n.name, n.verdict])).toEqual([
      ['mirrored', 'mirrored'],
      ['lagging', 'not-mirrored'],
    ]);
    // stdout is the document; stderr holds warnings only (no table, no spinner).
    expect(run.stderr.split('\n').filter(Boolean).every((l) => l.startsWith('warning: '))).toBe(true);
  });

  it('-o wide lists each attempt with its reason', () => {
    const run = runVerify(s, [s.image, '--nodes', 'not-on-mirror', '-o', 'wide']);
    expect(run.stdout).toMatch(/^NODE\s+VERDICT\s+PULLED FROM\s+ATTEMPTS\s+DETAIL$/m);
    // Each attempt on its own line under its node, the digest asked for left out.
    expect(run.stdout).toContain(`\n    mirror ${s.registries.open.host}/not-there/team/app: manifest-unknown\n    source registry.sandbox.invalid/team/app: dns\n    hint: `);
  });

  it('a tag pull under digest-only mirrors is not mirrored, and says why', () => {
    const run = runVerify(s, [s.tagImage, '--nodes', 'mirrored', '-o', 'json']);
    const doc = JSON.parse(run.stdout) as Doc;
    expect(doc.nodes[0]).toMatchObject({ verdict: 'not-mirrored' });
    expect(doc.nodes[0]!.detail).toMatch(/a tag pull, and ImageContentSourcePolicy\/sandbox-mirrors mirror digest pulls only/);
    expect(doc.warnings.join('\n')).toMatch(/: a tag pull, and ImageContentSourcePolicy\/sandbox-mirrors mirror digest pulls only/);
  });
});

describe.skipIf(!canRunSandbox)('flags that shape the run', () => {
  it('--parallel bounds the debug pods alive at once', () => {
    for (const parallel of [1, 2]) {
      const before = sandbox.ledger(s.dir).length;
      runVerify(s, [s.image, '--nodes', 'hangs,pod-fails', '--timeout', '2s', '--parallel', String(parallel), '-o', 'json']);
      expect(maxConcurrentPods(sandbox.ledger(s.dir).slice(before))).toBe(parallel);
    }
  });

  it('--timeout bounds each node and accepts plain seconds', () => {
    const started = Date.now();
    const run = runVerify(s, [s.image, '--nodes', 'hangs', '--timeout', '2', '-o', 'json']);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect((JSON.parse(run.stdout) as Doc).nodes[0]).toMatchObject({ verdict: 'error', detail: 'timed out after 2s' });
  });

  it('--image reaches oc debug', () => {
    const run = runVerify(s, [s.image, '--nodes', 'mirrored', '--image', 'quay.io/tools/does-not-exist:1', '--timeout', '2s', '-o', 'json']);
    expect((JSON.parse(run.stdout) as Doc).nodes[0]!.detail).toMatch(/Back-off pulling image "quay\.io\/tools\/does-not-exist:1"/);
    expect(sandbox.ledger(s.dir).some((e) => e.event === 'pod-created' && e.image === 'quay.io/tools/does-not-exist:1')).toBe(true);
  });

  it('--log-dir saves each raw log, owner-only', () => {
    const dir = join(work, 'logs');
    runVerify(s, [s.image, '--nodes', 'mirrored,untrusted-tls', '--log-dir', dir, '-o', 'json']);
    expect(readdirSync(dir).sort()).toEqual(['mirrored.log', 'untrusted-tls.log']);
    for (const f of readdirSync(dir)) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'untrusted-tls.log'), 'utf8')).toMatch(/level=debug msg="Accessing .* x509: certificate signed by unknown authority/);
  });

  it('pulls into a throwaway store it removes: the node\'s image store gets the image only with --keep-image', () => {
    const hasImage = () => onNode(s, 'with-credentials', ['podman', 'image', 'exists', s.image]) === 0;
    // This run's own store, as podman's debug log names it (`podman --root /var/tmp/oc-icsp-XXXXXX/root`):
    // other suites' runs make and remove stores of their own meanwhile, so a count would not tell.
    const logs = join(work, 'store-logs');
    expect(JSON.parse(runVerify(s, [s.image, '--nodes', 'with-credentials', '--log-dir', logs, '-o', 'json']).stdout).nodes[0].verdict).toBe('mirrored');
    const store = /podman --root (\/var\/tmp\/oc-icsp-\w+)\/root/.exec(readFileSync(join(logs, 'with-credentials.log'), 'utf8'))?.[1];
    expect(store).toMatch(/^\/var\/tmp\/oc-icsp-\w{6}$/);
    expect(onNode(s, 'with-credentials', ['test', '-e', store!])).not.toBe(0);
    expect(hasImage()).toBe(false);
    runVerify(s, [s.image, '--nodes', 'with-credentials', '--keep-image']);
    expect(hasImage()).toBe(true);
    expect(onNode(s, 'with-credentials', ['podman', 'rmi', s.image])).toBe(0);
    expect(hasImage()).toBe(false);
  });

  it('--kubeconfig and --context reach every client call', () => {
    // A kubeconfig of its own elsewhere, whose context `prod` holds a credential of its own: a call
    // that did not get both flags would use the sandbox's kubeconfig and its admin credential.
    const kc = join(work, 'prod-kubeconfig');
    writeFileSync(kc, kubeconfigText(s.api.port, readFileSync(join(s.dir, 'api-tls.crt')), ['admin', 'prod']));
    const before = sandbox.ledger(s.dir).length;
    const run = runVerify(s, [s.image, '--nodes', 'mirrored', '--kubeconfig', kc, '--context', 'prod', '-o', 'json']);
    expect(run.code).toBe(0);
    const seen = requests(s, before);
    expect(seen.length).toBeGreaterThanOrEqual(7);
    expect(new Set(seen.map((r) => r.credential))).toEqual(new Set(['prod']));
  });

  it('no session: exit 2 with advice, before any node', () => {
    sandbox.fault(s, { kind: 'logged-out' });
    try {
      const run = runVerify(s, [s.image]);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe('error: not logged in to a cluster (You must be logged in to the server (Unauthorized)): run `oc login` first\n');
    } finally {
      sandbox.clearFault(s, 'logged-out');
    }
  });
});

describe.skipIf(!canRunSandbox)('--dry-run', () => {
  it('prints each node\'s exact client argv, creates nothing, exits 0', async () => {
    // Earlier runs' namespaces finish terminating first: their removal is not this run's doing.
    await sandbox.settled(s.dir);
    const before = sandbox.ledger(s.dir).length;
    const run = runVerify(s, [s.image, '--nodes', 'mirrored,not-ready', '--dry-run', '-o', 'json']);
    expect(run.code).toBe(0);
    const plan = JSON.parse(run.stdout) as { strategy: string; calls: { node: string | null; argv: string[] }[]; skipped: string[] };
    expect(plan.strategy).toBe('oc debug');
    expect(plan.skipped).toEqual(['not-ready']);
    expect(plan.calls.map((c) => [c.node, c.argv[1], c.argv[2]])).toEqual([
      [null, 'create', '-f'],
      ['mirrored', 'debug', 'node/mirrored'],
      [null, 'delete', 'namespace'],
    ]);
    const argv = plan.calls[1]!.argv;
    expect(argv.slice(argv.indexOf('oc-icsp'))).toEqual([
      'oc-icsp', 'pull', 'no', 'podman', '', '', '', s.image, '--',
      `${s.registries.open.host}/mirror/team/app`, s.registries.open.host,
      `${s.registries.auth.host}/secure/team/app`, s.registries.auth.host,
      `${s.registries.quay.host}/secure/team/app`, s.registries.quay.host,
    ]);
    const events = sandbox.ledger(s.dir).slice(before);
    expect(events.filter((e) => e.event !== 'request')).toEqual([]);
    // Only reads: who am I, then gets (nodes, policies, pools).
    expect(new Set(requests(s, before).map((r) => r.method))).toEqual(new Set(['GET']));
  });
});

describe.skipIf(!canRunSandbox)('Ctrl-C', () => {
  it('stops every debug pod, removes the namespace, exits 130', async () => {
    const before = sandbox.ledger(s.dir).length;
    const { child, done } = startVerify(s, [s.image, '--nodes', 'hangs,pod-fails,mirrored', '--timeout', '60s']);
    await waitFor(() => sandbox.ledger(s.dir).slice(before).filter((e) => e.event === 'pod-created').length >= 2);
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(130);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/interrupted: namespace oc-icsp-\w+ removed/);
    expect(await sandbox.settled(s.dir)).toEqual({ pods: [], namespaces: [], daemonsets: [] });
  });
});

describe.skipIf(!canRunSandbox)('explain and list read the policies from the cluster', () => {
  const run = (args: string[]) => spawnSync(BIN, args, { encoding: 'utf8', env: envFor(s) });

  it('explain: the order the ICSP renders to', () => {
    const r = run(['explain', s.image, '-o', 'json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      from: 'the cluster',
      sources: [
        { reference: `${s.registries.open.host}/mirror/team/app@${s.digest}`, mirror: true },
        { reference: `${s.registries.auth.host}/secure/team/app@${s.digest}`, mirror: true },
        { reference: `${s.registries.quay.host}/secure/team/app@${s.digest}`, mirror: true },
        { reference: s.image, mirror: false },
      ],
    });
  });

  it('list: every entry of the served kinds; the unserved ImageTagMirrorSet is none', () => {
    const r = run(['list', '-o', 'json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).policies.map((p: { kind: string; name: string }) => `${p.kind}/${p.name}`)).toEqual([
      'ImageContentSourcePolicy/sandbox-mirrors',
      'ImageDigestMirrorSet/sandbox-tls-mirror',
      'ImageDigestMirrorSet/sandbox-fallback',
    ]);
  });
});
