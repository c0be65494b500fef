import { describe, expect, it } from 'vitest';
import type { VerifyResult } from '../../src/app/verify.js';
import { renderPlan, shellQuote } from '../../src/report/plan-report.js';
import { policyHeader, renderVerify, summaryLine, verifyDocument } from '../../src/report/verify-report.js';
import { ansi, plain } from '../../src/report/colors.js';
import { openClient } from '../../src/oc/client.js';
import { nodeCommand } from '../../src/node-check/node-script.js';
import { fakeRunner } from '../fake-runner.js';

const IMAGE = 'registry.example.com/team/app@sha256:' + 'e'.repeat(64);
const result: VerifyResult = {
  clientName: 'oc',
  invokedAs: 'oc icsp',
  image: IMAGE,
  images: [IMAGE],
  picked: false,
  check: 'pull',
  strategy: 'oc debug',
  policies: [{ kind: 'ImageContentSourcePolicy', name: 'mirrors', source: 'registry.example.com/team', mirrors: ['mirror.example:5000/team'], pull: 'digest', sourcePolicy: 'AllowContactingSource' }],
  warnings: [],
  nodes: [
    {
      name: 'worker-0', verdict: 'mirrored', pulledFrom: `mirror.example:5000/team/app@sha256:${'e'.repeat(64)}`, reason: { code: 'served-by-mirror', failedFirst: [] }, durationMs: 412,
      attempts: [{ reference: `mirror.example:5000/team/app@sha256:${'e'.repeat(64)}`, mirror: true, ok: true, reason: null, message: null }],
      imageWasPresent: false, imageRemoved: true, image: IMAGE, engines: null, disagreement: null, now: null,
      facts: { config: null, proxy: null, credentials: {}, crioConfig: null, lowDisk: null, probeConfig: null, signatures: null, podman: '4.3.1', fingerprint: null }, factWarnings: [],
    },
    {
      name: 'worker-1', verdict: 'skipped', pulledFrom: null, reason: { code: 'node-not-ready', why: 'Kubelet stopped posting node status.' }, durationMs: 0,
      attempts: [], imageWasPresent: null, imageRemoved: false, image: IMAGE, engines: null, disagreement: null, now: null,
      facts: { config: null, proxy: null, credentials: {}, crioConfig: null, lowDisk: null, probeConfig: null, signatures: null, podman: null, fingerprint: null }, factWarnings: [],
    },
  ],
  notCovered: [],
  summary: { mirrored: 1, 'mirror-failed': 0, 'not-mirrored': 0, error: 0, skipped: 1 },
  namespace: 'oc-icsp-x7k2p',
  namespaceDeleted: true,
  interrupted: false,
  composed: null,
  borrowed: [],
  proposal: null,
};

describe('verify report', () => {
  it('table: kubectl style, the digest cut from PULLED FROM, the short detail', async () => {
    expect(await renderVerify(result, 'table')).toBe(
      [
        'NODE       VERDICT    PULLED FROM                    DETAIL',
        'worker-0   mirrored   mirror.example:5000/team/app   served by a mirror',
        'worker-1   skipped    -                              not Ready',
        '',
      ].join('\n'),
    );
  });
  it('wide: the full detail, the hint and every attempt', async () => {
    const text = await renderVerify(result, 'wide');
    expect(text.split('\n')[0]).toMatch(/^NODE +VERDICT +PULLED FROM +ATTEMPTS +DETAIL$/);
    expect(text).toContain('node is not Ready: Kubelet stopped posting node status.');
    // Each attempt on its own line under its node, the digest (known from the header) left out.
    expect(text.split('\n')[2]).toBe('    mirror mirror.example:5000/team/app: ok');
    for (const line of text.split('\n')) expect(line.length).toBeLessThan(200);
  });
  it('a hint line under the table for each node that has one; rows cut to the width', async () => {
    const failing = {
      ...result,
      nodes: [
        result.nodes[0]!,
        {
          ...result.nodes[1]!,
          verdict: 'mirror-failed' as const,
          reason: { code: 'mirror-manifest-unknown' as const, mirror: 'mirror.example:5000', mirrors: 1, source: 'dns' as const, credentials: null, proxy: null },
        },
      ],
    };
    const text = await renderVerify(failing, 'table', plain, 60);
    const lines = text.split('\n');
    for (const line of lines.slice(0, 3)) expect(line.length).toBeLessThanOrEqual(60);
    expect(lines[2]).toMatch(/^worker-1 {3}mirror-failed {3}- {2} +manifest-un…$/);
    // What the row lost, in full, and the advice: one line.
    expect(lines.slice(3)).toEqual([
      '',
      'worker-0: served by a mirror (from mirror.example:5000/team/app)',
      'worker-1: manifest-unknown on mirror, source: dns; mirror.example:5000: the image is not on this mirror: mirror it there (oc mirror, or oc image mirror)',
      '',
    ]);
  });
  it('a node name too long for PULLED FROM at 80 columns: the column goes, and a line under the table gives the source', async () => {
    const long = { ...result, nodes: [{ ...result.nodes[0]!, name: 'worker-0.compute.eu-west-1a.cluster-a.corp.example.com' }] };
    const text = await renderVerify(long, 'table', plain, 80);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^NODE +VERDICT +DETAIL$/);
    for (const line of lines.slice(0, 2)) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines.slice(2)).toEqual(['', 'worker-0.compute.eu-west-1a.cluster-a.corp.example.com: served by a mirror (from mirror.example:5000/team/app)', '']);
  });
  it('colour only where asked', async () => {
    expect(await renderVerify(result, 'table', ansi)).toContain('\u001b[32mmirrored\u001b[0m');
  });
  it('json: one document, the contract fields', async () => {
    const doc = JSON.parse(await renderVerify(result, 'json'));
    expect(doc).toEqual({ apiVersion: 'oc-icsp/v3', kind: 'Verify', ...(verifyDocument(result) as object) });
    expect(Object.keys(doc)).toEqual(['apiVersion', 'kind', 'image', 'images', 'picked', 'check', 'strategy', 'policies', 'warnings', 'warningReasons', 'nodes', 'notCovered', 'summary', 'proposal']);
    expect(Object.keys(doc.nodes[0])).toEqual([
      'name', 'image', 'verdict', 'code', 'reason', 'pulledFrom', 'attempts', 'detail', 'hint', 'config', 'proxy', 'credentials', 'crioConfig', 'lowDisk', 'probeConfig', 'signatures', 'podman',
      'fingerprint', 'engines', 'disagreement', 'now', 'durationMs', 'imageWasPresent', 'imageRemoved',
    ]);
  });
  it('yaml: the same document', async () => {
    const { parse } = await import('yaml');
    expect(parse(await renderVerify(result, 'yaml'))).toEqual({ apiVersion: 'oc-icsp/v3', kind: 'Verify', ...(verifyDocument(result) as object) });
  });
  it('header and summary lines for stderr', () => {
    expect(policyHeader(result)).toEqual([
      `image ${IMAGE}, covered by:`,
      '  ImageContentSourcePolicy/mirrors: registry.example.com/team -> mirror.example:5000/team [digest pulls]',
    ]);
    expect(summaryLine(result)).toBe('2 node(s): 1 mirrored, 1 skipped');
    // Nodes, not results: three nodes checked for two images are three nodes.
    const OTHER = 'registry.example.com/team/db@sha256:' + 'f'.repeat(64);
    const twice = { ...result, images: [IMAGE, OTHER], nodes: ['a', 'b', 'c'].flatMap((name) => [IMAGE, OTHER].map((image) => ({ ...result.nodes[0]!, name, image }))), summary: { ...result.summary, mirrored: 5, skipped: 1 } };
    expect(summaryLine(twice)).toBe('3 node(s) x 2 images: 5 mirrored, 1 skipped');
    expect(policyHeader({ ...result, policies: [] })).toEqual([`image ${IMAGE}: no mirror policy covers it`]);
  });
});

describe('dry-run plan', () => {
  it('shell lines a person can read and paste; stdin as a here-document', async () => {
    const text = await renderPlan(
      {
        strategy: 'oc debug',
        calls: [
          { node: null, argv: ['/usr/bin/oc', 'create', '-f', '-', '-o', 'name'], stdin: '{"kind":"Namespace"}' },
          {
            node: 'w0',
            argv: ['/usr/bin/oc', 'debug', 'node/w0', '--to-namespace=oc-icsp-<generated>', '--', 'sh', '-c', "echo 'hi' $1", 'x'],
            template: { argv: ['/usr/bin/oc', 'debug', 'node/NODE', '--to-namespace=oc-icsp-<generated>', '--', 'sh', '-c', "echo 'hi' $1", 'x'] },
          },
          { node: null, argv: ['/usr/bin/oc', 'delete', 'namespace', 'oc-icsp-<generated>'] },
        ],
        skipped: ['w1'],
      },
      'table',
    );
    expect(text).toBe(
      [
        '# oc debug: nothing below has run',
        '# a run would make its own namespace (and delete it at the end) and reach 1 node(s): w0',
        '# the run',
        "/usr/bin/oc create -f - -o name <<'STDIN'",
        '{"kind":"Namespace"}',
        'STDIN',
        '# for each NODE',
        "/usr/bin/oc debug node/NODE '--to-namespace=oc-icsp-<generated>' -- sh -c 'echo '\\''hi'\\'' $1' x",
        '# the end of the run',
        "/usr/bin/oc delete namespace 'oc-icsp-<generated>'",
        '# w1: not Ready, skipped',
        '',
      ].join('\n'),
    );
  });
  it('many nodes: the calls once, NODE for the name; the json keeps every node\'s', async () => {
    const argv = (node: string) => ['/usr/bin/oc', 'debug', `node/${node}`, '--', 'chroot', '/host', 'sh', '-c', 'a long node script'];
    const call = (node: string) => ({ node, argv: argv(node), template: { argv: argv('NODE') } });
    const plan = { strategy: 'oc debug', calls: ['w0', 'w1', 'w2', 'w3', 'w4', 'w5', 'w6'].map(call), skipped: [] };
    const text = await renderPlan(plan, 'table');
    expect(text.match(/a long node script/g)).toHaveLength(1);
    expect(text).toContain('# a run would make nothing of its own and reach 7 node(s): w0, w1, w2, w3, w4 and 2 more\n# for each NODE (7 of them)\n/usr/bin/oc debug node/NODE');
    const calls = JSON.parse(await renderPlan(plan, 'json')).calls;
    expect(calls).toHaveLength(7);
    expect(calls[6]).toEqual({ node: 'w6', argv: argv('w6') });
  });
  // Small clusters name nodes with common words: only the fields that hold the node's name may
  // say NODE, never a substring of the image, the pod's other fields or the script.
  it.each([
    ['oc', 'node/NODE', '/usr/bin/oc'],
    ['kubectl', '"nodeName":"NODE"', '/usr/bin/kubectl'],
  ] as const)('%s: nodes named node, worker and crio leave the image, the pod and the script whole', async (client, nodeField, binary) => {
    const image = 'quay.io/node/worker@sha256:' + 'c'.repeat(64);
    const command = nodeCommand({ images: [image], check: 'pull', keepImage: false, repositories: ['mirror.node.example/worker'] });
    const runner = openClient(client, fakeRunner([], binary)).nodeRunner({ image: 'mirror.node.example/crio/tools:1' });
    const text = await renderPlan({ strategy: runner.strategy, calls: runner.plan(['node', 'worker', 'crio'], command), skipped: [] }, 'table');
    expect(text).toContain('reach 3 node(s): node, worker, crio');
    expect(text).toContain(nodeField);
    for (const whole of [image, 'mirror.node.example/worker', 'mirror.node.example/crio/tools:1', 'journalctl -u crio', '/var/lib/kubelet/config.json']) expect(text).toContain(whole);
    expect(text).not.toMatch(/quay\.io\/NODE|NODE\/tools|-u NODE|kubelet\/NODE/);
  });
  it('quotes what a shell would read otherwise', () => {
    expect(['a', 'node/w0', '$(id)', "it's", '', 'a b'].map(shellQuote)).toEqual(['a', 'node/w0', "'$(id)'", "'it'\\''s'", "''", "'a b'"]);
  });
});

describe('grouped', () => {
  it('one row per outcome, findings first, names folded', async () => {
    const failed = { code: 'mirror-manifest-unknown' as const, mirror: 'mirror.example:5000', mirrors: 1, source: 'dns' as const, credentials: null, proxy: null };
    const n = (name: string, verdict: 'mirrored' | 'mirror-failed') => ({
      ...result.nodes[0]!,
      name,
      verdict,
      reason: verdict === 'mirrored' ? result.nodes[0]!.reason : failed,
      pulledFrom: verdict === 'mirrored' ? result.nodes[0]!.pulledFrom : null,
    });
    const nodes = [
      ...Array.from({ length: 197 }, (_, i) => n(`worker-${i}`, 'mirrored')),
      n('infra-1', 'mirrored'),
      n('worker-197', 'mirror-failed'),
      n('worker-199', 'mirror-failed'),
    ];
    const text = await renderVerify({ ...result, nodes }, 'table', plain, undefined, true);
    expect(text.split('\n')).toEqual([
      'VERDICT         COUNT   PULLED FROM                    DETAIL                                    NODES',
      'mirror-failed   2       -                              manifest-unknown on mirror, source: dns   worker-[197,199]',
      'mirrored        198     mirror.example:5000/team/app   served by a mirror                        infra-1, worker-[0-196]',
      '',
      'worker-[197,199]: mirror.example:5000: the image is not on this mirror: mirror it there (oc mirror, or oc image mirror)',
      '',
    ]);
  });
});

describe('-o wide with long names', () => {
  it('puts the detail, then where from, under the row where the row would pass 200 columns', async () => {
    const long = `${'worker-0.a-very-long-availability-zone-name.compute'.padEnd(63, 'x')}`;
    const deep = `mirror.example.corp.internal:5000/${'organisation/'.repeat(6)}team/app@sha256:${'e'.repeat(64)}`;
    const wideResult = { ...result, nodes: result.nodes.map((n) => ({ ...n, name: long, pulledFrom: n.pulledFrom && deep })) };
    const text = await renderVerify(wideResult, 'wide');
    for (const line of text.split('\n')) if (!line.startsWith('    ')) expect(line.length, line).toBeLessThan(200);
    expect(text.split('\n')[0]).toMatch(/^NODE +VERDICT +ATTEMPTS$/);
    expect(text).toContain(`\n    from: ${deep.split('@')[0]}\n    served by a mirror\n`);
    // Short names keep the DETAIL column.
    expect((await renderVerify(result, 'wide')).split('\n')[0]).toMatch(/DETAIL$/);
  });
});
