// Diagnosis against the sandbox: each node's registries.conf compared with the cluster's
// policies, the cluster proxy as CRI-O would use it, pull-secret coverage behind a 401, a hint
// for every finding, warnings before any pod, the rollout view, and a table that fits the
// terminal (checked in a real pseudo-terminal).
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, canRunSandbox, envFor, proxyLedger, runVerify, type Sandbox, suiteDir, useSandbox } from './helpers.js';

let s: Sandbox;
const work = suiteDir('oc-icsp-diagnose');
useSandbox(work, [
  { name: 'in-sync', config: 'cluster' },
  { name: 'hand-edited', config: 'mirrored', role: 'infra' },
  { name: 'lagging', config: 'no-entry', rollout: true },
  { name: 'no-credentials', config: 'needs-credentials', credentials: false },
  { name: 'quay-missing', config: 'quay-missing' },
  { name: 'proxied', config: 'proxied', proxy: 'working' },
  { name: 'proxy-down', config: 'proxied', proxy: 'dead' },
], (created) => {
  s = created;
});

interface Node {
  name: string;
  verdict: string;
  detail: string;
  hint: string | null;
  pulledFrom: string | null;
  config: { matchesCluster: boolean; sources: { reference: string }[]; expected: { reference: string }[] } | null;
  proxy: { used: boolean; httpsProxy: string | null; noProxy: string | null; mirrorsThroughProxy: string[] } | null;
  credentials: Record<string, boolean>;
}

describe.skipIf(!canRunSandbox)('verify diagnoses', () => {
  let doc: { warnings: string[]; warningReasons: Record<string, unknown>[]; nodes: Node[] };
  let run: ReturnType<typeof runVerify>;
  beforeAll(() => {
    run = runVerify(s, [s.image, '-o', 'json', '--timeout', '60s']);
    doc = JSON.parse(run.stdout);
  });
  const node = (name: string) => doc.nodes.find((n) => n.name === name)!;

  it('verdicts', () => {
    expect(doc.nodes.map((n) => [n.name, n.verdict])).toEqual([
      ['in-sync', 'mirrored'],
      ['hand-edited', 'mirrored'],
      ['lagging', 'not-mirrored'],
      ['no-credentials', 'mirror-failed'],
      ['quay-missing', 'mirror-failed'],
      ['proxied', 'mirrored'],
      ['proxy-down', 'mirror-failed'],
    ]);
  });

  it("a node whose registries.conf resolves the image as the cluster's policies do, and one that does not", () => {
    expect(node('in-sync').config!.matchesCluster).toBe(true);
    expect(node('in-sync').config!.sources.map((x) => x.reference)).toEqual([
      `${s.registries.open.host}/mirror/team/app@${s.digest}`,
      `${s.registries.auth.host}/secure/team/app@${s.digest}`,
      `${s.registries.quay.host}/secure/team/app@${s.digest}`,
      s.image,
    ]);
    expect(node('hand-edited').config).toMatchObject({ matchesCluster: false });
    expect(node('hand-edited').config!.sources.map((x) => x.reference)).toEqual([`${s.registries.open.host}/mirror/team/app@${s.digest}`, s.image]);
    expect(node('lagging').config!.sources.map((x) => x.reference)).toEqual([s.image]);
    expect(doc.warningReasons).toContainEqual({ code: 'config-differs', node: 'hand-edited', image: null, message: "hand-edited: its registries.conf differs from what the cluster's policies render; the MCO will bring it in line" });
    // Said once on stderr with the other nodes that differ alike.
    expect(doc.warnings).toContain("hand-edited, proxied (2 nodes): its registries.conf differs from what the cluster's policies render; the MCO will bring it in line");
  });

  it('hints, one per finding, from the evidence', () => {
    expect(node('in-sync').hint).toBeNull();
    expect(node('lagging').hint).toBe("the node's registries.conf lags the cluster's policies: let its MachineConfigPool finish the rollout (oc icsp status)");
    expect(node('no-credentials').hint).toBe(`${s.registries.auth.host}: add the mirror's credentials to the cluster pull secret (openshift-config/pull-secret)`);
    expect(node('quay-missing').hint).toBe(
      `${s.registries.quay.host}: the node pull secret has credentials for it, so the repository may not exist on this mirror, or these credentials cannot read it`,
    );
    expect(node('proxy-down').hint).toBe(
      `proxied.sandbox.invalid:${s.registries.open.port}: the node reaches it through the cluster proxy (http://127.0.0.1:1), as CRI-O does: add it to proxy/cluster spec.noProxy, or let the proxy reach it`,
    );
  });

  it('the pull secret is asked about hosts and repositories, and nothing secret comes back', () => {
    expect(node('no-credentials').credentials[s.registries.auth.host]).toBe(false);
    expect(node('quay-missing').credentials[s.registries.quay.host]).toBe(true);
    expect(run.stdout).not.toContain(Buffer.from('mirror-reader:sandbox-secret').toString('base64'));
    expect(run.stdout).not.toContain('sandbox-secret');
  });

  it("the cluster proxy is used as CRI-O would use it, and reported", () => {
    expect(node('proxied')).toMatchObject({ verdict: 'mirrored', pulledFrom: `proxied.sandbox.invalid:${s.registries.open.port}/mirror/team/app@${s.digest}` });
    expect(node('proxied').proxy).toEqual({
      used: true,
      httpsProxy: `http://${s.proxy.host}`,
      noProxy: '.cluster.local,.svc,10.0.0.0/16,10.128.0.0/14,127.0.0.1,172.30.0.0/16,api-int.sandbox.invalid,localhost',
      mirrorsThroughProxy: [`proxied.sandbox.invalid:${s.registries.open.port}`],
    });
    expect(proxyLedger(s).some((e) => e.host.startsWith(`proxied.sandbox.invalid:${s.registries.open.port}`))).toBe(true);
    expect(node('in-sync').proxy).toBeNull();
  });

  it('warns, before any pod, about a pool still rolling out', () => {
    expect(doc.warnings).toContain('MachineConfigPool worker is still updating (5/6 machines updated): nodes may not have the latest mirror configuration yet (oc icsp status)');
  });
});

describe.skipIf(!canRunSandbox)('warnings before any pod', () => {
  it('a tag under digest-only policies: no mirror will be tried', () => {
    const r = runVerify(s, [s.tagImage, '--nodes', 'in-sync', '-o', 'json']);
    const d = JSON.parse(r.stdout) as { warnings: string[]; nodes: Node[] };
    expect(d.warnings).toContain(
      `${s.tagImage}: a tag pull, and ImageContentSourcePolicy/sandbox-mirrors mirror digest pulls only: pull by digest or add an ImageTagMirrorSet`,
    );
    expect(d.nodes[0]).toMatchObject({ verdict: 'not-mirrored', hint: 'pull by digest, or add an ImageTagMirrorSet for the repository' });
  });

  it('no policy covers the image', () => {
    const image = `registry.elsewhere.invalid/x/y@${s.digest}`;
    const r = runVerify(s, [image, '--nodes', 'in-sync', '-o', 'json']);
    const d = JSON.parse(r.stdout) as { warnings: string[]; nodes: Node[] };
    expect(d.warnings).toContain(`no ImageContentSourcePolicy, ImageDigestMirrorSet or ImageTagMirrorSet covers ${image}: nodes pull it from its source`);
    expect(d.nodes[0]!.hint).toBe('no mirror policy covers this image: add an ImageDigestMirrorSet (digest pulls) or an ImageTagMirrorSet (tag pulls) for its repository');
  });
});

describe.skipIf(!canRunSandbox)('verify without IMAGE', () => {
  it('checks what running pods use from mirrored repositories, by digest', () => {
    const r = runVerify(s, ['--nodes', 'in-sync', '-o', 'json']);
    const d = JSON.parse(r.stdout) as { images: string[]; warnings: string[]; nodes: (Node & { image: string })[] };
    expect(d.images).toEqual([s.image]);
    expect(d.warnings).toContain(`checking ${s.image} (runs in team/app-7d9f) for registry.sandbox.invalid/team`);
    expect(d.nodes.map((n) => [n.name, n.image, n.verdict])).toEqual([['in-sync', s.image, 'mirrored']]);
  });
});

describe.skipIf(!canRunSandbox)('status', () => {
  it('pools, nodes, the rendered registries.conf; exit 1 while a node lags', () => {
    const r = spawnSync(BIN, ['status', '-o', 'json'], { encoding: 'utf8', env: envFor(s) });
    expect(r.status).toBe(1);
    const d = JSON.parse(r.stdout);
    expect(d.pools).toEqual([
      expect.objectContaining({ name: 'worker', machineCount: 6, updatedMachineCount: 5, updating: true, degraded: false, registries: { present: true, matchesPolicies: true } }),
      expect.objectContaining({ name: 'infra', machineCount: 1, updatedMachineCount: 1, updating: false, registries: { present: true, matchesPolicies: true } }),
    ]);
    expect(d.nodes.find((n: { name: string }) => n.name === 'lagging')).toEqual({
      name: 'lagging', pool: 'worker', currentConfig: 'rendered-worker-1', desiredConfig: 'rendered-worker-2', state: 'Working', upToDate: false,
    });
    expect(d.nodes.find((n: { name: string }) => n.name === 'hand-edited')).toMatchObject({ pool: 'infra', upToDate: true });
  });

  it('exit 0 when every selected node is up to date; tables', () => {
    const r = spawnSync(BIN, ['status', '-l', 'node-role.kubernetes.io/infra'], { encoding: 'utf8', env: envFor(s) });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^POOL +UPDATED +READY +DEGRADED +UNAVAILABLE +UPDATING +REGISTRIES.CONF\n/);
    expect(r.stdout).toMatch(/\nhand-edited +infra +Done +yes +rendered-infra-2\n/);
  });
});
