// Pull sources as containers/image computes them: pkg/sysregistriesv2 FindRegistry,
// refMatchingPrefix, (*Registry).PullSourcesFromReference and rewriteReference;
// the blocked check is docker/docker_client.go newDockerClient.
import { type ImageReference, isDigested, parseCanonical, pullString, referenceName } from './reference.js';
import type { RegistriesConf, RegistryEntry } from './registries-conf.js';

/** containers/image cannot compute the sources: podman fails before trying any. */
export class PullSourceError extends Error {}

export interface PullSource {
  /** Exactly the string podman logs in `Trying to access "<reference>"`. */
  reference: string;
  mirror: boolean;
  insecure: boolean;
  /** containers/image refuses this attempt before any network I/O. */
  blocked: boolean;
  /** Why this source is in the list, for humans. */
  why: string;
}

export interface Resolution {
  reference: string;
  entry: RegistryEntry | undefined;
  sources: PullSource[];
  /** Mirrors of the matched entry that this pull skips, with the reason. */
  skipped: { location: string; why: string }[];
}

/** Length of the matched prefix, or -1 (refMatchingPrefix). */
export function matchPrefix(ref: string, prefix: string): number {
  if (prefix.startsWith('*.')) return matchWildcard(ref, prefix);
  if (ref.length < prefix.length) return -1;
  if (ref.length === prefix.length) return ref === prefix ? prefix.length : -1;
  if (!ref.startsWith(prefix)) return -1;
  // containers/image also lets "example.com:5000" match "example.com"; upstream calls it unintended but keeps it.
  const next = ref[prefix.length];
  return next === ':' || next === '/' || next === '@' ? prefix.length : -1;
}

// refMatchingSubdomainPrefix: `*.example.com` matches any subdomain, host part only.
function matchWildcard(ref: string, prefix: string): number {
  const suffix = prefix.slice(1);
  const index = ref.indexOf(suffix);
  if (index === -1 || ref.slice(0, index).includes('/')) return -1;
  const end = index + suffix.length;
  if (end === ref.length) return end;
  const next = ref[end];
  return next === ':' || next === '/' || next === '@' ? end : -1;
}

/** The entry with the longest prefix; ties go to the first in prefix order. */
export function findRegistry(conf: RegistriesConf, ref: string): RegistryEntry | undefined {
  let best: RegistryEntry | undefined;
  for (const entry of conf.registries) {
    if (matchPrefix(ref, entry.prefix) !== -1 && (!best || entry.prefix.length > best.prefix.length)) best = entry;
  }
  return best;
}

export function resolvePullSources(conf: RegistriesConf, ref: ImageReference): Resolution {
  const reference = pullString(ref);
  const entry = findRegistry(conf, referenceName(ref));
  if (!entry) {
    return {
      reference,
      entry,
      sources: [{ reference, mirror: false, insecure: false, blocked: false, why: 'no registries.conf entry matches; the reference is pulled as is' }],
      skipped: [],
    };
  }
  const digested = isDigested(ref);
  const sources: PullSource[] = [];
  const skipped: Resolution['skipped'] = [];
  for (const mirror of entry.mirrors) {
    const skip = mirrorSkipReason(entry, mirror.pullFromMirror, digested);
    if (skip) {
      skipped.push({ location: mirror.location, why: skip });
      continue;
    }
    const rewritten = rewrite(reference, entry.prefix, mirror.location);
    sources.push({
      reference: rewritten,
      mirror: true,
      insecure: mirror.insecure,
      blocked: isBlocked(conf, rewritten),
      why: `mirror of ${entry.prefix}${mirror.pullFromMirror ? ` (pull-from-mirror = "${mirror.pullFromMirror}")` : ''}`,
    });
  }
  const primary = rewrite(reference, entry.prefix, entry.location);
  sources.push({
    reference: primary,
    mirror: false,
    insecure: entry.insecure,
    blocked: isBlocked(conf, primary),
    why: primary === reference ? 'the source, always tried last' : `the source, rewritten by location = "${entry.location}"`,
  });
  return { reference, entry, sources, skipped };
}

function mirrorSkipReason(entry: RegistryEntry, pullFromMirror: string, digested: boolean): string | undefined {
  if (entry.mirrorByDigestOnly) return digested ? undefined : 'mirror-by-digest-only = true and this is a tag pull';
  if (pullFromMirror === 'digest-only' && !digested) return 'pull-from-mirror = "digest-only" and this is a tag pull';
  if (pullFromMirror === 'tag-only' && digested) return 'pull-from-mirror = "tag-only" and this is a digest pull';
  return undefined;
}

// rewriteReference: the matched prefix is replaced by the endpoint location, textually.
function rewrite(reference: string, prefix: string, location: string): string {
  if (location === '') return reference;
  const matched = matchPrefix(reference, prefix);
  if (matched === -1) throw new PullSourceError(`invalid prefix '${prefix}' for reference '${reference}'`);
  const rewritten = location + reference.slice(matched);
  try {
    parseCanonical(rewritten);
    return rewritten;
  } catch (error) {
    throw new PullSourceError(`rewriting reference: ${(error as Error).message}`, { cause: error });
  }
}

// newDockerClient looks the physical reference up again, by its name (no tag or digest), and
// refuses a blocked entry (containers/image docker/docker_client.go, sysregistriesv2 FindRegistry).
function isBlocked(conf: RegistriesConf, physical: string): boolean {
  return findRegistry(conf, referenceName(parseCanonical(physical)))?.blocked ?? false;
}
