import { describe, expect, it } from 'vitest';
import { isDigested, parseReference, pullString, referenceName, wasNormalized } from '../../src/registries/reference.js';

const D64 = 'a'.repeat(64);

describe('parseReference: valid references', () => {
  const cases: [string, string, string][] = [
    // input, name, what podman pulls
    ['busybox', 'docker.io/library/busybox', 'docker.io/library/busybox:latest'],
    ['library/busybox:1.36', 'docker.io/library/busybox', 'docker.io/library/busybox:1.36'],
    ['index.docker.io/foo', 'docker.io/library/foo', 'docker.io/library/foo:latest'],
    ['docker.io/user/app', 'docker.io/user/app', 'docker.io/user/app:latest'],
    ['quay.io/org/app:v1', 'quay.io/org/app', 'quay.io/org/app:v1'],
    ['localhost/app', 'localhost/app', 'localhost/app:latest'],
    ['localhost:5000/a/b/c', 'localhost:5000/a/b/c', 'localhost:5000/a/b/c:latest'],
    ['127.0.0.1:5000/mirror/app@sha256:' + D64, '127.0.0.1:5000/mirror/app', `127.0.0.1:5000/mirror/app@sha256:${D64}`],
    ['[::1]:5000/app:x', '[::1]:5000/app', '[::1]:5000/app:x'],
    ['Registry.Example.com/app', 'Registry.Example.com/app', 'Registry.Example.com/app:latest'],
    ['example.com/a__b/c-d/e.f/g---h:T_1.0-x', 'example.com/a__b/c-d/e.f/g---h', 'example.com/a__b/c-d/e.f/g---h:T_1.0-x'],
    // name:tag@digest is a digest pull; podman drops the tag.
    [`quay.io/org/app:v1@sha256:${D64}`, 'quay.io/org/app', `quay.io/org/app@sha256:${D64}`],
    [`quay.io/org/app@sha384:${'b'.repeat(96)}`, 'quay.io/org/app', `quay.io/org/app@sha384:${'b'.repeat(96)}`],
    [`quay.io/org/app@sha512:${'c'.repeat(128)}`, 'quay.io/org/app', `quay.io/org/app@sha512:${'c'.repeat(128)}`],
    [`quay.io/a:${'t'.repeat(128)}`, 'quay.io/a', `quay.io/a:${'t'.repeat(128)}`],
  ];
  for (const [input, name, pulled] of cases) {
    it(input.length > 60 ? `${input.slice(0, 60)}…` : input, () => {
      const ref = parseReference(input);
      expect(referenceName(ref)).toBe(name);
      expect(pullString(ref)).toBe(pulled);
    });
  }

  it('knows digest pulls', () => {
    expect(isDigested(parseReference(`q.io/a@sha256:${D64}`))).toBe(true);
    expect(isDigested(parseReference(`q.io/a:v1@sha256:${D64}`))).toBe(true);
    expect(isDigested(parseReference('q.io/a:v1'))).toBe(false);
  });

  it('says when the user typed a short form', () => {
    expect(wasNormalized('busybox', parseReference('busybox'))).toBe(true);
    expect(wasNormalized('quay.io/a/b:v1', parseReference('quay.io/a/b:v1'))).toBe(false);
    expect(wasNormalized(`quay.io/a:v1@sha256:${D64}`, parseReference(`quay.io/a:v1@sha256:${D64}`))).toBe(false);
  });

  it('allows a name of exactly 255 characters', () => {
    const path = 'a'.repeat(255 - 'q.io/'.length);
    expect(referenceName(parseReference(`q.io/${path}`))).toHaveLength(255);
  });
});

describe('parseReference: each bad part is named', () => {
  const cases: [string, RegExp][] = [
    ['', /it is empty/],
    ['quay.io/a b', /white space/],
    ['https://quay.io/a', /URL scheme/],
    ['quay.io/Org/app', /must be lowercase/],
    ['Foo/Bar', /must be lowercase/],
    ['quay.io/a:', /tag ""/],
    ['quay.io/a:-x', /tag "-x"/],
    ['quay.io/a:.x', /tag ".x"/],
    [`quay.io/a:${'t'.repeat(129)}`, /tag is 129 characters long; the limit is 128/],
    ['quay.io/a:v$1', /tag "v\$1"/],
    ['quay.io/a@sha256:abc', /sha256 digest needs 64 hex characters, got 3/],
    [`quay.io/a@sha256:${'A'.repeat(64)}`, /lowercase hex/],
    [`quay.io/a@md5:${'a'.repeat(32)}`, /algorithm "md5" is not one of sha256, sha384, sha512/],
    [`quay.io/a@sha384:${D64}`, /sha384 digest needs 96 hex characters, got 64/],
    ['quay.io/a@', /digest ""/],
    ['quay.io/a@latest', /digest "latest"/],
    ['quay.io//a', /empty component/],
    ['quay.io/a/', /empty component/],
    ['quay.io/', /repository name is missing/],
    ['quay.io/a..b', /path component "a..b"/],
    ['quay.io/-a', /path component "-a"/],
    ['quay.io/a_', /path component "a_"/],
    ['quay.io/a;rm -rf', /white space/],
    ['quay.io/a;rm', /path component "a;rm"/],
    ['quay.io/$(id)', /path component "\$\(id\)"/],
    ['-rf/a', /registry host "-rf"|path component/],
    ['host-.com/a', /registry host "host-.com"/],
    ['host.com:port/a', /registry host|tag/],
    [`q.io/${'a'.repeat(251)}`, /repository name is 256 characters long; the limit is 255/],
  ];
  for (const [input, problem] of cases) {
    it(JSON.stringify(input.slice(0, 60)), () => {
      expect(() => parseReference(input)).toThrow(problem);
      expect(() => parseReference(input)).toThrow(/^invalid image reference /);
    });
  }
});
