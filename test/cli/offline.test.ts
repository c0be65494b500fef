// explain, render, list, migrate on files only, in-process through main() (so the mutation run
// sees app/explain, policies and manifests): no client is needed, and none is on PATH.
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runMain, scratch } from './in-process.js';

const { dir, write } = scratch('oc-icsp-offline-');
// No client on PATH: these commands must not need one.
const run = runMain;
const D = `sha256:${'b'.repeat(64)}`;

const POLICIES = write(
  'policies.yaml',
  `apiVersion: operator.openshift.io/v1alpha1
kind: ImageContentSourcePolicy
metadata:
  name: release
  labels: {team: ocp}
  creationTimestamp: "2024-01-01T00:00:00Z"
spec:
  repositoryDigestMirrors:
  - source: quay.io/openshift-release-dev/ocp-release
    mirrors: [mirror.corp.example:5000/ocp/release, backup.corp.example/ocp/release]
  - source: quay.io/openshift-release-dev/ocp-v4.0-art-dev
    mirrors: [mirror.corp.example:5000/ocp/art]
---
apiVersion: config.openshift.io/v1
kind: ImageTagMirrorSet
metadata: {name: tags}
spec:
  imageTagMirrors:
  - source: registry.example.com/team
    mirrors: [mirror.corp.example:5000/team]
    mirrorSourcePolicy: NeverContactSource
`,
);

const LIST = write(
  'list.json',
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: [{ apiVersion: 'config.openshift.io/v1', kind: 'ImageDigestMirrorSet', metadata: { name: 'json' }, spec: { imageDigestMirrors: [{ source: 'docker.io/library', mirrors: ['hub-mirror.example/library'] }] } }],
  }),
);

describe('explain -f', () => {
  it('digest pull: mirrors in order, then the source', async () => {
    const r = await run(['explain', `quay.io/openshift-release-dev/ocp-release@${D}`, '-f', POLICIES, '-o', 'json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      image: `quay.io/openshift-release-dev/ocp-release@${D}`,
      sources: [
        { reference: `mirror.corp.example:5000/ocp/release@${D}`, mirror: true, insecure: false, blocked: false },
        { reference: `backup.corp.example/ocp/release@${D}`, mirror: true },
        { reference: `quay.io/openshift-release-dev/ocp-release@${D}`, mirror: false, blocked: false },
      ],
      notes: [],
    });
  });

  it('tag pull under digest-only mirrors: only the source, and a note saying why', async () => {
    const r = await run(['explain', 'quay.io/openshift-release-dev/ocp-release:4.16.3', '-f', POLICIES]);
    expect(r.stdout).toMatch(/^#\s+REFERENCE\s+KIND\s+FLAGS\n1\s+quay\.io\/openshift-release-dev\/ocp-release:4\.16\.3\s+source\s+-\n/);
    expect(r.stdout).toContain('note: tag reference: ICSP/IDMS mirrors apply only to digest pulls; use a digest or an ImageTagMirrorSet');
  });

  it('NeverContactSource: the source is listed, flagged blocked, with a note', async () => {
    const r = await run(['explain', 'registry.example.com/team/app:1', '-f', POLICIES, '-o', 'yaml']);
    const doc = parseYaml(r.stdout);
    expect(doc.sources.map((s: { reference: string; blocked: boolean }) => [s.reference, s.blocked])).toEqual([
      ['mirror.corp.example:5000/team/app:1', false],
      ['registry.example.com/team/app:1', true],
    ]);
    expect(doc.notes).toContain('source is blocked (NeverContactSource or blockedRegistries): if every mirror fails the pull fails');
  });

  it('a tag pull of a NeverContactSource digest-only source cannot work: exit 1', async () => {
    const blocked = write('never.yaml', `apiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata: {name: n}\nspec:\n  imageDigestMirrors:\n  - {source: q.io/team, mirrors: [m.io/team], mirrorSourcePolicy: NeverContactSource}\n`);
    const r = await run(['explain', 'q.io/team/app:1', '-f', blocked]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('note: source is blocked and no mirror applies: this pull always fails');
    expect((await run(['explain', `q.io/team/app@${D}`, '-f', blocked])).status).toBe(0);
  });

  it('no policy covers the reference', async () => {
    const r = await run(['explain', `busybox@${D}`, '-f', LIST, '-o', 'json']);
    expect(JSON.parse(r.stdout).sources.map((s: { reference: string }) => s.reference)).toEqual([`hub-mirror.example/library/busybox@${D}`, `docker.io/library/busybox@${D}`]);
    const none = await run(['explain', 'ghcr.io/x/y:1', '-f', LIST, '-o', 'json']);
    expect(JSON.parse(none.stdout).notes).toEqual(['no policy covers this reference: it is pulled from its source only']);
  });
});

describe('render, list, migrate', () => {
  it('render: the MCO registries.conf, as TOML', async () => {
    const r = await run(['render', '-f', POLICIES, '-f', LIST]);
    expect(r.status).toBe(0);
    const conf = parseToml(r.stdout) as { registry: { location: string; blocked?: boolean; mirror: { location: string; 'pull-from-mirror': string }[] }[] };
    expect(conf.registry.map((e) => [e.location, e.blocked ?? false, e.mirror.map((m) => `${m.location} ${m['pull-from-mirror']}`)])).toEqual([
      ['docker.io/library', false, ['hub-mirror.example/library digest-only']],
      ['quay.io/openshift-release-dev/ocp-release', false, ['mirror.corp.example:5000/ocp/release digest-only', 'backup.corp.example/ocp/release digest-only']],
      ['quay.io/openshift-release-dev/ocp-v4.0-art-dev', false, ['mirror.corp.example:5000/ocp/art digest-only']],
      ['registry.example.com/team', true, ['mirror.corp.example:5000/team tag-only']],
    ]);
  });

  it('render: says what image.config puts elsewhere, on stderr', async () => {
    const image = write('image.yaml', 'apiVersion: config.openshift.io/v1\nkind: Image\nmetadata: {name: cluster}\nspec:\n  registrySources:\n    allowedRegistries: [quay.io]\n    containerRuntimeSearchRegistries: [reg.example]\n');
    const r = await run(['render', '-f', image]);
    expect(r.status).toBe(0);
    expect(parseToml(r.stdout)).toEqual({ 'unqualified-search-registries': ['registry.access.redhat.com', 'docker.io'], 'short-name-mode': '' });
    expect(r.stderr).toBe(
      'note: containerRuntimeSearchRegistries (reg.example) go to /etc/containers/registries.conf.d/01-image-searchRegistries.conf, not this file\n' +
        'note: allowedRegistries (quay.io) are enforced by /etc/containers/policy.json, not this file\n',
    );
  });

  it('a typed list (kind: ImageContentSourcePolicyList, as kubectl get -o yaml writes it) is read item by item; empty documents are skipped', async () => {
    const typed = write('typed-list.yaml', `---\n---\napiVersion: operator.openshift.io/v1alpha1\nkind: ImageContentSourcePolicyList\nitems:\n- apiVersion: operator.openshift.io/v1alpha1\n  kind: ImageContentSourcePolicy\n  metadata: {name: one}\n  spec:\n    repositoryDigestMirrors:\n    - {source: q.io/a, mirrors: [m.io/a]}\n- apiVersion: operator.openshift.io/v1alpha1\n  kind: ImageContentSourcePolicy\n  metadata: {name: two}\n  spec:\n    repositoryDigestMirrors:\n    - {source: q.io/b, mirrors: [m.io/b]}\n`);
    const r = await run(['list', '-f', typed, '-o', 'json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).policies.map((p: { name: string; source: string }) => `${p.name} ${p.source}`)).toEqual(['one q.io/a', 'two q.io/b']);
  });

  it('list: one row per entry', async () => {
    const r = await run(['list', '-f', POLICIES, '-o', 'json']);
    expect(JSON.parse(r.stdout).policies.map((p: { kind: string; name: string; pull: string; sourcePolicy: string }) => [p.kind, p.name, p.pull, p.sourcePolicy])).toEqual([
      ['ImageContentSourcePolicy', 'release', 'digest', 'AllowContactingSource'],
      ['ImageContentSourcePolicy', 'release', 'digest', 'AllowContactingSource'],
      ['ImageTagMirrorSet', 'tags', 'tag', 'NeverContactSource'],
    ]);
    const table = await run(['list', '-f', POLICIES]);
    expect(table.stdout.split('\n')[0]).toMatch(/^KIND\s+NAME\s+SOURCE\s+MIRRORS\s+PULL\s+SOURCE POLICY$/);
  });

  it('migrate: ImageDigestMirrorSet as oc adm migrate icsp writes it', async () => {
    const r = await run(['migrate', '-f', POLICIES]);
    expect(r.status).toBe(0);
    const docs = parseAllDocuments(r.stdout).map((d) => (Array.isArray(d) ? d : d.toJS()));
    expect(docs).toEqual([
      {
        apiVersion: 'config.openshift.io/v1',
        kind: 'ImageDigestMirrorSet',
        metadata: { labels: { team: 'ocp' }, name: 'release' },
        spec: {
          imageDigestMirrors: [
            { mirrors: ['mirror.corp.example:5000/ocp/release', 'backup.corp.example/ocp/release'], source: 'quay.io/openshift-release-dev/ocp-release' },
            { mirrors: ['mirror.corp.example:5000/ocp/art'], source: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev' },
          ],
        },
      },
    ]);
    // Keys sorted and 4-space indented, like goyaml.v3 in oc.
    expect(r.stdout).toMatch(/^apiVersion: config\.openshift\.io\/v1\nkind: ImageDigestMirrorSet\nmetadata:\n {4}labels:\n {8}team: ocp\n {4}name: release\nspec:\n {4}imageDigestMirrors:\n {8}- mirrors:/);
  });
});

describe('bad files: exit 2, one line', () => {
  const cases: [string[], RegExp][] = [
    [['render', '-f', join(dir, 'missing.yaml')], /^error: .*missing\.yaml: no such file or directory\n$/],
    [['render', '-f', write('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n')], /^error: .*cm\.yaml: no ImageContentSourcePolicy, ImageDigestMirrorSet, ImageTagMirrorSet, ClusterImagePolicy, ImagePolicy or images\.config\.openshift\.io\/cluster in it\n$/],
    [['list', '-f', write('bad.yaml', 'kind: List\nitems:\n  - kind: [unclosed\n')], /^error: .*bad\.yaml: not valid YAML or JSON: .* \(line 3: "- kind: \[unclosed"\)\n$/],
    // Where yaml stops past the end, the last line with text is named.
    [['list', '-f', write('trailing.yaml', 'kind: List\nitems:\n  - kind: [unclosed\n\n\n')], /^error: .*trailing\.yaml: not valid YAML or JSON: Flow sequence in block collection must be sufficiently indented and end with a \] \(line 3: "- kind: \[unclosed"\)\n$/],
    [['list', '-f', write('nested.yaml', 'a: b\n  c: d\n')], /^error: .*nested\.yaml: not valid YAML or JSON: Nested mappings are not allowed in compact mappings \(line 1: "a: b"\)\n$/],
    [['list', '-f', write('other-image.yaml', 'apiVersion: config.openshift.io/v1\nkind: Image\nmetadata: {name: not-cluster}\nspec: {}\n')], /^error: .*other-image\.yaml: no ImageContentSourcePolicy, ImageDigestMirrorSet, ImageTagMirrorSet, ClusterImagePolicy, ImagePolicy or images\.config\.openshift\.io\/cluster in it\n$/],
    [['explain', 'q.io/a:1', '--registries-conf', write('bad.conf', '[[registry]\n')], /^error: .*bad\.conf: not valid TOML: /],
    [['explain', 'q.io/a:1', '--registries-conf', join(dir, 'nope.conf')], /^error: .*nope\.conf: no such file or directory\n$/],
    [['explain', 'q.io/a:1', '-f', POLICIES, '--registries-conf', join(dir, 'x.conf')], /^error: use either -f \(policy manifests\) or --registries-conf \(a node file\), not both\n$/],
    [['explain', 'Q.io/A', '-f', POLICIES], /^error: invalid image reference "Q\.io\/A": repository name "A" must be lowercase\n$/],
    [['migrate'], /^error: migrate needs -f FILE with ImageContentSourcePolicy objects\n$/],
    [['migrate', '-f', LIST], /^error: no ImageContentSourcePolicy to migrate in the given files\n$/],
    [
      ['render', '-f', write('conflict.yaml', `apiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata: {name: a}\nspec:\n  imageDigestMirrors:\n  - {source: q.io/a, mirrors: [m.io/a], mirrorSourcePolicy: NeverContactSource}\n---\napiVersion: operator.openshift.io/v1alpha1\nkind: ImageContentSourcePolicy\nmetadata: {name: b}\nspec:\n  repositoryDigestMirrors:\n  - {source: q.io/a, mirrors: [m.io/b]}\n`)],
      /^error: the machine-config-operator would refuse these policies: conflicting mirrorSourcePolicy is set for the same source "q\.io\/a"/,
    ],
    [['render', '-f', write('badidms.yaml', `apiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata: {name: bad}\nspec:\n  imageDigestMirrors:\n  - {source: "q.io/a:latest", mirrors: [m.io/a]}\n`)], /^error: .*badidms\.yaml: ImageDigestMirrorSet "bad": spec\.imageDigestMirrors\[0\]\.source: "q\.io\/a:latest" must not have a tag\n$/],
  ];
  for (const [args, message] of cases) {
    it(args.slice(0, 2).join(' ') + ' ' + (args[2] ?? '').split('/').pop(), async () => {
      const r = await run(args);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    });
  }
});
