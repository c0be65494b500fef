// registries.conf as containers/image loads it: pkg/sysregistriesv2/system_registries_v2.go
// (loadConfigFile, postProcessRegistries, updateWithConfigurationFrom, V1RegistriesConf.ConvertToV2).
import { InputError } from '../errors.js';
import { parse as parseToml } from 'smol-toml';

export type PullFromMirror = '' | 'all' | 'digest-only' | 'tag-only';

export interface Mirror {
  location: string;
  insecure: boolean;
  pullFromMirror: PullFromMirror;
}

export interface RegistryEntry {
  prefix: string;
  location: string;
  insecure: boolean;
  blocked: boolean;
  mirrorByDigestOnly: boolean;
  mirrors: Mirror[];
  /** The file the entry came from, for notes and error messages. */
  file: string;
}

export interface RegistriesConf {
  /** Sorted by prefix, one entry per prefix, as containers/image keeps them. */
  registries: RegistryEntry[];
  unqualifiedSearchRegistries: string[] | undefined;
  shortNameMode: string | undefined;
  /** Later entries with an already used prefix, which containers/image silently ignores. */
  ignored?: RegistryEntry[];
}

export interface ConfFile {
  path: string;
  text: string;
}

export class RegistriesConfError extends InputError {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

/** Main file first, then the drop-ins; a drop-in replaces a main entry with the same prefix. */
export function loadRegistriesConf(main: ConfFile | undefined, dropIns: ConfFile[] = []): RegistriesConf {
  const merged: RegistriesConf = { registries: [], unqualifiedSearchRegistries: undefined, shortNameMode: undefined };
  const byPrefix = new Map<string, RegistryEntry>();
  const ignored: RegistryEntry[] = [];
  const files = [...(main ? [main] : []), ...[...dropIns].sort((a, b) => compareStrings(baseName(a.path), baseName(b.path)))];
  if (files.length === 1) return parseRegistriesConfFile(files[0]!);
  for (const file of files) {
    const conf = parseRegistriesConfFile(file);
    for (const entry of conf.registries) byPrefix.set(entry.prefix, entry);
    ignored.push(...(conf.ignored ?? []));
    if (conf.unqualifiedSearchRegistries !== undefined) merged.unqualifiedSearchRegistries = conf.unqualifiedSearchRegistries;
    if (conf.shortNameMode !== undefined) merged.shortNameMode = conf.shortNameMode;
  }
  // Go's sort.Strings orders bytes and the default sort UTF-16 units: the same for ASCII hosts and
  // paths, and native (a comparator costs ~10 ms over 5,000 entries on a cold start).
  merged.registries = [...byPrefix.keys()].sort().map((prefix) => byPrefix.get(prefix)!);
  merged.ignored = ignored;
  return merged;
}

export function parseRegistriesConfFile(file: ConfFile): RegistriesConf {
  const fail = (problem: string): never => {
    throw new RegistriesConfError(file.path, problem);
  };
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(file.text) as Record<string, unknown>;
  } catch (error) {
    return fail(`not valid TOML: ${firstLine((error as Error).message)}`);
  }
  const rawEntries = isV1(doc) ? convertV1(doc, fail) : asArray(doc.registry, 'registry', fail);
  if (isV1(doc) && hasV2Fields(doc)) fail('mixing sysregistry v1/v2 is not supported');

  const entries = rawEntries.map((raw) => toEntry(raw, file.path, fail));
  checkConflicts(entries, fail);
  for (const entry of entries) {
    if (entry.prefix.startsWith('*.') && /[/@:]/.test(entry.prefix)) {
      fail(`Wildcarded prefix should be in the format: *.example.com. Current prefix ${JSON.stringify(entry.prefix)} is incorrectly formatted`);
    }
  }
  const unqualified = doc['unqualified-search-registries'];
  const shortNameMode = doc['short-name-mode'];
  if (typeof shortNameMode === 'string' && shortNameMode !== '' && !['disabled', 'enforcing', 'permissive'].includes(shortNameMode)) {
    fail(`invalid short-name mode: ${JSON.stringify(shortNameMode)}`);
  }
  const registries = firstPerPrefix(entries);
  return {
    registries,
    ignored: entries.filter((e) => !registries.includes(e)),
    unqualifiedSearchRegistries: Array.isArray(unqualified) ? unqualified.map((s) => parseLocation(String(s), fail)) : undefined,
    shortNameMode: typeof shortNameMode === 'string' && shortNameMode !== '' ? shortNameMode : undefined,
  };
}

function toEntry(raw: Record<string, unknown>, file: string, fail: (p: string) => never): RegistryEntry {
  const location = parseLocation(str(raw.location), fail);
  let prefix = str(raw.prefix);
  if (prefix === '') {
    if (location === '') fail('invalid condition: both location and prefix are unset');
    prefix = location;
  } else {
    prefix = parseLocation(prefix, fail);
    if (!prefix.startsWith('*.') && location === '') {
      fail('invalid condition: location is unset and prefix is not in the format: *.example.com');
    }
  }
  if (str(raw['pull-from-mirror']) !== '') fail(`pull-from-mirror must not be set for a non-mirror registry ${JSON.stringify(prefix)}`);
  const mirrorByDigestOnly = raw['mirror-by-digest-only'] === true;
  const mirrors = asArray(raw.mirror, 'registry.mirror', fail).map((m): Mirror => {
    const mirrorLocation = parseLocation(str(m.location), fail);
    if (mirrorLocation === '') fail('invalid condition: mirror location is unset');
    const pullFromMirror = str(m['pull-from-mirror']);
    if (mirrorByDigestOnly && pullFromMirror !== '') {
      fail(
        `cannot set mirror usage mirror-by-digest-only for the registry (${JSON.stringify(prefix)}) and pull-from-mirror for per-mirror (${JSON.stringify(mirrorLocation)}) at the same time`,
      );
    }
    if (!['', 'all', 'digest-only', 'tag-only'].includes(pullFromMirror)) {
      fail(`unsupported pull-from-mirror value ${JSON.stringify(pullFromMirror)} for mirror ${JSON.stringify(mirrorLocation)}`);
    }
    return { location: mirrorLocation, insecure: m.insecure === true, pullFromMirror: pullFromMirror as PullFromMirror };
  });
  return { prefix, location, insecure: raw.insecure === true, blocked: raw.blocked === true, mirrorByDigestOnly, mirrors, file };
}

// One registry may appear under several prefixes, but never with different insecure/blocked flags.
function checkConflicts(entries: RegistryEntry[], fail: (p: string) => never): void {
  const seen = new Map<string, RegistryEntry>();
  for (const entry of entries) {
    const key = entry.location === '' ? entry.prefix : entry.location;
    const other = seen.get(key);
    if (!other) {
      seen.set(key, entry);
      continue;
    }
    if (other.insecure !== entry.insecure) fail(`registry '${entry.location}' is defined multiple times with conflicting 'insecure' setting`);
    if (other.blocked !== entry.blocked) fail(`registry '${entry.location}' is defined multiple times with conflicting 'blocked' setting`);
  }
}

// The first entry for a prefix wins; containers/image silently drops later ones.
function firstPerPrefix(entries: RegistryEntry[]): RegistryEntry[] {
  const byPrefix = new Map<string, RegistryEntry>();
  for (const entry of entries) if (!byPrefix.has(entry.prefix)) byPrefix.set(entry.prefix, entry);
  return [...byPrefix.keys()].sort().map((p) => byPrefix.get(p)!);
}

function parseLocation(input: string, fail: (p: string) => never): string {
  const trimmed = input.replace(/\/+$/, '');
  if (trimmed.startsWith('http://') || trimmed.startsWith('https://')) {
    fail(`invalid location '${trimmed}': URI schemes are not supported`);
  }
  return trimmed;
}

const V1_KEYS = ['search', 'insecure', 'block'];

function isV1(doc: Record<string, unknown>): boolean {
  const v1 = doc.registries;
  return typeof v1 === 'object' && v1 !== null && !Array.isArray(v1);
}

function hasV2Fields(doc: Record<string, unknown>): boolean {
  return doc.registry !== undefined || doc['unqualified-search-registries'] !== undefined;
}

// V1RegistriesConf.ConvertToV2: insecure and block lists become location entries.
function convertV1(doc: Record<string, unknown>, fail: (p: string) => never): Record<string, unknown>[] {
  const v1 = doc.registries as Record<string, { registries?: unknown }>;
  const byLocation = new Map<string, Record<string, unknown>>();
  for (const key of V1_KEYS) {
    if (key === 'search') continue;
    const list = v1[key]?.registries;
    if (list === undefined) continue;
    if (!Array.isArray(list)) fail(`registries.${key}.registries must be a list`);
    for (const location of list as unknown[]) {
      const entry = byLocation.get(String(location)) ?? { location: String(location) };
      entry[key === 'block' ? 'blocked' : 'insecure'] = true;
      byLocation.set(String(location), entry);
    }
  }
  return [...byLocation.values()];
}

function asArray(value: unknown, what: string, fail: (p: string) => never): Record<string, unknown>[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(`[[${what}]] must be an array of tables`);
  return value as Record<string, unknown>[];
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
