// The registries.conf the machine-config-operator writes: validateRegistriesConfScopes
// (MCO pkg/controller/container-runtime-config/helpers.go), then EditRegistriesConfig
// (openshift/runtime-utils pkg/registries/registries.go, topo.go), then TOML.
import { InputError } from '../errors.js';
import { parse as parseToml, stringify as stringifyToml } from 'smol-toml';
import { type MirrorRule, MIRROR_PATTERN, type PolicySet, SOURCE_PATTERN } from './policies.js';
import { scopeIsNestedInsideScope } from './scopes.js';
import { topoSorted } from './topo.js';

export interface RenderedMirror {
  location: string;
  insecure?: boolean;
  'pull-from-mirror'?: 'digest-only' | 'tag-only';
}

export interface RenderedRegistry {
  prefix?: string;
  location?: string;
  insecure?: boolean;
  blocked?: boolean;
  mirrors?: RenderedMirror[];
}

export class RenderError extends InputError {
  constructor(problem: string) {
    super(`the machine-config-operator would refuse these policies: ${problem}`);
  }
}

/** The MCO's base template (templates/…/01-*-container-runtime/_base/files/container-registries.yaml). */
export const MCO_BASE_REGISTRIES_CONF = 'unqualified-search-registries = ["registry.access.redhat.com", "docker.io"]\n';

interface MirrorSet {
  source: string;
  mirrors: string[];
  never: boolean;
}

export function validateForMco(set: PolicySet): void {
  const sources = set.registrySources;
  for (const [scopes, what] of [
    [sources?.insecureRegistries ?? [], 'insecure'],
    [sources?.blockedRegistries ?? [], 'blocked'],
    [sources?.allowedRegistries ?? [], 'allowed'],
  ] as const) {
    for (const scope of scopes) if (!isValidScope(scope)) throw new RenderError(`invalid entry for ${what} registries ${JSON.stringify(scope)}`);
  }
  // ICSPs count as AllowContactingSource and are checked after every IDMS entry.
  const ordered = [
    ...set.rules.filter((r) => r.kind === 'ImageDigestMirrorSet'),
    ...set.rules.filter((r) => r.kind === 'ImageContentSourcePolicy'),
    ...set.rules.filter((r) => r.kind === 'ImageTagMirrorSet'),
  ];
  const policyBySource = new Map<string, string>();
  for (const rule of ordered) {
    if (!SOURCE_PATTERN.test(rule.source)) throw new RenderError(`invalid format for source ${JSON.stringify(rule.source)}`);
    const policy = rule.sourcePolicy ?? 'AllowContactingSource';
    const seen = policyBySource.get(rule.source);
    if (seen !== undefined && seen !== policy) {
      throw new RenderError(
        `conflicting mirrorSourcePolicy is set for the same source ${JSON.stringify(rule.source)} in imagedigestmirrorsets, imagetagmirrorsets, or imagecontentsourcepolicies`,
      );
    }
    policyBySource.set(rule.source, policy);
    for (const mirror of rule.mirrors) {
      if (!MIRROR_PATTERN.test(mirror)) throw new RenderError(`invalid format for mirror ${JSON.stringify(mirror)}`);
    }
    if (policy === 'NeverContactSource' && rule.mirrors.includes(rule.source)) {
      throw new RenderError(`cannot set mirrorSourcePolicy: NeverContactSource if the source ${JSON.stringify(rule.source)} is one of the mirrors`);
    }
  }
}

// runtime-utils IsValidRegistriesConfScope
function isValidScope(scope: string): boolean {
  if (scope === '') return false;
  if (!scope.includes('*')) return true;
  return scope.startsWith('*.') && !/[/@:*]/.test(scope.slice(2));
}

/** The [[registry]] entries, in the order the MCO writes them; invalid input is refused as the MCO does. */
export function renderRegistries(set: PolicySet): RenderedRegistry[] {
  validateForMco(set);
  return editRegistries(set);
}

/** runtime-utils EditRegistriesConfig alone, without the MCO's validation in front of it. */
export function editRegistries(set: PolicySet): RenderedRegistry[] {
  const digestSets = mergeMirrorSets([
    ...set.rules.filter((r) => r.kind === 'ImageDigestMirrorSet'),
    ...set.rules.filter((r) => r.kind === 'ImageContentSourcePolicy'),
  ]);
  const tagSets = mergeMirrorSets(set.rules.filter((r) => r.kind === 'ImageTagMirrorSet'));
  const entries: RenderedRegistry[] = [];
  const scopeOf = (e: RenderedRegistry) => (e.prefix ? e.prefix : (e.location ?? ''));
  const entryFor = (scope: string): RenderedRegistry => {
    let entry = entries.find((e) => scopeOf(e) === scope);
    if (!entry) {
      entry = scope.startsWith('*.') ? { prefix: scope } : { location: scope };
      entries.push(entry);
    }
    return entry;
  };

  for (const [sets, pull] of [
    [digestSets, 'digest-only'],
    [tagSets, 'tag-only'],
  ] as const) {
    for (const set of sets) {
      const entry = entryFor(set.source);
      if (set.never) entry.blocked = true;
      entry.mirrors = [...(entry.mirrors ?? []), ...set.mirrors.map((location) => ({ location, 'pull-from-mirror': pull }))];
    }
  }

  const insecure = set.registrySources?.insecureRegistries ?? [];
  const blocked = set.registrySources?.blockedRegistries ?? [];
  for (const scope of blocked) entryFor(scope);
  for (const scope of insecure) {
    entryFor(scope).insecure = true;
    for (const entry of entries) {
      if (scopeIsNestedInsideScope(scopeOf(entry), scope)) entry.insecure = true;
      for (const mirror of entry.mirrors ?? []) if (scopeIsNestedInsideScope(mirror.location, scope)) mirror.insecure = true;
    }
  }
  for (const scope of blocked) {
    entryFor(scope).blocked = true;
    for (const entry of entries) if (scopeIsNestedInsideScope(scopeOf(entry), scope)) entry.blocked = true;
  }

  // containers/image uses only the longest matching prefix, so a nested entry without mirrors
  // would lose the parent's mirrors; it gets a copy with the extra path (mirrorsAdjustedForNestedScope).
  for (const set of [...digestSets, ...tagSets]) {
    const parent = entryFor(set.source);
    for (const entry of entries) {
      const scope = scopeOf(entry);
      if (entry === parent || (entry.mirrors?.length ?? 0) > 0 || !scopeIsNestedInsideScope(scope, set.source)) continue;
      if (set.source.startsWith('*.')) throw new RenderError(`internal error: mirrorsAdjustedForNestedScope for a wildcard scope ${JSON.stringify(set.source)}`);
      const suffix = scope.slice(set.source.length);
      entry.mirrors = (parent.mirrors ?? []).map((m) => ({ ...m, location: m.location + suffix }));
    }
  }
  return entries;
}

// addMirrorSet + mergedMirrors: one deduplicated, topologically ordered list per source.
function mergeMirrorSets(rules: MirrorRule[]): MirrorSet[] {
  const bySource = new Map<string, { lists: string[][]; never: boolean }>();
  for (const rule of rules) {
    if (!rule.mirrors.some((m) => m !== rule.source)) continue;
    const bucket = bySource.get(rule.source) ?? { lists: [], never: false };
    bucket.lists.push(rule.mirrors);
    bucket.never ||= rule.sourcePolicy === 'NeverContactSource';
    bySource.set(rule.source, bucket);
  }
  return [...bySource.keys()].sort().map((source) => {
    const { lists, never } = bySource.get(source)!;
    const edges: [string, string][] = [];
    const nodes = new Set<string>();
    for (const list of lists) {
      list.forEach((m, i) => {
        nodes.add(m);
        if (i > 0) edges.push([list[i - 1]!, m]);
      });
      if (!list.includes(source)) {
        nodes.add(source);
        edges.push([list.at(-1)!, source]);
      }
    }
    const sorted = topoSorted([...nodes], edges);
    // containers/image always tries the source last; listing it there would be redundant.
    if (sorted.at(-1) === source) sorted.pop();
    return { source, mirrors: sorted, never };
  });
}

/** The whole registries.conf text: the base file with the rendered entries replacing its [[registry]]. */
export function renderRegistriesConf(set: PolicySet, base: string = MCO_BASE_REGISTRIES_CONF): string {
  const registries = renderRegistries(set);
  const baseDoc = parseToml(base) as Record<string, unknown>;
  const existing = Array.isArray(baseDoc.registry) ? (baseDoc.registry as Record<string, unknown>[]) : [];
  delete baseDoc.registry;
  const header: Record<string, unknown> = { ...baseDoc, 'short-name-mode': baseDoc['short-name-mode'] ?? '' };
  const entries = [...existing.map(fromToml), ...registries].map(toToml);
  return stringifyToml(entries.length ? { ...header, registry: entries } : header) + '\n';
}

function fromToml(raw: Record<string, unknown>): RenderedRegistry {
  return { ...(raw as RenderedRegistry), mirrors: (raw.mirror as RenderedMirror[] | undefined) ?? [] };
}

// Field order and omitempty as BurntSushi encodes c/image's Registry struct.
function toToml(entry: RenderedRegistry): Record<string, unknown> {
  const out: Record<string, unknown> = { prefix: entry.prefix ?? '' };
  if (entry.location) out.location = entry.location;
  if (entry.insecure) out.insecure = true;
  if (entry.blocked) out.blocked = true;
  if (entry.mirrors?.length) {
    out.mirror = entry.mirrors.map((m) => ({
      location: m.location,
      ...(m.insecure ? { insecure: true } : {}),
      ...(m['pull-from-mirror'] ? { 'pull-from-mirror': m['pull-from-mirror'] } : {}),
    }));
  }
  return out;
}
