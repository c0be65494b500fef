// fast-check generators for registries.conf files and references: sane entries (non-wildcard
// locations and mirrors name a repository, wildcard entries mirror to bare hosts, as the MCO
// renders them), in the current pull-from-mirror form and the 4.12-and-earlier
// mirror-by-digest-only form, which containers/image refuses to mix in one entry.
import fc from 'fast-check';
import { stringify } from 'smol-toml';
import type { PullFromMirror, RegistriesConf, RegistryEntry } from '../../src/registries/registries-conf.js';

export function generators(tlds: string[] = ['invalid', 'example.com', 'io']) {
  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/);
  const host = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom(...tlds)).map(([ls, tld]) => `${ls.join('.')}.${tld}`);
  const hostPort = fc.tuple(host, fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined })).map(([h, p]) => (p ? `${h}:${p}` : h));
  const component = fc.stringMatching(/^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+){0,2}$/).filter((c) => c.length <= 20);
  const path = fc.array(component, { minLength: 1, maxLength: 4 }).map((cs) => cs.join('/'));
  const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/);
  const digest = fc.stringMatching(/^[a-f0-9]{64}$/).map((h) => `sha256:${h}`);

  const reference = fc
    .record({ domain: hostPort, path, tag: fc.option(tag, { nil: undefined }), digest: fc.option(digest, { nil: undefined }) })
    .map((r) => `${r.domain}/${r.path}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`);

  const pull = fc.constantFrom<PullFromMirror>('', 'all', 'digest-only', 'tag-only');

  const plainEntry = fc
    .record({
      prefix: fc.tuple(hostPort, fc.option(path, { nil: undefined })),
      location: fc.tuple(host, path),
      mirrors: fc.array(fc.tuple(host, path, pull, fc.boolean()), { maxLength: 3 }),
      blocked: fc.boolean(),
      insecure: fc.boolean(),
      mirrorByDigestOnly: fc.boolean(),
    })
    .map(({ prefix, location, mirrors, blocked, insecure, mirrorByDigestOnly }): RegistryEntry => ({
      prefix: prefix[1] ? `${prefix[0]}/${prefix[1]}` : prefix[0],
      location: `${location[0]}/${location[1]}`,
      blocked,
      insecure,
      mirrorByDigestOnly,
      mirrors: mirrors.map(([h, p, pf, i]) => ({ location: `${h}/${p}`, pullFromMirror: mirrorByDigestOnly ? '' : pf, insecure: i })),
      file: 'generated',
    }));
  const wildcardEntry = fc
    .record({ domain: host, mirrors: fc.array(fc.tuple(host, pull), { maxLength: 3 }), blocked: fc.boolean(), mirrorByDigestOnly: fc.boolean() })
    .map(({ domain, mirrors, blocked, mirrorByDigestOnly }): RegistryEntry => ({
      prefix: `*.${domain}`,
      location: '',
      blocked,
      insecure: false,
      mirrorByDigestOnly,
      mirrors: mirrors.map(([h, pf]) => ({ location: h, pullFromMirror: mirrorByDigestOnly ? '' : pf, insecure: false })),
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
      .map((e) =>
        fc
          .tuple(fc.option(path, { nil: undefined }), fc.option(tag, { nil: undefined }), fc.option(digest, { nil: undefined }))
          .map(([p, t, d]) => `${e.prefix}${p ? `/${p}` : ''}${t ? `:${t}` : ''}${d ? `@${d}` : ''}`),
      );
    const underWildcard = c.registries
      .filter((e) => e.prefix.startsWith('*.'))
      .map((e) => fc.tuple(label, path, fc.option(tag, { nil: undefined }), fc.option(digest, { nil: undefined })).map(([l, p, t, d]) => `${l}${e.prefix.slice(1)}/${p}${t ? `:${t}` : ''}${d ? `@${d}` : ''}`));
    return fc.tuple(fc.constant(c), fc.oneof(reference, ...underPrefix, ...underWildcard));
  });

  return { reference, conf, confAndReference };
}

/** The registries.conf text containers/image reads for a generated file. */
export function confText(conf: RegistriesConf): string {
  return stringify({
    'unqualified-search-registries': [],
    registry: conf.registries.map((e) => ({
      prefix: e.prefix,
      location: e.location,
      ...(e.blocked ? { blocked: true } : {}),
      ...(e.insecure ? { insecure: true } : {}),
      ...(e.mirrorByDigestOnly ? { 'mirror-by-digest-only': true } : {}),
      mirror: e.mirrors.map((m) => ({
        location: m.location,
        ...(m.insecure ? { insecure: true } : {}),
        ...(m.pullFromMirror ? { 'pull-from-mirror': m.pullFromMirror } : {}),
      })),
    })),
  });
}
