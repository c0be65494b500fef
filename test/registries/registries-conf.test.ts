import { describe, expect, it } from 'vitest';
import { loadRegistriesConf, parseRegistriesConfFile } from '../../src/registries/registries-conf.js';

const file = (text: string, path = '/etc/containers/registries.conf') => ({ path, text });

describe('loading registries.conf as containers/image does', () => {
  it('normalises: trailing slashes, empty prefix = location, sorted by prefix', () => {
    const conf = parseRegistriesConfFile(
      file(`
[[registry]]
location = "z.io/team/"
[[registry.mirror]]
location = "m.io/z/"
[[registry]]
prefix = "a.io/x"
location = "b.io/y"
mirror-by-digest-only = true
`),
    );
    expect(conf.registries.map((r) => [r.prefix, r.location, r.mirrorByDigestOnly])).toEqual([
      ['a.io/x', 'b.io/y', true],
      ['z.io/team', 'z.io/team', false],
    ]);
    expect(conf.registries[1]!.mirrors).toEqual([{ location: 'm.io/z', insecure: false, pullFromMirror: '' }]);
  });

  it('keeps the first of duplicate prefixes and reports the others as ignored', () => {
    const conf = loadRegistriesConf(file('[[registry]]\nlocation = "d.io"\ninsecure = true\n[[registry]]\nprefix = "d.io"\nlocation = "d.io"\ninsecure = true\n[[registry.mirror]]\nlocation = "m.io"\n'));
    expect(conf.registries).toHaveLength(1);
    expect(conf.registries[0]!.mirrors).toEqual([]);
    expect(conf.ignored!.map((e) => e.mirrors.length)).toEqual([1]);
  });

  it('drop-ins are read in name order and replace entries by prefix', () => {
    const conf = loadRegistriesConf(file('unqualified-search-registries = ["a.io"]\n[[registry]]\nlocation = "h.io"\n[[registry.mirror]]\nlocation = "main.io"\n'), [
      file('[[registry]]\nlocation = "h.io"\n[[registry.mirror]]\nlocation = "late.io"\n', '/d/99-late.conf'),
      file('[[registry]]\nlocation = "h.io"\n[[registry.mirror]]\nlocation = "early.io"\n[[registry]]\nlocation = "other.io"\n', '/d/10-early.conf'),
      file('unqualified-search-registries = ["b.io"]\nshort-name-mode = "permissive"\n', '/d/50-search.conf'),
    ]);
    expect(conf.registries.map((r) => [r.prefix, r.mirrors.map((m) => m.location), r.file])).toEqual([
      ['h.io', ['late.io'], '/d/99-late.conf'],
      ['other.io', [], '/d/10-early.conf'],
    ]);
    expect(conf.unqualifiedSearchRegistries).toEqual(['b.io']);
    expect(conf.shortNameMode).toBe('permissive');
  });

  it('reads the v1 format (registries.insecure / registries.block)', () => {
    const conf = parseRegistriesConfFile(file('[registries.search]\nregistries = ["s.io"]\n[registries.insecure]\nregistries = ["i.io"]\n[registries.block]\nregistries = ["b.io", "i.io"]\n'));
    expect(conf.registries.map((r) => [r.prefix, r.insecure, r.blocked])).toEqual([
      ['b.io', false, true],
      ['i.io', true, true],
    ]);
  });

  const errors: [string, string][] = [
    ['[[registry]\n', 'not valid TOML'],
    ['[[registry]]\nprefix = "*.a.io/x"\nlocation = "b.io"\n', 'Wildcarded prefix should be in the format: *.example.com. Current prefix "*.a.io/x" is incorrectly formatted'],
    ['[[registry]]\nlocation = "https://a.io"\n', "invalid location 'https://a.io': URI schemes are not supported"],
    ['[[registry]]\ninsecure = true\n', 'invalid condition: both location and prefix are unset'],
    ['[[registry]]\nlocation = "a.io"\n[[registry.mirror]]\ninsecure = true\n', 'invalid condition: mirror location is unset'],
    ['short-name-mode = "sometimes"\n', 'invalid short-name mode: "sometimes"'],
    ['[registries.search]\nregistries = ["a.io"]\n[[registry]]\nlocation = "b.io"\n', 'mixing sysregistry v1/v2 is not supported'],
  ];
  for (const [text, message] of errors) {
    it(`refuses: ${message}`, () => {
      expect(() => parseRegistriesConfFile(file(text, '/n/registries.conf'))).toThrow(`/n/registries.conf: ${message}`);
    });
  }
});
