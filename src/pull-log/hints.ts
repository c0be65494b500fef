// What to do next about a node that did not pull through a mirror: one line, chosen from the
// evidence the node reported (its attempts, pull secret, proxy, configuration) and how its
// run ended. detail says what happened; the hint says what to change.
import { BlockList, isIP } from 'node:net';
import { adviceFor } from './classify.js';
import type { Expectation, RunEnd, Verdict, VerdictAttempt } from './evidence.js';
import type { NodeReport } from './node-output.js';
import { parseReference, referenceName } from '../registries/reference.js';

export interface HintEvidence {
  verdict: Verdict;
  image: string;
  report: NodeReport;
  end: RunEnd;
  expectation: Expectation;
  attempts: VerdictAttempt[];
  served: VerdictAttempt | null;
  source: VerdictAttempt | null;
}

export function hintFor(e: HintEvidence): string | null {
  if (e.verdict === 'error') return errorHint(e);
  if (e.verdict === 'mirror-failed') return mirrorFailedHint(e);
  if (e.verdict === 'not-mirrored') return notMirroredHint(e);
  return null;
}

function errorHint({ end, report }: HintEvidence): string | null {
  const said = end.clientSaid ?? '';
  if (end.status === 'interrupted') return null;
  if (/ImagePullBackOff|ErrImagePull|Back-off pulling image|unable to start/i.test(said)) {
    return "the node pod's image cannot be pulled: pass --image with a tools image your mirror serves";
  }
  if (/forbidden/i.test(said)) return 'log in as a cluster administrator: verify creates a namespace and privileged pods';
  if (end.status === 'timed-out') return 'the check did not finish in time: raise --timeout, or look at the node (describe it, check its kubelet)';
  if (end.status === 'could-not-start') return "the node's pod could not be created: read the reason above";
  if (report.pulls.some((p) => p.exitCode !== null && p.log.attempts.length === 0)) {
    return "podman refused the pull before trying any source: read its error, and the node's registries.conf (--log-dir keeps both)";
  }
  return 'the node pod ended without a result: rerun with --log-dir and read the log';
}

function mirrorFailedHint(e: HintEvidence): string {
  const first = e.attempts.find((a) => a.mirror && !a.ok)!;
  const host = hostOf(first.reference);
  const never = !e.served && e.source?.reason === 'blocked' ? '; the source is blocked (NeverContactSource), so nothing else is tried' : '';
  return `${host}: ${attemptHint(first, host, e.report)}${never}`;
}

function attemptHint(attempt: VerdictAttempt, host: string, report: NodeReport): string {
  const message = attempt.message ?? '';
  switch (attempt.reason) {
    case 'unauthorized': {
      const held = credentialsFor(report.credentials, repositoryOf(attempt.reference));
      if (held === true) return 'the node pull secret has credentials for it, so the repository may not exist on this mirror, or these credentials cannot read it';
      if (held === false) return "add the mirror's credentials to the cluster pull secret (openshift-config/pull-secret)";
      return 'check that the cluster pull secret (openshift-config/pull-secret) has credentials for it, and that the repository exists there';
    }
    case 'tls':
      // The node's CA bundle is keyed by host, so the hint can name the exact key.
      if (/HTTP response to HTTPS client/.test(message)) return adviceFor('tls', message);
      return `trust its CA: a ConfigMap in openshift-config with the CA under the key "${host.replace(':', '..')}", named in image.config.openshift.io/cluster spec.additionalTrustedCA`;
    case 'dns':
    case 'connection-refused':
    case 'timeout':
    case 'other': {
      const proxy = proxyFor(report.proxy, host);
      if (proxy) return `the node reaches it through the cluster proxy (${proxy}), as CRI-O does: add it to proxy/cluster spec.noProxy, or let the proxy reach it`;
      return adviceFor(attempt.reason, message);
    }
    default:
      return adviceFor(attempt.reason ?? 'other', message);
  }
}

function notMirroredHint({ expectation, end }: HintEvidence): string {
  const { coveredBy, mismatch, rolloutPending, configMatches } = expectation;
  if (mismatch) {
    return mismatch.kind === 'tag-pull-digest-mirrors'
      ? 'pull by digest, or add an ImageTagMirrorSet for the repository'
      : 'add an ImageDigestMirrorSet for the repository: ImageTagMirrorSets serve tag pulls only';
  }
  if (coveredBy.length && (rolloutPending || configMatches === false)) {
    return `the node's registries.conf lags the cluster's policies: let its MachineConfigPool finish the rollout (${pluginName(end)} status)`;
  }
  if (coveredBy.length) return `check the node's MachineConfig rollout (${pluginName(end)} status) and its registries.conf.d drop-ins`;
  return 'no mirror policy covers this image: add an ImageDigestMirrorSet (digest pulls) or an ImageTagMirrorSet (tag pulls) for its repository';
}

/** How the user started the plugin, for advice to run one of its commands. */
const pluginName = (end: RunEnd) => end.invokedAs ?? `${end.clientName} icsp`;

/** registry host (with port) of a reference. */
export function hostOf(reference: string): string {
  return reference.split('/')[0]!;
}

/** The repository an attempt asked, named as verify named the repositories it asked the pull secret about. */
function repositoryOf(reference: string): string {
  try {
    return referenceName(parseReference(reference));
  } catch {
    return reference;
  }
}

/** What the pull secret said for the most specific repository asked about that covers this one. */
function credentialsFor(credentials: Record<string, boolean>, repository: string): boolean | undefined {
  const keys = Object.keys(credentials).filter((k) => repository === k || repository.startsWith(`${k}/`));
  const best = keys.sort((a, b) => b.length - a.length)[0];
  return best === undefined ? undefined : credentials[best];
}

/**
 * The proxy a request to host goes through, as CRI-O and podman decide it: containers/image uses
 * http.ProxyFromEnvironment (pkg/tlsclientconfig/tlsclientconfig.go), so golang.org/x/net
 * http/httpproxy/proxy.go rules:
 * - an https request uses HTTPS_PROXY alone, a plain-http one HTTP_PROXY alone;
 * - localhost and loopback addresses are never proxied;
 * - NO_PROXY entries: `*`; an IP or a CIDR, which match only a host written as an IP; `foo.com`,
 *   the domain and its subdomains; `.foo.com` and `*.foo.com`, subdomains only; each may carry a
 *   port, which must then be the request's (443 or 80 where the host names none).
 * OpenShift puts the machine, cluster and service networks into status.noProxy, and so into
 * /etc/mco/proxy.env: a mirror addressed by an IP in those networks goes direct.
 */
export function proxyFor(proxy: Record<string, string> | null, host: string, scheme: 'https' | 'http' = 'https'): string | null {
  if (!proxy) return null;
  const via = scheme === 'https' ? proxy.HTTPS_PROXY || proxy.https_proxy : proxy.HTTP_PROXY || proxy.http_proxy;
  if (!via) return null;
  const [name, explicitPort] = splitHostPort(host);
  const port = explicitPort ?? (scheme === 'https' ? '443' : '80');
  const ipVersion = isIP(name);
  if (name === 'localhost' || (ipVersion === 4 && name.startsWith('127.')) || (ipVersion === 6 && name === '::1')) return null;
  for (const raw of (proxy.NO_PROXY ?? proxy.no_proxy ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)) {
    if (raw === '*') return null;
    const cidr = /^(.+)\/(\d+)$/.exec(raw);
    if (cidr && isIP(cidr[1]!)) {
      if (ipVersion && inSubnet(name, cidr[1]!, Number(cidr[2]))) return null;
      continue;
    }
    const [entry, entryPort] = splitHostPort(raw);
    if (entryPort && entryPort !== port) continue;
    if (isIP(entry)) {
      if (entry === name) return null;
      continue;
    }
    const subdomainsOnly = entry.startsWith('.') || entry.startsWith('*.');
    const domain = entry.replace(/^\*?\./, '');
    if (name.endsWith(`.${domain}`) || (!subdomainsOnly && name === domain)) return null;
  }
  return via;
}

function inSubnet(ip: string, network: string, prefix: number): boolean {
  const list = new BlockList();
  try {
    list.addSubnet(network, prefix, isIP(network) === 6 ? 'ipv6' : 'ipv4');
    return list.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4');
  } catch {
    return false;
  }
}

function splitHostPort(host: string): [string, string | null] {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(host.toLowerCase());
  if (bracketed) return [bracketed[1]!, bracketed[2] ?? null];
  if (isIP(host) === 6) return [host.toLowerCase(), null];
  const m = /^(.*?)(?::(\d+))?$/.exec(host.toLowerCase())!;
  return [m[1]!, m[2] ?? null];
}
