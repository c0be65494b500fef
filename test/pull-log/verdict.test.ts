// The verdict's detail and summary, as the table and -o json show them, for real podman pulls
// (the captures in test/fixtures/reference/podman-logs) and for each way a check can end early.
import { describe, expect, it } from 'vitest';
import type { FailureReason } from '../../src/pull-log/classify.js';
import type { Expectation, PullEvidence, RunEnd } from '../../src/pull-log/evidence.js';
import type { PullEvidence as NodeReport } from '../../src/pull-log/evidence.js';
import { readPullLog } from '../../src/pull-log/pull-log.js';
import { decideVerdict } from '../../src/pull-log/verdict.js';
import { readReference } from '../reference-data.js';
import type { Speaker } from '../../src/report/reasons.js';
import { said } from '../words.js';

const IMAGE = 'registry.example.com/team/app@sha256:2cc61de807ab6eb22a0587fb00fdf82d0627e1739b64b4b63e79cdcfc933ac34';
const EXITED: RunEnd = { status: 'exited', clientSaid: null, timeoutMs: 300_000 };
const COVERED: Expectation = { coveredBy: ['ImageContentSourcePolicy/x'] };

function report(capture: string | null, exitCode: number | null, extra: Partial<NodeReport> = {}): NodeReport {
  const pulls = capture === null ? [] : [{ image: null, presentBefore: false, exitCode, removed: null, log: readPullLog(readReference(`podman-logs/${capture}.stderr`), exitCode) }];
  return { pulls, proxy: null, credentials: {}, strayTail: [], ...extra };
}
const verdict = (r: NodeReport, end: RunEnd = EXITED, expectation: Expectation = COVERED, speaker: Partial<Speaker> = {}) => {
  const v = said(decideVerdict(IMAGE, r, end, expectation), speaker);
  return [v.verdict, v.pulledFrom === null ? null : v.pulledFrom.split('/')[0], v.detail, v.summary];
};

describe('real pulls', () => {
  it.each([
    ['mirrored-digest', 0, 'mirrored', 'served by a mirror', 'served by a mirror'],
    ['second-mirror-after-manifest-unknown', 0, 'mirrored', 'served by a mirror; 1 mirror(s) failed first: manifest-unknown', 'from a mirror, 1 failed first'],
    ['mirror-connection-refused', 125, 'mirror-failed', 'mirror connection-refused; the source failed too (dns)', 'connection-refused on mirror, source: dns'],
    ['mirror-unauthorized-then-source-dns', 125, 'mirror-failed', 'mirror unauthorized; the source failed too (dns)', 'unauthorized on mirror, source: dns'],
    ['mirror-x509-then-source-dns', 125, 'mirror-failed', 'mirror tls; the source failed too (dns)', 'tls on mirror, source: dns'],
    ['blocked-source-NeverContactSource-style', 125, 'mirror-failed', 'mirror manifest-unknown; the source failed too (blocked)', 'manifest-unknown on mirror, source: blocked'],
    ['no-matching-entry', 125, 'not-mirrored', "no mirror was tried although ImageContentSourcePolicy/x covers it: the node's registries.conf lags (see oc get mcp); the source failed (dns)", 'no mirror tried (node config), source: dns'],
  ] as const)('%s', (capture, code, v, detail, summary) => {
    const [got, , gotDetail, gotSummary] = verdict(report(capture, code));
    expect([got, gotDetail, gotSummary]).toEqual([v, detail, summary]);
  });
});

describe('no mirror tried: the short reason by what the cluster expects', () => {
  // Made in each test: mutation testing credits a test only with the code that runs in it.
  const rOf = () => report('no-matching-entry', 125);
  it.each([
    [{ coveredBy: [] } as Expectation, 'no mirror was tried: no mirror policy covers this image; the source failed (dns)', 'no mirror tried (no policy), source: dns'],
    [{ ...COVERED, rolloutPending: 'r1 -> r2' }, 'no mirror was tried although ImageContentSourcePolicy/x covers it: the node is still updating its MachineConfig (r1 -> r2); the source failed (dns)', 'no mirror tried (rollout pending), source: dns'],
    [{ ...COVERED, configMatches: false }, "no mirror was tried although ImageContentSourcePolicy/x covers it: the node's registries.conf lags (see oc get mcp); the source failed (dns)", 'no mirror tried (config lags), source: dns'],
    [{ coveredBy: [], mismatch: { kind: 'digest-pull-tag-mirrors', policies: ['ImageTagMirrorSet/t'] } } as Expectation, 'no mirror was tried: only ImageTagMirrorSets cover it (ImageTagMirrorSet/t) and they serve tag pulls only; the source failed (dns)', 'no mirror tried (only tag mirrors), source: dns'],
  ])('%j', (expectation, detail, summary) => {
    const r = rOf();
    const [v, , gotDetail, gotSummary] = verdict(r, EXITED, expectation);
    expect([v, gotDetail, gotSummary]).toEqual(['not-mirrored', detail, summary]);
  });
});

describe('a check that ended early is an error, saying how', () => {
  it.each([
    ['could not start, with the client\'s words', { ...EXITED, status: 'could-not-start', clientSaid: 'spawn oc ENOENT' }, report(null, null), 'spawn oc ENOENT', 'could not start'],
    ['could not start, silent', { ...EXITED, status: 'could-not-start' }, report(null, null), 'the node pod could not start', 'could not start'],
    ['timed out, quoting the client by name', { ...EXITED, status: 'timed-out', timeoutMs: 90_000, clientSaid: 'Back-off pulling image' }, report(null, null), 'timed out after 1m30s; kubectl said: Back-off pulling image', 'timed out after 1m30s'],
    ['interrupted', { ...EXITED, status: 'interrupted' }, report(null, null), 'interrupted', 'interrupted'],
    ['no pull result, the client\'s words', { ...EXITED, clientSaid: 'error: pod deleted' }, report(null, null), 'debug pod failed: error: pod deleted', 'debug pod failed'],
    ['no pull result, silent', EXITED, report(null, null), 'the debug pod printed no pull result', 'debug pod failed'],
  ] as const)('%s', (_, end, r, detail, summary) => {
    // Quoted by name: the client the run drove.
    const [v, from, gotDetail, gotSummary] = verdict(r, end as RunEnd, COVERED, { clientName: 'kubectl' });
    expect([v, from, gotDetail, gotSummary]).toEqual(['error', null, detail, summary]);
  });

  it('a pull that tried no source: podman\'s error, else the last stray line, else the exit code', () => {
    const none = (error: string | null, stray: string[]) => ({ ...report(null, null), strayTail: stray, pulls: [{ image: null, presentBefore: null, exitCode: 125, removed: null, log: { attempts: [], pulled: false, error, registriesFiles: [] } }] });
    expect(verdict(none('short-name resolution enforced', ['x']))[2]).toBe('podman could not pull: short-name resolution enforced');
    expect(verdict(none(null, ['Error: no space left on device']))[2]).toBe('podman could not pull: Error: no space left on device');
    expect(verdict(none(null, []))[2]).toBe('podman could not pull: exit code 125');
  });

  it('a mirror had served the image when the check was cut short: said, but no PULLED FROM', () => {
    const [v, from, detail] = verdict(report('mirrored-digest', 0), { ...EXITED, status: 'timed-out', timeoutMs: 5000 });
    expect([v, from, detail]).toEqual(['error', null, 'timed out after 5s; a mirror had served the image by then']);
  });
});

describe("a failing mirror's reason carries what decides its advice, and only that", () => {
  // An attempt list as the reader gives it: the first mirror fails, the source is not reached.
  const MIRROR = 'mirror.corp.example:5000/team/app@sha256:' + 'b'.repeat(64);
  const evidence = (reason: FailureReason, message: string): PullEvidence => ({
    pulls: [{ image: IMAGE, presentBefore: false, exitCode: 125, removed: null, log: { attempts: [{ reference: MIRROR, ok: false, reason, message }, { reference: IMAGE, ok: false, reason: 'dns', message: 'no such host' }], pulled: false, error: 'failed', registriesFiles: [] } }],
    strayTail: [],
    // The node reaches mirror.corp.example through the cluster proxy, and holds no credentials for it.
    proxy: { HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: '.svc' },
    credentials: { 'mirror.corp.example:5000': false },
  });
  it.each([
    ['manifest-unknown', 'manifest unknown', 'mirror-manifest-unknown', null, null],
    ['unauthorized', 'unauthorized: authentication required', 'mirror-unauthorized', null, false],
    ['tls', 'x509: certificate signed by unknown authority', 'mirror-tls', null, null],
    ['tls', 'http: server gave HTTP response to HTTPS client', 'mirror-plain-http', null, null],
    ['dns', 'no such host', 'mirror-dns', 'http://proxy.corp:3128', null],
    ['connection-refused', 'connection refused', 'mirror-connection-refused', 'http://proxy.corp:3128', null],
    ['timeout', 'i/o timeout', 'mirror-timeout', 'http://proxy.corp:3128', null],
    ['blocked', 'is blocked in registries.conf', 'mirror-blocked', null, null],
    ['other', 'reading blob sha256:x: 404', 'mirror-blob-missing', 'http://proxy.corp:3128', null],
    ['other', 'something else', 'mirror-other', 'http://proxy.corp:3128', null],
  ] as const)('%s (%s): %s, proxy %s, credentials %s', (reason, message, code, proxy, credentials) => {
    const v = decideVerdict(IMAGE, evidence(reason, message), EXITED, COVERED);
    expect(v.verdict).toBe('mirror-failed');
    expect(v.reason).toEqual({ code, mirror: 'mirror.corp.example:5000', mirrors: 1, source: 'dns', proxy, credentials });
  });
  it('where no mirror was tried: the source\'s first and last outcome, the policies that cover it, the rollout', () => {
    const noMirror: PullEvidence = { ...evidence('dns', 'x'), pulls: [{ image: IMAGE, presentBefore: false, exitCode: 125, removed: null, log: { attempts: [{ reference: IMAGE, ok: false, reason: null, message: null }, { reference: IMAGE, ok: false, reason: 'timeout', message: 'i/o timeout' }], pulled: false, error: 'failed', registriesFiles: [] } }] };
    expect(decideVerdict(IMAGE, noMirror, EXITED, { coveredBy: ['ImageDigestMirrorSet/x'], rolloutPending: 'a -> b' }).reason).toEqual({
      code: 'rollout-pending', source: 'error', lastFailure: 'timeout', coveredBy: ['ImageDigestMirrorSet/x'], mismatchPolicies: [], rolloutPending: 'a -> b',
    });
    expect(decideVerdict(IMAGE, noMirror, EXITED, { coveredBy: [], mismatch: { kind: 'digest-pull-tag-mirrors', policies: ['ImageTagMirrorSet/t'] } }).reason).toMatchObject({ code: 'digest-pull-tag-mirrors', mismatchPolicies: ['ImageTagMirrorSet/t'], rolloutPending: null });
  });
});
