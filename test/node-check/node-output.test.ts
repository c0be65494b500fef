// Whole node outputs as `oc icsp verify --log-dir` saved them from the sandbox (scripts/capture-fixtures.mjs).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evidenceOf, type NodeReport, readNodeOutput } from '../../src/node-check/node-output.js';
import type { Expectation, RunEnd } from '../../src/pull-log/evidence.js';
import { decideVerdict } from '../../src/pull-log/verdict.js';
import { applyPullError } from '../../src/pull-log/crio-journal.js';
import { asCrioEvidence, crioImagePull } from '../../src/pull-log/crio-pull.js';
import { said } from '../words.js';

const saidVerdict = (image: string, report: NodeReport, end: RunEnd, expectation?: Expectation) => said(decideVerdict(image, evidenceOf(report), end, expectation));

const DIGEST = 'sha256:ed0758f0c3025b18efd9a6be002cb052ea209fee69fabe818979512ae18433c0';
const IMAGE = `registry.sandbox.invalid/team/app@${DIGEST}`;
const TAG_IMAGE = 'registry.sandbox.invalid/team/app:v1';
const END: RunEnd = { status: 'exited', clientSaid: null, timeoutMs: 300_000 };

function fixture(name: string) {
  const text = readFileSync(`test/fixtures/node-logs/${name}.log`, 'utf8');
  // --log-dir prefixes oc's own stderr lines; on the wire they come on another stream.
  const stdout = text.split('\n').filter((l) => !l.startsWith('[oc] ')).join('\n');
  return readNodeOutput(stdout);
}

describe('node outputs captured in the sandbox', () => {
  // The detail says what happened; the advice is the hint's alone (one finding, one piece of advice).
  const cases: [string, string, string, string | null, string, string?][] = [
    ['digest-mirrored', IMAGE, 'mirrored', '/mirror/team/app', 'served by a mirror'],
    ['digest-needs-credentials', IMAGE, 'mirrored', '/secure/team/app', 'served by a mirror'],
    [
      'digest-missing-credentials', IMAGE, 'mirror-failed', null,
      'mirror unauthorized; the source failed too (dns)', "add the mirror's credentials to the cluster pull secret (openshift-config/pull-secret)",
    ],
    [
      'digest-not-on-mirror', IMAGE, 'mirror-failed', null,
      'mirror manifest-unknown; the source failed too (dns)', 'the image is not on this mirror: mirror it there (oc mirror, or oc image mirror)',
    ],
    [
      'digest-untrusted-tls', IMAGE, 'mirror-failed', null,
      'mirror tls; the source failed too (dns)', 'spec.additionalTrustedCA',
    ],
    ['digest-no-entry', IMAGE, 'not-mirrored', null, 'no mirror was tried: no mirror policy covers this image; the source failed (dns)'],
    ['tag-mirrored', TAG_IMAGE, 'not-mirrored', null, 'no mirror was tried: no mirror policy covers this image; the source failed (dns)'],
    [
      'digest-quay-missing', IMAGE, 'mirror-failed', null,
      'mirror unauthorized; the source failed too (dns)', 'the node pull secret has credentials for it, so the repository may not exist on this mirror',
    ],
    ['digest-proxied', IMAGE, 'mirrored', 'proxied.sandbox.invalid:', 'served by a mirror'],
    [
      'digest-proxy-down', IMAGE, 'mirror-failed', null,
      'mirror connection-refused; the source failed too (connection-refused)',
    ],
  ];
  for (const [name, image, verdict, pulledFrom, detail, advice] of cases) {
    it(name, () => {
      const report = fixture(name);
      expect(report.facts.podman).toBe('4.3.1');
      expect(report.pulls.map((p) => p.presentBefore)).toEqual([false]);
      const result = saidVerdict(image, report, END);
      expect(result.verdict).toBe(verdict);
      if (pulledFrom) expect(result.pulledFrom).toContain(pulledFrom);
      else expect(result.pulledFrom).toBeNull();
      expect(result.detail).toBe(detail);
      if (advice) expect(result.hint).toContain(advice);
      if (verdict === 'mirror-failed') expect(result.hint).not.toBeNull();
    });
  }

  it('a mirror that answers 401 to a node that has its credentials: no advice to add them', () => {
    const result = saidVerdict(IMAGE, fixture('digest-quay-missing'), END);
    expect(`${result.detail} ${result.hint}`).not.toMatch(/add them to the cluster pull secret/);
  });

  it('reports each image pulled, its exit code and its removal', () => {
    expect(fixture('digest-mirrored').pulls).toMatchObject([{ image: IMAGE, presentBefore: false, exitCode: 0, removed: 'yes' }]);
    expect(fixture('digest-no-entry').pulls).toMatchObject([{ image: IMAGE, exitCode: 125, removed: null }]);
  });

  it("reads the node's proxy.env, with no password in it, and the pull-secret answers", () => {
    const proxied = fixture('digest-proxied');
    expect(Object.keys(proxied.facts.proxy!)).toEqual(['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY']);
    expect(proxied.facts.proxy!.NO_PROXY).toBe('.cluster.local,.svc,localhost');
    expect(proxied.facts.proxy!.HTTPS_PROXY).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(fixture('digest-mirrored').facts.proxy).toBeNull();
    const quay = fixture('digest-quay-missing').facts.credentials;
    expect(Object.values(quay)).toContain(true);
    expect(Object.keys(quay).every((k) => /^127\.0\.0\.1:\d+(\/[a-z/]+)?$/.test(k))).toBe(true);
    expect(fixture('digest-missing-credentials').facts.credentials).toSatisfy((c: Record<string, boolean>) => Object.values(c).includes(false));
  });

  it('an older log without image markers is still one pull', () => {
    const legacy = fixture('legacy-digest-mirrored');
    expect(legacy.pulls).toMatchObject([{ image: null, exitCode: 0, removed: 'yes' }]);
    expect(saidVerdict(IMAGE, legacy, END).verdict).toBe('mirrored');
  });

  it("carries the node's registries.conf for the diagnosis", () => {
    const report = fixture('digest-untrusted-tls');
    expect(report.facts.config.map((f) => f.path)).toEqual(['/etc/containers/registries.conf']);
    expect(report.facts.config[0]!.text).toContain('[[registry.mirror]]');
    expect(report.facts.config[0]!.text).toContain('pull-from-mirror = "digest-only"');
  });

  it('marks each attempt as mirror or source', () => {
    const result = saidVerdict(IMAGE, fixture('digest-missing-credentials'), END);
    expect(result.attempts.map((a) => [a.mirror, a.ok, a.reason])).toEqual([
      [true, false, 'unauthorized'],
      [false, false, 'dns'],
    ]);
  });
});

describe('runs that did not complete', () => {
  const text = readFileSync('test/fixtures/node-logs/digest-mirrored.log', 'utf8');
  const lines = text.split('\n').filter((l) => !l.startsWith('[oc] '));

  it('an output cut before the pull result is an error, never a verdict on the mirror', () => {
    const cut = lines.slice(0, lines.findIndex((l) => l.includes('pull-exit')));
    const result = saidVerdict(IMAGE, readNodeOutput(cut.join('\n')), { ...END, clientSaid: 'non-zero exit code from debug container' });
    expect(result.verdict).toBe('error');
    expect(result.detail).toBe('debug pod failed: non-zero exit code from debug container; a mirror had served the image by then');
    expect(result.pulledFrom).toBeNull();
  });

  it('a timeout says so, in the words the client last said', () => {
    const result = saidVerdict(IMAGE, readNodeOutput(''), {
      ...END,
      status: 'timed-out',
      timeoutMs: 90_000,
      clientSaid: 'Container container-00 is unable to start due to an error: Back-off pulling image "registry.redhat.io/rhel9/support-tools"',
    });
    expect(result).toMatchObject({ verdict: 'error', pulledFrom: null });
    expect(result.detail).toBe(
      'timed out after 1m30s; oc said: Container container-00 is unable to start due to an error: Back-off pulling image "registry.redhat.io/rhel9/support-tools"',
    );
  });

  it('an interrupted node is interrupted, whatever it printed', () => {
    expect(saidVerdict(IMAGE, fixture('digest-mirrored'), { ...END, status: 'interrupted' })).toMatchObject({ verdict: 'error', pulledFrom: null, detail: 'interrupted; a mirror had served the image by then' });
  });

  it('podman failing before any attempt is an error with its message', () => {
    const output = ['::oc-icsp:: section pull', 'Error: credential file is not accessible: stat /var/lib/kubelet/config.json: no such file or directory', '::oc-icsp:: pull-exit 125', '::oc-icsp:: end'];
    const result = saidVerdict(IMAGE, readNodeOutput(output.join('\n')), END);
    expect(result).toMatchObject({ verdict: 'error', detail: 'podman could not pull: credential file is not accessible: stat /var/lib/kubelet/config.json: no such file or directory' });
  });

  it('a node without podman says so', () => {
    const output = ['::oc-icsp:: section pull', '/bin/sh: 1: podman: not found', '::oc-icsp:: pull-exit 127', '::oc-icsp:: end'];
    const result = saidVerdict(IMAGE, readNodeOutput(output.join('\n')), END);
    expect(result).toMatchObject({ verdict: 'error', detail: 'podman could not pull: /bin/sh: 1: podman: not found' });
  });

  it('a client that could not start is an error', () => {
    const result = saidVerdict(IMAGE, readNodeOutput(''), { ...END, status: 'could-not-start', clientSaid: 'could not run the client: spawn oc ENOENT' });
    expect(result).toMatchObject({ verdict: 'error', detail: 'could not run the client: spawn oc ENOENT' });
  });
});

describe('expectations explain a node that tried no mirror', () => {
  // Made in each test: mutation testing credits a test only with the code that runs in it.
  const reportOf = () => fixture('digest-no-entry');
  it('policy covers it but the node lacks the entry', () => {
    const report = reportOf();
    const result = saidVerdict(IMAGE, report, END, { coveredBy: ['ImageContentSourcePolicy/x', 'ImageDigestMirrorSet/y'] });
    expect(result.detail).toMatch(/^no mirror was tried although ImageContentSourcePolicy\/x, ImageDigestMirrorSet\/y covers it: the node.s registries.conf lags \(see oc get mcp\)/);
    expect(said(decideVerdict(IMAGE, evidenceOf(report), END, { coveredBy: ['ImageContentSourcePolicy/x'] }), { clientName: 'kubectl' }).detail).toMatch(/\(see kubectl get mcp\)/);
  });
  it('tag pull under digest-only mirrors', () => {
    const result = saidVerdict(TAG_IMAGE, fixture('tag-mirrored'), END, { coveredBy: [], mismatch: { kind: 'tag-pull-digest-mirrors', policies: ['ImageContentSourcePolicy/x'] } });
    expect(result.detail).toMatch(/^no mirror was tried: a tag pull, and ImageContentSourcePolicy\/x mirror digest pulls only: pull by digest or add an ImageTagMirrorSet; /);
    expect(result.summary).toMatch(/^no mirror tried \(tag pull\)/);
  });
});

describe('crictl errors with several mirrors', () => {
  // podman's error for two refused mirrors and an unknown source (test/fixtures/podman-two-mirrors):
  // the same containers/image text CRI-O returns to crictl, which ends with
  // logrus.Fatalf("pulling image: %v") (cri-tools cmd/crictl/image.go), Go-quoted by logrus.
  const stderr = readFileSync('test/fixtures/podman-two-mirrors/stderr', 'utf8');
  const error = stderr.slice(stderr.indexOf('\nError: ') + '\nError: '.length).trimEnd();
  const fatal = `time="2026-11-30T06:00:00Z" level=fatal msg=${JSON.stringify(`pulling image: rpc error: code = Unknown desc = ${error}`)}`;
  const output = ['::oc-icsp:: image x', '::oc-icsp:: section crictl', fatal, '::oc-icsp:: crictl-exit 1', ''].join('\n');

  it('keeps the newline between the mirrors, as Go unquotes it', () => {
    expect(error).toContain(']\n[127.0.0.1:2/second/team/app@');
    expect(readNodeOutput(output).crio[0]!.error).toBe(error);
  });

  it('gives each mirror its own reason and message', () => {
    const attempts = ['127.0.0.1:1/mirror/team/app', '127.0.0.1:2/second/team/app', 'registry.sandbox.invalid/team/app'].map((r) => ({ reference: `${r}@${DIGEST}`, at: '', reason: null, message: null }));
    applyPullError(attempts, readNodeOutput(output).crio[0]!.error!);
    expect(attempts.map((a) => a.reason)).toEqual(['connection-refused', 'connection-refused', 'dns']);
    expect(attempts[0]!.message).toBe('pinging container registry 127.0.0.1:1: Get "http://127.0.0.1:1/v2/": dial tcp 127.0.0.1:1: connect: connection refused');
  });
});

describe('a pull through CRI-O, as the verdict reads it (crio-pull.ts)', () => {
  const stderr = readFileSync('test/fixtures/podman-two-mirrors/stderr', 'utf8');
  const error = stderr.slice(stderr.indexOf('\nError: ') + '\nError: '.length).trimEnd();
  const tried = ['127.0.0.1:1/mirror/team/app', '127.0.0.1:2/second/team/app', 'registry.sandbox.invalid/team/app'].map((r) => ({ reference: `${r}@${DIGEST}`, at: '06:00:00', reason: null, message: null }));
  const journal = (attempts: typeof tried) => ({ host: 'n', image: `registry.sandbox.invalid/team/app@${DIGEST}`, id: 'a', at: '06:00:00', attempts, outcome: 'failed' as const, error: null, pulledRef: null });

  it('failed: each attempt its reason from CRI-O\'s error, none ok, the error kept', () => {
    const pull = crioImagePull({ image: `registry.sandbox.invalid/team/app@${DIGEST}`, exitCode: 1, error, journal: journal(tried) });
    expect(pull.log.pulled).toBe(false);
    expect(pull.log.error).toBe(error);
    expect(pull.log.attempts.map((a) => [a.ok, a.reason])).toEqual([[false, 'connection-refused'], [false, 'connection-refused'], [false, 'dns']]);
    // The journal's attempts are not changed in place.
    expect(tried.every((a) => a.reason === null)).toBe(true);
  });

  it('pulled: the last attempt served it; an earlier one with no error named failed for an unknown reason', () => {
    const pull = crioImagePull({ image: 'x', exitCode: 0, error: null, journal: journal(tried.slice(0, 2)) });
    expect(pull.log).toMatchObject({ pulled: true, error: null });
    expect(pull.log.attempts.map((a) => [a.ok, a.reason])).toEqual([[false, 'other'], [true, null]]);
  });

  it('no journal: no attempts; the report\'s pulls become CRI-O\'s', () => {
    expect(crioImagePull({ image: 'x', exitCode: 1, error: 'boom', journal: null }).log).toEqual({ attempts: [], pulled: false, error: 'boom', registriesFiles: [] });
    const report = readNodeOutput('');
    const crio = asCrioEvidence(evidenceOf(report), [{ image: 'x', exitCode: 0, error: null, journal: null }]);
    expect(crio.pulls.map((p) => [p.image, p.exitCode, p.log.pulled])).toEqual([['x', 0, true]]);
  });
});

describe('a --engine both run, read whole (test/fixtures/node-logs-both/not-reloaded.log)', () => {
  const text = readFileSync('test/fixtures/node-logs-both/not-reloaded.log', 'utf8').split('\n').filter((l) => !l.startsWith('[oc] ')).join('\n');
  // Made in each test: mutation testing credits a test only with the code that runs in it.
  const reportOf = () => readNodeOutput(text);

  it("each section to its field: podman's version, CRI-O's start, the files' time, the free space, the credentials", () => {
    const report = reportOf();
    expect(report.facts.podman).toBe('4.3.1');
    expect(report.facts.crioConfig.loadedAt).toBe('2026-11-30 06:36:47.132000000Z');
    expect(report.facts.crioConfig.configMtime).toBe(1796027807);
    expect(report.facts.lowDisk).toEqual({ availableKb: 81206032, totalKb: 264212084, low: false });
    expect(report.facts.proxy).toBeNull();
    expect(Object.entries(report.facts.credentials).filter(([, yes]) => yes).map(([k]) => k.replace(/:\d+/, ':PORT'))).toEqual([
      '127.0.0.1:PORT/secure/team/app', '127.0.0.1:PORT', '127.0.0.1:PORT/secure/team/app', '127.0.0.1:PORT',
    ]);
    expect(report.facts.config.map((f) => f.path)).toEqual(['/etc/containers/registries.conf']);
    expect(report.facts.config[0]!.text).toMatch(/^unqualified-search-registries = \["registry\.access\.redhat\.com", "docker\.io"\]\n/);
    expect(report.facts.config[0]!.text).toContain('\n[[registry]]\n  prefix = ""\n  location = "registry.sandbox.invalid/team"\n');
    expect([report.strayTail, report.complete]).toEqual([[], true]);
  });

  it("CRI-O's pull: crictl's exit and its error without the rpc wrapping; the journal's attempts, counted once over CRI-O 1.30's two passes", () => {
    const report = reportOf();
    expect(report.crio).toHaveLength(1);
    const [crio] = report.crio;
    expect(crio!.image).toBe(IMAGE_OF_SANDBOX);
    expect(crio!.exitCode).toBe(1);
    expect(crio!.error).toMatch(new RegExp(`^initializing source docker://${IMAGE_OF_SANDBOX.replace(/[.@]/g, '\\$&')}: pinging container registry registry\\.sandbox\\.invalid: `));
    expect(crio!.journal).toMatchObject({ outcome: 'open', image: IMAGE_OF_SANDBOX, attempts: [{ reference: IMAGE_OF_SANDBOX }] });
  });

  it("podman's pull beside it, from the mirror", () => {
    const report = reportOf();
    expect(report.pulls.map((p) => [p.image, p.exitCode, p.log.pulled, p.log.attempts.map((a) => a.reference.replace(/:\d+/, ':PORT'))])).toEqual([
      [IMAGE_OF_SANDBOX, 0, true, [`127.0.0.1:PORT/mirror/team/app@${DIGEST}`]],
    ]);
  });
});

const IMAGE_OF_SANDBOX = `registry.sandbox.invalid/team/app@${DIGEST}`;

describe('a node with too little room to pull (test/fixtures/node-logs-low-disk/tight.log)', () => {
  const report = readNodeOutput(readFileSync('test/fixtures/node-logs-low-disk/tight.log', 'utf8').split('\n').filter((l) => !l.startsWith('[oc] ')).join('\n'));
  it('the free space and total, marked low; the manifest read by skopeo stands for the pull', () => {
    expect(report.facts.lowDisk).toEqual({ availableKb: 65536, totalKb: 65536, low: true });
    expect(report.pulls.map((p) => [p.exitCode, p.log.pulled, p.log.attempts.map((a) => a.reference.replace(/:\d+/, ':PORT'))])).toEqual([
      [0, true, [`127.0.0.1:PORT/mirror/team/app@${DIGEST}`]],
    ]);
    expect(report.crio).toEqual([]);
  });
});
