// The catalogue of reason words: each mirror failure's advice, the proxy and credentials that
// change it, and the README's table of codes, which must name every code the catalogue has.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clientProblemOf } from '../../src/oc/client-talk.js';
import { MIRROR_FAILURE_CODES, type MirrorFailure, type Reason } from '../../src/pull-log/evidence.js';
import { REASON_CODES, reasonWords } from '../../src/report/reasons.js';
import { WARNING_CODES } from '../../src/report/warning-words.js';
import { EXPLAIN_NOTE_CODES } from '../../src/report/explain-notes.js';
import { OC } from '../words.js';

const failure = (code: MirrorFailure['code'], extra: Partial<MirrorFailure> = {}): MirrorFailure => ({ code, mirror: 'm.example:5000', mirrors: 1, source: 'not-tried', credentials: null, proxy: null, ...extra });

describe('what to do about the first failing mirror', () => {
  it.each([
    ['mirror-manifest-unknown', 'the image is not on this mirror: mirror it there (oc mirror, or oc image mirror)'],
    ['mirror-unauthorized', 'check that the cluster pull secret (openshift-config/pull-secret) has credentials for it, and that the repository exists there'],
    ['mirror-tls', 'trust its CA: a ConfigMap in openshift-config with the CA under the key "m.example..5000", named in image.config.openshift.io/cluster spec.additionalTrustedCA'],
    ['mirror-plain-http', 'the mirror speaks plain HTTP: add it to image.config.openshift.io/cluster spec.registrySources.insecureRegistries'],
    ['mirror-dns', 'the node cannot resolve the host: check the mirror host name and the cluster DNS'],
    ['mirror-connection-refused', 'nothing listens there: check the mirror host, port and that the registry is running'],
    ['mirror-timeout', 'the connection timed out: check firewalls and proxy settings between the node and the registry'],
    ['mirror-blocked', 'registries.conf blocks this registry (NeverContactSource or image.config blockedRegistries)'],
    ['mirror-blob-missing', 'the registry served the manifest but not its blobs: mirror the image again'],
    ['mirror-other', 'see the raw log (--log-dir) for the full error'],
  ] as const)('%s', (code, advice) => {
    expect(reasonWords(failure(code), OC).hint).toBe(`m.example:5000: ${advice}`);
  });
  it('every mirror failure code has its advice', () => {
    expect(MIRROR_FAILURE_CODES.map((code) => reasonWords(failure(code), OC).hint).every((h) => h?.startsWith('m.example:5000: '))).toBe(true);
  });
  it('the pull secret decides what a 401 means', () => {
    expect(reasonWords(failure('mirror-unauthorized', { credentials: false }), OC).hint).toMatch(/add the mirror's credentials to the cluster pull secret/);
    expect(reasonWords(failure('mirror-unauthorized', { credentials: true }), OC).hint).toMatch(/may not exist on this mirror/);
  });
  it('a proxy the node goes through is named before anything else', () => {
    expect(reasonWords(failure('mirror-timeout', { proxy: 'http://proxy:3128' }), OC).hint).toBe(
      'm.example:5000: the node reaches it through the cluster proxy (http://proxy:3128), as CRI-O does: add it to proxy/cluster spec.noProxy, or let the proxy reach it',
    );
  });
  it("an image whose mirror credentials pods get from their project: the hint says a node-level pull cannot use them, not that the pull secret holds them", () => {
    const words = reasonWords({ ...failure('mirror-unauthorized', { credentials: true }), projectCredentials: true }, OC);
    expect(words.hint).toContain('CRIOCredentialProviderConfig matchImages');
    expect(words.hint).toContain('cannot use them');
    expect(words.hint).not.toContain('the node pull secret has credentials for it');
  });

  it('a blocked source: nothing else is tried, and the words say so', () => {
    const words = reasonWords(failure('mirror-manifest-unknown', { source: 'blocked', mirrors: 2 }), OC);
    expect(words.detail).toBe('mirror manifest-unknown (first of 2 mirrors); the source failed too (blocked)');
    expect(words.summary).toBe('manifest-unknown on mirror, source: blocked');
    expect(words.hint).toMatch(/; the source is blocked \(NeverContactSource\), so nothing else is tried$/);
  });
});

describe("the client's words, classified where they are read", () => {
  it.each([
    ['Container container-00 is unable to start due to an error: Back-off pulling image "x"', 'debug-image-unreachable'],
    ['ImagePullBackOff', 'debug-image-unreachable'],
    ['ErrImagePull', 'debug-image-unreachable'],
    ['pods is forbidden: User "dev" cannot create resource "pods"', 'forbidden'],
    ['pods "oc-icsp-probe-0-" is forbidden: exceeded quota: pods-quota, requested: pods=1, used: pods=10, limited: pods=10', 'quota'],
    ['exceeded quota', null],
    [null, null],
  ] as const)('%s: %s', (said, problem) => expect(clientProblemOf(said)).toBe(problem));
});

describe("the README's table of reason codes", () => {
  // One reason of each code; the catalogue's codes are the ones TypeScript holds to the Reason union.
  const noMirror = ['tag-pull-digest-mirrors', 'digest-pull-tag-mirrors', 'rollout-pending', 'config-lags', 'node-config', 'no-policy'] as const;
  const runFailures = ['pod-could-not-start', 'timed-out', 'interrupted', 'no-result', 'pull-refused'] as const;
  const examples: Reason[] = [
    { code: 'served-by-mirror', failedFirst: [] },
    ...MIRROR_FAILURE_CODES.map((code) => failure(code)),
    ...noMirror.map((code) => ({ code, source: 'served' as const, lastFailure: null, coveredBy: ['ImageDigestMirrorSet/x'], mismatchPolicies: ['ImageDigestMirrorSet/x'], rolloutPending: 'a -> b' })),
    ...runFailures.map((code) => ({ code, said: null, problem: null, servedBefore: null })),
    { code: 'node-not-ready', why: 'Kubelet stopped posting node status.' },
    ...(['signature-missing', 'signature-rejected'] as const).map((code) => ({
      code, endpoint: 'mirror.example:5000/ocp/release', mirror: true, host: 'mirror.example:5000', attachment: null, requirement: null, seenBy: 'pull' as const, why: null, untried: 1,
    })),
  ];
  it('an example of every code', () => expect(examples.map((r) => r.code).sort()).toEqual([...REASON_CODES].sort()));
  const readme = readFileSync('README.md', 'utf8');
  const table = readme.slice(readme.indexOf('### Reason codes'));
  const rows = new Set([...table.matchAll(/^\| `([a-z-]+)`(?:, `([a-z-]+)`)? \|/gm)].flatMap((m) => [m[1]!, ...(m[2] ? [m[2]] : [])]));
  it.each(examples.map((r) => [r.code, r] as const))('%s: has words, and a row in the README', (code, reason) => {
    const words = reasonWords(reason, OC);
    expect(words.detail.length).toBeGreaterThan(0);
    expect(words.summary.length).toBeGreaterThan(0);
    expect(rows.has(code)).toBe(true);
  });
  const disagreements = ['crio-not-reloaded', 'engines-differ'];
  it.each(EXPLAIN_NOTE_CODES)("explain's note %s: a row in the README", (code) => expect(rows.has(code)).toBe(true));
  it.each([...WARNING_CODES, ...disagreements])('warning %s: a row in the README', (code) => expect(rows.has(code)).toBe(true));
  it('and no row for a code that does not exist', () => {
    const known = new Set<string>([...REASON_CODES, ...WARNING_CODES, ...disagreements, ...EXPLAIN_NOTE_CODES]);
    expect([...rows].filter((r) => !known.has(r))).toEqual([]);
  });
});
