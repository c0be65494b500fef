// Differential: for each (registries.conf, reference), real podman's `Trying to access` order must
// equal `oc icsp explain --registries-conf`'s sources. Every host is under .invalid, so every
// attempt fails fast (DNS) or before any I/O (blocked); insecure shows as podman's http:// retry.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readPullLog } from '../../src/pull-log/pull-log.js';
import { confText, generators } from '../registries/generators.js';
import { BIN, canRunSandbox } from './helpers.js';

const D = `sha256:${'4'.repeat(64)}`;
const work = mkdtempSync(join(tmpdir(), 'oc-icsp-diff-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const MAIN = `
unqualified-search-registries = []

[[registry]]
prefix = "a.invalid/foo"
location = "a.invalid/bar"
[[registry.mirror]]
location = "m1.invalid"
[[registry.mirror]]
location = "m2.invalid/deep/er"
insecure = true

[[registry]]
location = "b.invalid/ns"
mirror-by-digest-only = true
[[registry.mirror]]
location = "mb1.invalid/x"
[[registry.mirror]]
location = "mb2.invalid"

[[registry]]
location = "c.invalid"
[[registry.mirror]]
location = "mc-digest.invalid"
pull-from-mirror = "digest-only"
[[registry.mirror]]
location = "mc-tag.invalid"
pull-from-mirror = "tag-only"
[[registry.mirror]]
location = "mc-all.invalid"
pull-from-mirror = "all"

[[registry]]
prefix = "*.wild.invalid"
[[registry.mirror]]
location = "mw.invalid/w"

[[registry]]
prefix = "*.sub.wild.invalid"
location = "sub-loc.invalid"

[[registry]]
location = "d.invalid/team"
blocked = true
[[registry.mirror]]
location = "md.invalid/team"
pull-from-mirror = "digest-only"

[[registry]]
location = "blocked-mirror.invalid"
blocked = true

[[registry]]
location = "e.invalid/app"
[[registry.mirror]]
location = "blocked-mirror.invalid/e"

[[registry]]
location = "f.invalid:5000/repo"
insecure = true
[[registry.mirror]]
location = "mf.invalid:6000/r"

[[registry]]
location = "g.invalid/a"
[[registry.mirror]]
location = "g1.invalid"

[[registry]]
location = "g.invalid/a/b"
[[registry.mirror]]
location = "g2.invalid"

[[registry]]
location = "h.invalid"
[[registry.mirror]]
location = "h-main.invalid"
`;

const DROP_INS = {
  '10-first.conf': `
[[registry]]
location = "i.invalid/x"
[[registry.mirror]]
location = "i1.invalid"
`,
  // Later drop-ins replace entries with the same prefix, here one from the main file.
  '50-override.conf': `
[[registry]]
location = "h.invalid"
[[registry.mirror]]
location = "h-dropin.invalid"
pull-from-mirror = "tag-only"
`,
};

const REFERENCES = [
  'a.invalid/foo/img:1',
  `a.invalid/foo/img@${D}`,
  'a.invalid/foobar/img:1',
  'a.invalid/foo:1',
  'b.invalid/ns/app:1',
  `b.invalid/ns/app@${D}`,
  'c.invalid/x/y:1',
  `c.invalid/x/y@${D}`,
  `c.invalid/x/y:1@${D}`,
  'x.wild.invalid/a:1',
  `deep.x.wild.invalid:5000/a/b@${D}`,
  'y.sub.wild.invalid/p/q:1',
  'wild.invalid/a:1',
  `d.invalid/team/app@${D}`,
  'd.invalid/team/app:1',
  `d.invalid/team/sub/app@${D}`,
  'd.invalid/teamx/app:1',
  `e.invalid/app@${D}`,
  'f.invalid:5000/repo/x:1',
  'f.invalid/repo/x:1',
  'g.invalid/a/b/c:1',
  'g.invalid/a/c:1',
  'g.invalid/ab:1',
  'h.invalid/x:1',
  `h.invalid/x@${D}`,
  `i.invalid/x/y@${D}`,
  'nomatch.invalid/z:1',
];

// How an MCO-rendered file (ICSP, IDMS NeverContactSource, ITMS, image.config insecure/blocked) behaves.
const POLICIES = `
apiVersion: operator.openshift.io/v1alpha1
kind: ImageContentSourcePolicy
metadata: {name: release}
spec:
  repositoryDigestMirrors:
  - source: quay.invalid/ocp/release
    mirrors: [mirror-a.invalid:5000/ocp/release, mirror-b.invalid/ocp/release]
---
apiVersion: config.openshift.io/v1
kind: ImageDigestMirrorSet
metadata: {name: never}
spec:
  imageDigestMirrors:
  - source: registry.invalid/team
    mirrors: [mirror-a.invalid:5000/team]
    mirrorSourcePolicy: NeverContactSource
---
apiVersion: config.openshift.io/v1
kind: ImageTagMirrorSet
metadata: {name: tags}
spec:
  imageTagMirrors:
  - source: quay.invalid/ocp
    mirrors: [mirror-t.invalid/ocp]
---
apiVersion: config.openshift.io/v1
kind: Image
metadata: {name: cluster}
spec:
  registrySources:
    insecureRegistries: [mirror-b.invalid]
    blockedRegistries: [registry.invalid/team/secret]
`;

const RENDERED_REFERENCES = [
  `quay.invalid/ocp/release@${D}`,
  'quay.invalid/ocp/release:4.16',
  'quay.invalid/ocp/other:1',
  `quay.invalid/ocp/other@${D}`,
  `registry.invalid/team/app@${D}`,
  'registry.invalid/team/app:1',
  `registry.invalid/team/secret/x@${D}`,
];

interface Observed {
  reference: string;
  blocked: boolean;
  insecure: boolean;
}

/** Real podman, with this registries.conf and drop-in directory mounted over the system paths. */
function podmanAttempts(conf: string, confD: string, reference: string, storage: string): Observed[] {
  return podmanPull(conf, confD, reference, storage).attempts;
}

function podmanPull(conf: string, confD: string, reference: string, storage: string): { attempts: Observed[]; error: string | null } {
  const script = `mount --bind "$1" /etc/containers/registries.conf && mount --bind "$2" /etc/containers/registries.conf.d && exec podman --root "$3/root" --runroot "$3/run" --storage-driver vfs pull --log-level=debug "$4" 2>&1`;
  const run = spawnSync('unshare', ['--mount', '--propagation', 'private', '--', '/bin/sh', '-c', script, 'sh', conf, confD, storage, reference], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  const log = readPullLog(run.stdout, run.status);
  const attempts = log.attempts.map((a) => ({
    reference: a.reference,
    blocked: a.reason === 'blocked',
    // An insecure endpoint is retried over plain HTTP; the error then names the http:// URL.
    insecure: /Get "http:\/\//.test(a.message ?? ''),
  }));
  return { attempts, error: log.error };
}

function explainSources(args: string[]): Observed[] {
  const run = spawnSync(BIN, ['explain', ...args, '-o', 'json'], { encoding: 'utf8' });
  if (run.status !== 0 && run.status !== 1) throw new Error(run.stderr);
  return (JSON.parse(run.stdout) as { sources: Observed[] }).sources.map((s) => ({ reference: s.reference, blocked: s.blocked, insecure: s.insecure }));
}

describe.skipIf(!canRunSandbox)('explain --registries-conf matches real podman', () => {
  const conf = join(work, 'registries.conf');
  const confD = join(work, 'registries.conf.d');
  mkdirSync(confD, { recursive: true });
  writeFileSync(conf, MAIN);
  for (const [name, text] of Object.entries(DROP_INS)) writeFileSync(join(confD, name), text);

  it.each(REFERENCES)('%s', (reference) => {
    const storage = mkdtempSync(join(work, 'storage-'));
    const podman = podmanAttempts(conf, confD, reference, storage);
    expect(explainSources([reference, '--registries-conf', conf, '--registries-conf-d', confD])).toEqual(podman);
  });
});

describe.skipIf(!canRunSandbox)('a rewrite containers/image refuses: podman fails before any source, and explain says why', () => {
  const conf = join(work, 'rewrite.conf');
  const emptyD = join(work, 'rewrite.d');
  mkdirSync(emptyD, { recursive: true });
  writeFileSync(conf, MAIN);
  it.each([
    ['a.invalid/foo:1', 'rewriting reference: repository name must be canonical'],
    [`deep.x.wild.invalid:5000/a/b@${D}`, 'rewriting reference: invalid reference format'],
  ])('%s', (reference, message) => {
    const podman = podmanPull(conf, emptyD, reference, mkdtempSync(join(work, 'storage-')));
    expect(podman.attempts).toEqual([]);
    expect(podman.error).toContain(message);
    const run = spawnSync(BIN, ['explain', reference, '--registries-conf', conf, '-o', 'json'], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ sources: [], error: message });
  });
});

describe.skipIf(!canRunSandbox)('render -f output fed back to podman matches explain -f', () => {
  const policies = join(work, 'policies.yaml');
  const rendered = join(work, 'rendered.conf');
  const emptyD = join(work, 'empty.d');
  mkdirSync(emptyD, { recursive: true });
  writeFileSync(policies, POLICIES);

  it('renders', () => {
    const run = spawnSync(BIN, ['render', '-f', policies], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    writeFileSync(rendered, run.stdout);
    expect(run.stdout).toContain('pull-from-mirror = "digest-only"');
  });

  it.each(RENDERED_REFERENCES)('%s', (reference) => {
    const storage = mkdtempSync(join(work, 'storage-'));
    const podman = podmanAttempts(rendered, emptyD, reference, storage);
    expect(explainSources([reference, '-f', policies])).toEqual(podman);
  });
});

// Generated (registries.conf, reference) pairs, both config forms, every host under .invalid:
// real podman decides which mirrors apply, and explain must agree. The seed is fixed so a
// failure can be replayed; the cases are still ones no one wrote by hand.
describe.skipIf(!canRunSandbox)('generated cases: explain --registries-conf matches real podman', () => {
  const { confAndReference } = generators(['invalid']);
  const emptyD = join(work, 'generated.d');
  mkdirSync(emptyD, { recursive: true });
  const cases = fc.sample(confAndReference, { numRuns: 25, seed: 20261127 });
  it.each(cases.map(([conf, reference], i) => [i, reference, conf] as const))('case %i: %s', (i, reference, conf) => {
    const path = join(work, `generated-${i}.conf`);
    writeFileSync(path, confText(conf));
    const podman = podmanPull(path, emptyD, reference, mkdtempSync(join(work, 'storage-')));
    const run = spawnSync(BIN, ['explain', reference, '--registries-conf', path, '--registries-conf-d', emptyD, '-o', 'json'], { encoding: 'utf8' });
    const explained = JSON.parse(run.stdout) as { sources: Observed[]; error: string | null };
    expect(explained.sources.map((s) => ({ reference: s.reference, blocked: s.blocked, insecure: s.insecure }))).toEqual(podman.attempts);
    if (podman.attempts.length === 0) expect(podman.error).toContain(explained.error);
  });
});
