// Error texts copied from real podman runs (shared podman-logs, sandbox captures) and from the
// containers/image sources listed in vectors/podman-log-lines.json.
import { describe, expect, it } from 'vitest';
import { adviceFor, classifyFailure } from '../../src/pull-log/classify.js';

const cases: [string, string][] = [
  ['reading manifest sha256:2cc6 in 127.0.0.1:32915/not-there/team/app: manifest unknown: manifest unknown', 'manifest-unknown'],
  ['reading manifest v1 in quay.io/org/app: manifest unknown', 'manifest-unknown'],
  ['reading manifest latest in quay.io/org/app: name unknown: repository name not known to registry', 'manifest-unknown'],
  ['reading manifest sha256:2cc6 in 127.0.0.1:35943/secure/team/app: unauthorized: authentication required', 'unauthorized'],
  ['reading manifest v1 in quay.io/org/app: unauthorized: access to the requested resource is not authorized', 'unauthorized'],
  ['reading manifest v1 in docker.io/library/x: requested access to the resource is denied', 'unauthorized'],
  ['unable to retrieve auth token: invalid username/password: unauthorized: incorrect username or password', 'unauthorized'],
  ['reading manifest v1 in r.io/a: StatusCode: 403, "<html>forbidden</html>"', 'unauthorized'],
  ['Requesting bearer token: received unexpected HTTP status: 403 Forbidden', 'unauthorized'],
  ['pinging container registry 127.0.0.1:38031: Get "https://127.0.0.1:38031/v2/": x509: certificate signed by unknown authority', 'tls'],
  ['pinging container registry r.io: Get "https://r.io/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority', 'tls'],
  ['pinging container registry 127.0.0.1:32915: Get "https://127.0.0.1:32915/v2/": http: server gave HTTP response to HTTPS client', 'tls'],
  ['pinging container registry registry.example.com: Get "https://registry.example.com/v2/": dial tcp: lookup registry.example.com on 172.30.0.10:53: no such host', 'dns'],
  ['pinging container registry r.io: Get "https://r.io/v2/": dial tcp: lookup r.io on 172.30.0.10:53: i/o timeout', 'dns'],
  ['pinging container registry 127.0.0.1:1: Get "http://127.0.0.1:1/v2/": dial tcp 127.0.0.1:1: connect: connection refused', 'connection-refused'],
  ['pinging container registry 10.0.0.9:5000: Get "https://10.0.0.9:5000/v2/": dial tcp 10.0.0.9:5000: i/o timeout', 'timeout'],
  ['pinging container registry r.io: Get "https://r.io/v2/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)', 'timeout'],
  ['registry registry.example.com/team is blocked in /etc/containers/registries.conf or /etc/containers/registries.conf.d', 'blocked'],
  ['reading manifest v1 in r.io/a: toomanyrequests: too many requests', 'other'],
  ['writing blob: storing blob to file "/var/tmp/x": happened during read: unexpected EOF', 'other'],
];

describe('classifyFailure', () => {
  for (const [message, reason] of cases) {
    it(`${reason}: ${message.slice(0, 70)}`, () => expect(classifyFailure(message)).toBe(reason));
  }
});

describe('adviceFor', () => {
  it('tells plain-HTTP mirrors from untrusted certificates', () => {
    expect(adviceFor('tls', 'http: server gave HTTP response to HTTPS client')).toMatch(/insecureRegistries/);
    expect(adviceFor('tls', 'x509: certificate signed by unknown authority')).toMatch(/additionalTrustedCA/);
  });
  it('says what a blob failure after the manifest means', () => {
    expect(adviceFor('other', 'parsing image configuration: Error fetching blob: invalid status code from registry 500 (Internal Server Error)')).toMatch(/mirror the image again/);
  });
  it('points credentials at the cluster pull secret', () => {
    expect(adviceFor('unauthorized', '')).toMatch(/openshift-config\/pull-secret/);
  });
});

describe('what to do about each failure', () => {
  it.each([
    ['manifest-unknown', '', 'the image is not on this mirror: mirror it there (oc mirror, or oc image mirror)'],
    ['unauthorized', '', 'the mirror needs credentials: add them to the cluster pull secret (openshift-config/pull-secret)'],
    ['tls', 'http: server gave HTTP response to HTTPS client', 'the mirror speaks plain HTTP: add it to image.config.openshift.io/cluster spec.registrySources.insecureRegistries'],
    ['tls', 'x509: certificate signed by unknown authority', "the node does not trust the mirror's certificate: add its CA to image.config.openshift.io/cluster spec.additionalTrustedCA"],
    ['dns', '', 'the node cannot resolve the host: check the mirror host name and the cluster DNS'],
    ['connection-refused', '', 'nothing listens there: check the mirror host, port and that the registry is running'],
    ['timeout', '', 'the connection timed out: check firewalls and proxy settings between the node and the registry'],
    ['blocked', '', 'registries.conf blocks this registry (NeverContactSource or image.config blockedRegistries)'],
    ['other', 'fetching blob sha256:x: 404', 'the registry served the manifest but not its blobs: mirror the image again'],
    ['other', 'something else', 'see the raw log (--log-dir) for the full error'],
  ] as const)('%s (%s)', (reason, message, advice) => expect(adviceFor(reason, message)).toBe(advice));
});
