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
  'signature',
  'other',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

// Order matters: a DNS lookup can itself time out, and a TLS error can mention a host.
const RULES: [FailureReason, RegExp][] = [
  ['blocked', /\bis blocked in\b/],
  // The policy refused the image after its manifest was read (containers/image copy/single.go
  // "Source image rejected: %w"; signature/policy_eval*.go; CRI-O wraps it as
  // SignatureValidationFailed, internal/storage/image.go). Before the network rules: a refused
  // signature's reasons can name x509 or a host.
  ['signature', /Source image rejected:|SignatureValidationFailed|[Ss]ignature (was required|for identity|for digest)|None of the signatures were accepted|is rejected by policy/],
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
