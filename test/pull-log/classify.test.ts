// Error texts copied from real podman runs (shared podman-logs, sandbox captures) and from the
// containers/image sources listed in vectors/podman-log-lines.json.
import { describe, expect, it } from 'vitest';
import { classifyFailure } from '../../src/pull-log/classify.js';
import { mirrorFailureCode } from '../../src/pull-log/verdict.js';

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

describe('a mirror failure, read finer where podman\'s words say more', () => {
  it.each([
    ['tls', 'http: server gave HTTP response to HTTPS client', 'mirror-plain-http'],
    ['tls', 'x509: certificate signed by unknown authority', 'mirror-tls'],
    ['other', 'parsing image configuration: Error fetching blob: invalid status code from registry 500 (Internal Server Error)', 'mirror-blob-missing'],
    ['other', 'fetching blob sha256:x: 404', 'mirror-blob-missing'],
    [null, 'reading blob sha256:x: 404', 'mirror-blob-missing'],
    ['other', 'something else', 'mirror-other'],
    [null, 'something else', 'mirror-other'],
    ['unauthorized', '', 'mirror-unauthorized'],
    ['manifest-unknown', 'fetching blob', 'mirror-manifest-unknown'],
  ] as const)('%s (%s): %s', (reason, message, code) => expect(mirrorFailureCode(reason, message)).toBe(code));
});
