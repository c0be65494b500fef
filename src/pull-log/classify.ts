// Failure reasons from the error texts containers/image and Go's net stack print
// (see test/fixtures/reference/vectors/podman-log-lines.json for where each text comes from).

export const FAILURE_REASONS = [
  'manifest-unknown',
  'unauthorized',
  'tls',
  'dns',
  'connection-refused',
  'timeout',
  'blocked',
  'other',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

// Order matters: a DNS lookup can itself time out, and a TLS error can mention a host.
const RULES: [FailureReason, RegExp][] = [
  ['blocked', /\bis blocked in\b/],
  ['dns', /\blookup \S+( on \S+)?: (no such host|server misbehaving|i\/o timeout)|no such host/],
  ['tls', /x509: |tls: |server gave HTTP response to HTTPS client|certificate (is not valid|has expired|signed by unknown)/],
  ['connection-refused', /connection refused/],
  ['timeout', /i\/o timeout|context deadline exceeded|Client\.Timeout exceeded|TLS handshake timeout|timed out/],
  [
    'unauthorized',
    /unauthorized|authentication required|requested access to the resource is denied|invalid username\/password|\bdenied:|StatusCode: 40[13]\b|403 Forbidden/,
  ],
  ['manifest-unknown', /manifest unknown|name unknown|repository name not known|not found: manifest/],
];

export function classifyFailure(message: string): FailureReason {
  for (const [reason, pattern] of RULES) if (pattern.test(message)) return reason;
  return 'other';
}

/** What an admin does next about a failed attempt. */
export function adviceFor(reason: FailureReason, message: string): string {
  switch (reason) {
    case 'manifest-unknown':
      return 'the image is not on this mirror: mirror it there (oc mirror, or oc image mirror)';
    case 'unauthorized':
      return 'the mirror needs credentials: add them to the cluster pull secret (openshift-config/pull-secret)';
    case 'tls':
      return /HTTP response to HTTPS client/.test(message)
        ? 'the mirror speaks plain HTTP: add it to image.config.openshift.io/cluster spec.registrySources.insecureRegistries'
        : "the node does not trust the mirror's certificate: add its CA to image.config.openshift.io/cluster spec.additionalTrustedCA";
    case 'dns':
      return 'the node cannot resolve the host: check the mirror host name and the cluster DNS';
    case 'connection-refused':
      return 'nothing listens there: check the mirror host, port and that the registry is running';
    case 'timeout':
      return 'the connection timed out: check firewalls and proxy settings between the node and the registry';
    case 'blocked':
      return 'registries.conf blocks this registry (NeverContactSource or image.config blockedRegistries)';
    case 'other':
      return /fetching blob|blob unknown|reading blob/i.test(message)
        ? 'the registry served the manifest but not its blobs: mirror the image again'
        : 'see the raw log (--log-dir) for the full error';
  }
}
