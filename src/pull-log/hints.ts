// What the node's evidence says about a failing mirror, beyond its attempt: which host, whether
// the node pull secret holds its credentials, and whether the node reaches it through the cluster
// proxy. The verdict's reason carries these as fields (verdict.ts); report/reasons.ts words them.
import { BlockList, isIP } from 'node:net';
import { parseReference, referenceName } from '../registries/reference.js';

/** registry host (with port) of a reference. */
export function hostOf(reference: string): string {
  return reference.split('/')[0]!;
}

/** The repository an attempt asked, named as verify named the repositories it asked the pull secret about. */
export function repositoryOf(reference: string): string {
  try {
    return referenceName(parseReference(reference));
  } catch {
    return reference;
  }
}

/** What the pull secret said for the most specific repository asked about that covers this one. */
export function credentialsFor(credentials: Record<string, boolean>, repository: string): boolean | undefined {
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
