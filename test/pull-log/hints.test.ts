// Every hint rule, decided on real podman logs (test/fixtures/reference/podman-logs, podman
// 4.3.1 against real registries) with the node evidence around them varied: pull-secret
// coverage, the cluster proxy, the policies' expectation, how the run ended.
import { describe, expect, it } from 'vitest';
import type { Expectation, RunEnd } from '../../src/pull-log/evidence.js';
import { clientProblemOf } from '../../src/oc/client-talk.js';
import { proxyFor } from '../../src/pull-log/hints.js';
import { type Speaker } from '../../src/report/reasons.js';
import { said } from '../words.js';
import type { PullEvidence as NodeReport } from '../../src/pull-log/evidence.js';
import { readPullLog } from '../../src/pull-log/pull-log.js';
import { decideVerdict } from '../../src/pull-log/verdict.js';
import { readReference } from '../reference-data.js';

const IMAGE = 'registry.example.com/team/app@sha256:2cc61de807ab6eb22a0587fb00fdf82d0627e1739b64b4b63e79cdcfc933ac34';
const MIRROR = '127.0.0.1:32915';
// The capture's basic-auth registry (index.json).
const AUTH = '127.0.0.1:35943';
const EXITED: RunEnd = { status: 'exited', clientSaid: null, timeoutMs: 300_000 };
const COVERED: Expectation = { coveredBy: ['ImageContentSourcePolicy/x'] };

function report(capture: string, exitCode: number, extra: Partial<NodeReport> = {}): NodeReport {
  const log = readPullLog(readReference(`podman-logs/${capture}.stderr`), exitCode);
  return { pulls: [{ image: null, presentBefore: false, exitCode, removed: null, log }], proxy: null, credentials: {}, strayTail: [], ...extra };
}

const hint = (r: NodeReport, image = IMAGE, end: RunEnd = EXITED, expectation: Expectation = COVERED, speaker: Partial<Speaker> = {}) => said(decideVerdict(image, r, end, expectation), speaker).hint;

describe('mirror-failed: the first mirror failure says what to do', () => {
  it('401 and no credentials for the mirror in the pull secret', () => {
    expect(hint(report('mirror-unauthorized-then-source-dns', 125, { credentials: { [AUTH]: false } }))).toBe(
      `${AUTH}: add the mirror's credentials to the cluster pull secret (openshift-config/pull-secret)`,
    );
  });
  it('401 although the pull secret has credentials: the repository may not exist (Quay answers 401 for that)', () => {
    expect(hint(report('mirror-unauthorized-then-source-dns', 125, { credentials: { [AUTH]: true, [`${AUTH}/secure/team/app`]: true } }))).toBe(
      `${AUTH}: the node pull secret has credentials for it, so the repository may not exist on this mirror, or these credentials cannot read it`,
    );
  });
  it('401, the pull secret not asked about this mirror', () => {
    expect(hint(report('mirror-unauthorized-then-source-dns', 125))).toBe(
      `${AUTH}: check that the cluster pull secret (openshift-config/pull-secret) has credentials for it, and that the repository exists there`,
    );
  });
  it('the most specific repository asked about decides', () => {
    const r = report('mirror-unauthorized-then-source-dns', 125, { credentials: { [AUTH]: true } });
    // The capture's first attempt is AUTH/secure/team/app@sha256:…: its repository, written out.
    expect(hint({ ...r, credentials: { [AUTH]: true, [`${AUTH}/secure/team/app`]: false } })).toMatch(/add the mirror's credentials/);
    expect(hint({ ...r, credentials: { [AUTH]: false, [`${AUTH}/secure/team/app`]: true } })).toMatch(/has credentials for it/);
    expect(hint({ ...r, credentials: { [AUTH]: false, [`${AUTH}/secure/team`]: true } })).toMatch(/has credentials for it/);
    expect(hint({ ...r, credentials: { [AUTH]: false, [`${AUTH}/secure/tea`]: true } })).toMatch(/add the mirror's credentials/);
  });
  it('manifest unknown: mirror the image', () => {
    // The image then came from the second mirror; drop that success to see the first mirror's failure alone.
    const r = report('second-mirror-after-manifest-unknown', 0);
    const failedOnly = { ...r, pulls: [{ ...r.pulls[0]!, exitCode: 125, log: { ...r.pulls[0]!.log, pulled: false, attempts: r.pulls[0]!.log.attempts.slice(0, 1) } }] };
    expect(hint(failedOnly)).toBe(`${MIRROR}: the image is not on this mirror: mirror it there (oc mirror, or oc image mirror)`);
  });
  it('an untrusted certificate: the ConfigMap key is host..port', () => {
    // The capture's TLS mirror is 127.0.0.1:38031 (its first Trying to access line).
    expect(hint(report('mirror-x509-then-source-dns', 125))).toBe(
      '127.0.0.1:38031: trust its CA: a ConfigMap in openshift-config with the CA under the key "127.0.0.1..38031", named in image.config.openshift.io/cluster spec.additionalTrustedCA',
    );
  });
  it('a plain-HTTP mirror: list it as insecure', () => {
    expect(hint(report('mirror-http-to-https-client', 125))).toBe(
      `${MIRROR}: the mirror speaks plain HTTP: add it to image.config.openshift.io/cluster spec.registrySources.insecureRegistries`,
    );
  });
  it('nothing listens, no proxy: check host and port', () => {
    expect(hint(report('mirror-connection-refused', 125))).toMatch(/^127\.0\.0\.1:\d+: nothing listens there: check the mirror host, port and that the registry is running$/);
  });
  it('the source is blocked (NeverContactSource) and every mirror failed', () => {
    expect(hint(report('blocked-source-NeverContactSource-style', 125))).toBe(
      `${MIRROR}: the image is not on this mirror: mirror it there (oc mirror, or oc image mirror); the source is blocked (NeverContactSource), so nothing else is tried`,
    );
  });
});

describe('the cluster proxy, by Go\'s rules (golang.org/x/net http/httpproxy)', () => {
  // What OpenShift writes to /etc/mco/proxy.env: the user's noProxy, then the machine, cluster
  // and service networks and the cluster's own domains (status.noProxy of proxy/cluster).
  const proxy = {
    HTTP_PROXY: 'http://proxy.corp:3128',
    HTTPS_PROXY: 'http://proxy.corp:3128',
    NO_PROXY: '.cluster.local,.svc,10.0.0.0/16,10.128.0.0/14,172.30.0.0/16,mirror.corp:5000,.internal,corp.example,*.lab.example,192.168.1.10',
  };
  const cases: [string, string | null][] = [
    ['mirror.example.com:5000', 'http://proxy.corp:3128'],
    ['mirror.corp:5000', null],
    ['mirror.corp:5001', 'http://proxy.corp:3128'],
    ['registry.apps.cluster.local', null],
    ['a.internal', null],
    // `.internal` is for subdomains only.
    ['internal', 'http://proxy.corp:3128'],
    // `corp.example`: the domain and its subdomains.
    ['corp.example', null],
    ['quay.corp.example:8443', null],
    ['lab.example', 'http://proxy.corp:3128'],
    ['quay.lab.example', null],
    // A mirror addressed by an IP in the machine network goes direct; outside it, through the proxy.
    ['10.0.3.7:5000', null],
    ['10.1.0.1:5000', 'http://proxy.corp:3128'],
    ['192.168.1.10:5000', null],
    ['192.168.1.11:5000', 'http://proxy.corp:3128'],
    ['127.0.0.1:5000', null],
    ['localhost:5000', null],
    ['[::1]:5000', null],
  ];
  for (const [host, via] of cases) it(`${host}: ${via ?? 'direct'}`, () => expect(proxyFor(proxy, host)).toBe(via));
  it('an https request uses HTTPS_PROXY alone; a plain-http one HTTP_PROXY alone', () => {
    expect(proxyFor({ HTTP_PROXY: 'http://only-http:3128' }, 'mirror.example.com')).toBeNull();
    expect(proxyFor({ HTTP_PROXY: 'http://only-http:3128' }, 'mirror.example.com', 'http')).toBe('http://only-http:3128');
  });
  it('an entry with a port matches the scheme\'s default port when the host names none', () => {
    expect(proxyFor({ ...proxy, NO_PROXY: 'quay.io:443' }, 'quay.io')).toBeNull();
    expect(proxyFor({ ...proxy, NO_PROXY: 'quay.io:443' }, 'quay.io:8443')).toBe('http://proxy.corp:3128');
  });
  it('lower-case variables and entries in any case and spacing, as Go reads them', () => {
    expect(proxyFor({ https_proxy: 'http://lower:3128', no_proxy: ' Quay.IO , .Corp.Example ' }, 'quay.io')).toBeNull();
    expect(proxyFor({ https_proxy: 'http://lower:3128', no_proxy: ' Quay.IO , .Corp.Example ' }, 'a.corp.example')).toBeNull();
    expect(proxyFor({ https_proxy: 'http://lower:3128', no_proxy: ' Quay.IO , .Corp.Example ' }, 'MIRROR.example')).toBe('http://lower:3128');
    expect(proxyFor({ http_proxy: 'http://lower-http:3128' }, 'mirror.example', 'http')).toBe('http://lower-http:3128');
  });
  it('*.domain is for subdomains only; an IP entry matches that IP only; any loopback address goes direct', () => {
    const p = { HTTPS_PROXY: 'http://p:3128', NO_PROXY: '*.lab.example,10.0.0.5' };
    expect([proxyFor(p, 'x.lab.example'), proxyFor(p, 'lab.example'), proxyFor(p, '10.0.0.5:5000'), proxyFor(p, '10.0.0.6:5000'), proxyFor(p, '127.0.0.2:5000')]).toEqual([null, 'http://p:3128', null, 'http://p:3128', null]);
  });
  it('IPv6: bracketed with a port, a CIDR of its own family; a name is never in a CIDR', () => {
    const p = { HTTPS_PROXY: 'http://p:3128', NO_PROXY: 'fd00::/8,[2001:db8::5]:5000,10.0.0.0/8' };
    expect(proxyFor(p, '[fd00::7]:5000')).toBeNull();
    expect(proxyFor(p, '[2001:db8::5]:5000')).toBeNull();
    expect(proxyFor(p, '[2001:db8::5]:6000')).toBe('http://p:3128');
    expect(proxyFor(p, 'fdff::1')).toBeNull();
    expect(proxyFor(p, '2001:db8::1')).toBe('http://p:3128');
    expect(proxyFor(p, '10.example')).toBe('http://p:3128');
  });
  it('NO_PROXY=* turns it off; no proxy.env, no proxy', () => {
    expect(proxyFor({ ...proxy, NO_PROXY: '*' }, 'mirror.example.com')).toBeNull();
    expect(proxyFor(null, 'mirror.example.com')).toBeNull();
  });
});

describe('not-mirrored: why no mirror was tried', () => {
  // Made in each test: mutation testing credits a test only with the code that runs in it.
  const noEntryOf = () => report('no-matching-entry', 125);
  it('the node lags: its rollout is pending', () => {
    const noEntry = noEntryOf();
    expect(hint(noEntry, IMAGE, EXITED, { ...COVERED, rolloutPending: 'rendered-worker-1 -> rendered-worker-2' })).toBe(
      "the node's registries.conf lags the cluster's policies: let its MachineConfigPool finish the rollout (oc icsp status)",
    );
  });
  it('the node lags: its registries.conf does not resolve as the policies do; the advice names the plugin as typed, not the client driven', () => {
    const noEntry = noEntryOf();
    expect(hint(noEntry, IMAGE, EXITED, { ...COVERED, configMatches: false }, { clientName: 'kubectl', invokedAs: 'oc icsp' })).toBe(
      "the node's registries.conf lags the cluster's policies: let its MachineConfigPool finish the rollout (oc icsp status)",
    );
    expect(hint(noEntry, IMAGE, EXITED, { ...COVERED, configMatches: false }, { clientName: 'oc', invokedAs: 'kubectl icsp' })).toMatch(/\(kubectl icsp status\)$/);
  });
  it('covered, config unknown', () => {
    const noEntry = noEntryOf();
    expect(hint(noEntry)).toBe("check the node's MachineConfig rollout (oc icsp status) and its registries.conf.d drop-ins");
  });
  it('a tag under digest-only policies', () => {
    const tag = 'registry.example.com/team/app:latest';
    // Decided by the code, whatever the words say.
    expect(hint(report('tag-under-digest-only-policy', 125), tag, EXITED, { coveredBy: [], mismatch: { kind: 'tag-pull-digest-mirrors', policies: ['ImageContentSourcePolicy/x'] } })).toBe(
      'pull by digest, or add an ImageTagMirrorSet for the repository',
    );
  });
  it('a digest under tag-only policies', () => {
    const noEntry = noEntryOf();
    expect(hint(noEntry, IMAGE, EXITED, { coveredBy: [], mismatch: { kind: 'digest-pull-tag-mirrors', policies: ['ImageTagMirrorSet/t'] } })).toBe(
      'add an ImageDigestMirrorSet for the repository: ImageTagMirrorSets serve tag pulls only',
    );
  });
  it('no policy covers it', () => {
    const noEntry = noEntryOf();
    expect(hint(noEntry, IMAGE, EXITED, { coveredBy: [] })).toBe(
      'no mirror policy covers this image: add an ImageDigestMirrorSet (digest pulls) or an ImageTagMirrorSet (tag pulls) for its repository',
    );
  });
});

describe('error: the check itself', () => {
  const empty: NodeReport = { pulls: [], proxy: null, credentials: {}, strayTail: [] };
  // The client's words are classified where they are read (oc/client-talk.ts), as check-node does.
  const errorHint = (end: RunEnd, r: NodeReport = empty) => said(decideVerdict(IMAGE, r, { ...end, clientProblem: clientProblemOf(end.clientSaid) }, COVERED)).hint;
  it("the debug image cannot be pulled (oc's warning, as the sandbox's oc prints it)", () => {
    const said = 'Container container-00 is unable to start due to an error: Back-off pulling image "registry.redhat.io/rhel9/support-tools" (timed out waiting for the condition)';
    expect(errorHint({ ...EXITED, status: 'timed-out', clientSaid: said })).toBe(
      "the node pod's image cannot be pulled: pass --image with a tools image your mirror serves",
    );
  });
  it('forbidden: needs cluster-admin', () => {
    const said = 'cannot create the debug pod on w0: Error from server (Forbidden): pods is forbidden: User "dev" cannot create resource "pods": log in as a cluster administrator';
    expect(errorHint({ ...EXITED, status: 'could-not-start', clientSaid: said })).toBe('log in as a cluster administrator: verify creates a namespace and privileged pods');
  });
  it('a quota refused the pod: the quota, not the login', () => {
    // As the sandbox's quota refuses it (test/sandbox/api/admission.ts), in the DaemonSet controller's FailedCreate words.
    const said = 'the DaemonSet controller could not create the pod: Error creating: pods "oc-icsp-probe-0-" is forbidden: exceeded quota: pods-quota, requested: pods=1, used: pods=10, limited: pods=10';
    expect(errorHint({ ...EXITED, status: 'could-not-start', clientSaid: said })).toMatch(/^a quota refused the node pod: a ClusterResourceQuota/);
  });
  it('a plain timeout', () => {
    expect(errorHint({ ...EXITED, status: 'timed-out' })).toMatch(/^the check did not finish in time: raise --timeout/);
  });
  it('podman refused the pull before any source', () => {
    const refused = report('no-matching-entry', 125);
    const r = { ...refused, pulls: [{ ...refused.pulls[0]!, log: { ...refused.pulls[0]!.log, attempts: [] } }] };
    expect(errorHint(EXITED, r)).toMatch(/^podman refused the pull before trying any source/);
  });
  it('interrupted: no hint, whatever the client said', () => {
    expect(errorHint({ ...EXITED, status: 'interrupted', clientSaid: 'error: forbidden' })).toBeNull();
  });
  it('a pod that could not be created for another reason; a pod that ended with nothing to read', () => {
    expect(errorHint({ ...EXITED, status: 'could-not-start', clientSaid: 'exceeded quota' })).toBe("the node's pod could not be created: read the reason above");
    expect(errorHint(EXITED)).toBe('the node pod ended without a result: rerun with --log-dir and read the log');
    // A pull with no exit code yet is not one podman refused.
    const open = { ...empty, pulls: [{ image: null, presentBefore: null, exitCode: null, removed: null, log: { attempts: [], pulled: false, error: null, registriesFiles: [] } }] };
    expect(errorHint(EXITED, open)).toBe('the node pod ended without a result: rerun with --log-dir and read the log');
  });
  it.each(['ImagePullBackOff', 'ErrImagePull', 'back-off pulling image "x"'])('the pod image cannot be pulled: %s', (said) => {
    expect(errorHint({ ...EXITED, status: 'timed-out', clientSaid: said })).toMatch(/^the node pod's image cannot be pulled/);
  });
  it('mirrored: no hint', () => {
    expect(hint(report('mirrored-digest', 0))).toBeNull();
  });
});
