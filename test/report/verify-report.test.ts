import { describe, expect, it } from 'vitest';
import type { VerifyResult } from '../../src/app/verify.js';
import { renderPlan, shellQuote } from '../../src/report/plan-report.js';
import { policyHeader, renderVerify, summaryLine, verifyDocument } from '../../src/report/verify-report.js';
import { ansi } from '../../src/report/colors.js';

const IMAGE = 'registry.example.com/team/app@sha256:' + 'e'.repeat(64);
const result: VerifyResult = {
  image: IMAGE,
  policies: [{ kind: 'ImageContentSourcePolicy', name: 'mirrors', source: 'registry.example.com/team', mirrors: ['mirror.example:5000/team'], pull: 'digest', sourcePolicy: 'AllowContactingSource' }],
  warnings: [],
  nodes: [
    {
      name: 'worker-0', verdict: 'mirrored', pulledFrom: `mirror.example:5000/team/app@sha256:${'e'.repeat(64)}`, detail: 'pulled from a mirror', durationMs: 412,
      attempts: [{ reference: `mirror.example:5000/team/app@sha256:${'e'.repeat(64)}`, mirror: true, ok: true, reason: null, message: null }],
      podman: '4.3.1', imageWasPresent: false, imageRemoved: true,
    },
    { name: 'worker-1', verdict: 'skipped', pulledFrom: null, detail: 'node is not Ready: Kubelet stopped posting node status.', durationMs: 0, attempts: [], podman: null, imageWasPresent: null, imageRemoved: false },
  ],
  summary: { mirrored: 1, 'mirror-failed': 0, 'not-mirrored': 0, error: 0, skipped: 1 },
  namespace: 'oc-icsp-x7k2p',
  namespaceDeleted: true,
  interrupted: false,
};

describe('verify report', () => {
  it('table: kubectl style, the digest cut from PULLED FROM', async () => {
    expect(await renderVerify(result, 'table')).toBe(
      [
        'NODE       VERDICT    PULLED FROM                    DETAIL',
        'worker-0   mirrored   mirror.example:5000/team/app   pulled from a mirror',
        'worker-1   skipped    -                              node is not Ready: Kubelet stopped posting node status.',
        '',
      ].join('\n'),
    );
  });
  it('wide: one more column with every attempt', async () => {
    const text = await renderVerify(result, 'wide');
    expect(text.split('\n')[0]).toBe('NODE       VERDICT    PULLED FROM                    DETAIL                                                    ATTEMPTS');
    expect(text).toContain(`mirror mirror.example:5000/team/app@sha256:${'e'.repeat(64)} ok`);
  });
  it('colour only where asked', async () => {
    expect(await renderVerify(result, 'table', ansi)).toContain('\u001b[32mmirrored\u001b[0m');
  });
  it('json: one document, the contract fields', async () => {
    const doc = JSON.parse(await renderVerify(result, 'json'));
    expect(doc).toEqual(verifyDocument(result));
    expect(Object.keys(doc)).toEqual(['image', 'policies', 'warnings', 'nodes', 'summary']);
    expect(Object.keys(doc.nodes[0])).toEqual(['name', 'verdict', 'pulledFrom', 'attempts', 'detail', 'durationMs', 'podman', 'imageWasPresent', 'imageRemoved']);
  });
  it('yaml: the same document', async () => {
    const { parse } = await import('yaml');
    expect(parse(await renderVerify(result, 'yaml'))).toEqual(verifyDocument(result));
  });
  it('header and summary lines for stderr', () => {
    expect(policyHeader(result)).toEqual([
      `image ${IMAGE}, covered by:`,
      '  ImageContentSourcePolicy/mirrors: registry.example.com/team -> mirror.example:5000/team [digest pulls]',
    ]);
    expect(summaryLine(result)).toBe('2 node(s): 1 mirrored, 1 skipped');
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
          { node: 'w0', argv: ['/usr/bin/oc', 'debug', 'node/w0', '--to-namespace=oc-icsp-<generated>', '--', 'sh', '-c', "echo 'hi' $1", 'x'] },
          { node: null, argv: ['/usr/bin/oc', 'delete', 'namespace', 'oc-icsp-<generated>'] },
        ],
        skipped: ['w1'],
      },
      'table',
    );
    expect(text).toBe(
      [
        '# oc debug: nothing below has run',
        '# the run',
        "/usr/bin/oc create -f - -o name <<'STDIN'",
        '{"kind":"Namespace"}',
        'STDIN',
        '# w0',
        "/usr/bin/oc debug node/w0 '--to-namespace=oc-icsp-<generated>' -- sh -c 'echo '\\''hi'\\'' $1' x",
        '# the end of the run',
        "/usr/bin/oc delete namespace 'oc-icsp-<generated>'",
        '# w1: not Ready, skipped',
        '',
      ].join('\n'),
    );
  });
  it('quotes what a shell would read otherwise', () => {
    expect(['a', 'node/w0', '$(id)', "it's", '', 'a b'].map(shellQuote)).toEqual(['a', 'node/w0', "'$(id)'", "'it'\\''s'", "''", "'a b'"]);
  });
});
