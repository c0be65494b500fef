// Properties of resolution over generated valid references and sane registries.conf files:
// resolve never throws, and every source it yields is a valid, canonical reference.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCanonical, parseReference, pullString, type ImageReference, isDigested } from '../../src/registries/reference.js';
import type { RegistriesConf, RegistryEntry } from '../../src/registries/registries-conf.js';
import { findRegistry, resolvePullSources } from '../../src/registries/resolve.js';

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/);
const host = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom('invalid', 'example.com', 'io')).map(([ls, tld]) => `${ls.join('.')}.${tld}`);
const hostPort = fc.tuple(host, fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined })).map(([h, p]) => (p ? `${h}:${p}` : h));
const component = fc.stringMatching(/^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+){0,2}$/).filter((c) => c.length <= 20);
const path = fc.array(component, { minLength: 1, maxLength: 4 }).map((cs) => cs.join('/'));
const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/);
const digest = fc.stringMatching(/^[a-f0-9]{64}$/).map((h) => `sha256:${h}`);

const reference = fc
  .record({ domain: hostPort, path, tag: fc.option(tag, { nil: undefined }), digest: fc.option(digest, { nil: undefined }) })
  .map((r) => `${r.domain}/${r.path}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`);

const pull = fc.constantFrom('', 'all', 'digest-only', 'tag-only') as fc.Arbitrary<'' | 'all' | 'digest-only' | 'tag-only'>;

// Sane entries: non-wildcard locations and mirrors name a repository (host/path), wildcard
// entries mirror to bare hosts, as the MCO renders them.
const plainEntry = fc
  .record({ prefix: fc.tuple(hostPort, fc.option(path, { nil: undefined })), location: fc.tuple(host, path), mirrors: fc.array(fc.tuple(host, path, pull, fc.boolean()), { maxLength: 3 }), blocked: fc.boolean(), insecure: fc.boolean() })
  .map(({ prefix, location, mirrors, blocked, insecure }): RegistryEntry => ({
    prefix: prefix[1] ? `${prefix[0]}/${prefix[1]}` : prefix[0],
    location: `${location[0]}/${location[1]}`,
    blocked,
    insecure,
    mirrorByDigestOnly: false,
    mirrors: mirrors.map(([h, p, pf, i]) => ({ location: `${h}/${p}`, pullFromMirror: pf, insecure: i })),
    file: 'generated',
  }));
const wildcardEntry = fc
  .record({ domain: host, mirrors: fc.array(fc.tuple(host, pull), { maxLength: 3 }), blocked: fc.boolean() })
  .map(({ domain, mirrors, blocked }): RegistryEntry => ({
    prefix: `*.${domain}`,
    location: '',
    blocked,
    insecure: false,
    mirrorByDigestOnly: false,
    mirrors: mirrors.map(([h, pf]) => ({ location: h, pullFromMirror: pf, insecure: false })),
    file: 'generated',
  }));

const conf = fc.array(fc.oneof(plainEntry, wildcardEntry), { maxLength: 6 }).map((entries): RegistriesConf => {
  const byPrefix = new Map(entries.map((e) => [e.prefix, e]));
  return { registries: [...byPrefix.values()].sort((a, b) => (a.prefix < b.prefix ? -1 : 1)), unqualifiedSearchRegistries: [], shortNameMode: undefined };
});

// References drawn both at random and from under the generated prefixes, so matches happen.
const confAndReference = conf.chain((c) => {
  const underPrefix = c.registries
    .filter((e) => !e.prefix.startsWith('*.'))
    .map((e) => fc.tuple(fc.option(path, { nil: undefined }), fc.option(tag, { nil: undefined }), fc.option(digest, { nil: undefined })).map(([p, t, d]) => `${e.prefix}${p ? `/${p}` : ''}${t ? `:${t}` : ''}${d ? `@${d}` : ''}`));
  const underWildcard = c.registries
    .filter((e) => e.prefix.startsWith('*.'))
    .map((e) => fc.tuple(label, path, fc.option(tag, { nil: undefined })).map(([l, p, t]) => `${l}${e.prefix.slice(1)}/${p}${t ? `:${t}` : ''}`));
  return fc.tuple(fc.constant(c), fc.oneof(reference, ...underPrefix, ...underWildcard));
});

function validRef(text: string): ImageReference | undefined {
  try {
    return parseReference(text);
  } catch {
    return undefined;
  }
}

describe('resolution properties', () => {
  it('never throws on a valid reference, and every source is canonical', () => {
    fc.assert(
      fc.property(confAndReference, ([c, text]) => {
        const ref = validRef(text);
        fc.pre(ref !== undefined);
        const { sources, entry } = resolvePullSources(c, ref!);
        for (const s of sources) expect(() => parseCanonical(s.reference)).not.toThrow();
        expect(sources.at(-1)!.mirror).toBe(false);
        const eligible = (entry?.mirrors ?? []).filter((m) => m.pullFromMirror === '' || m.pullFromMirror === 'all' || (m.pullFromMirror === 'digest-only') === isDigested(ref!));
        expect(sources.length).toBe(eligible.length + 1);
        // A digest pull stays a digest pull on every source.
        if (ref!.digest) for (const s of sources) expect(s.reference.endsWith(`@${ref!.digest}`)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('with no matching entry the only source is the reference itself', () => {
    fc.assert(
      fc.property(reference, (text) => {
        const ref = validRef(text);
        fc.pre(ref !== undefined);
        const empty: RegistriesConf = { registries: [], unqualifiedSearchRegistries: [], shortNameMode: undefined };
        expect(findRegistry(empty, text)).toBeUndefined();
        expect(resolvePullSources(empty, ref!).sources.map((s) => s.reference)).toEqual([pullString(ref!)]);
      }),
      { numRuns: 1000 },
    );
  });

  it('parsing is stable: what podman pulls parses back to itself', () => {
    fc.assert(
      fc.property(reference, (text) => {
        const ref = validRef(text);
        fc.pre(ref !== undefined);
        expect(pullString(parseReference(pullString(ref!)))).toBe(pullString(ref!));
      }),
      { numRuns: 1000 },
    );
  });
});
