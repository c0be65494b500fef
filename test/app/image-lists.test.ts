// --images-from's three forms (test/fixtures/image-lists/README.md says how the files were made).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { imageListForm, readImageList } from '../../src/app/image-lists.js';

const fixture = (name: string) => readFileSync(`test/fixtures/image-lists/${name}`, 'utf8');
const D = (c: string) => `sha256:${c.repeat(64)}`;

describe('--images-from', () => {
  it('a list: one reference a line, comments and blank lines skipped, each image once, as podman pulls it', () => {
    const text = ['# what the team runs', `quay.io/a/b@${D('a')}`, '', 'registry.example.com/team/app:v1   # the app', 'busybox', `quay.io/a/b@${D('a')}`].join('\n');
    expect(readImageList(text, 'images.txt')).toEqual([
      { image: `quay.io/a/b@${D('a')}`, line: 2 },
      { image: 'registry.example.com/team/app:v1', line: 4 },
      { image: 'docker.io/library/busybox:latest', line: 5 },
    ]);
  });

  it("oc-mirror's mapping.txt: the sources, without docker://", () => {
    const text = fixture('mapping.txt');
    expect(imageListForm(text.split('\n'))).toBe('mapping');
    expect(readImageList(text, 'mapping.txt').map((i) => i.image)).toEqual([
      `quay.io/openshift-release-dev/ocp-v4.0-art-dev@${D('a')}`,
      `registry.redhat.io/rhel9/support-tools@${D('b')}`,
      'registry.redhat.io/redhat/redhat-operator-index:v4.21',
    ]);
  });

  it("a disk-to-mirror mapping (its sources oc-mirror's local cache) is refused, saying which file to use", () => {
    const text = `docker://localhost:55000/openshift-release-dev/ocp-release@${D('a')}=docker://mirror.corp.example:5000/openshift-release-dev/ocp-release@${D('a')}\n`;
    expect(() => readImageList(text, 'mapping.txt')).toThrow("mapping.txt: its sources are oc-mirror's local cache (localhost:55000), as a disk-to-mirror dry run writes them: use the mapping.txt of the mirror-to-disk or mirror-to-mirror dry run");
  });

  it('oc adm release info --pullspecs: the release image and every image of the payload', () => {
    const text = fixture('release-info-pullspecs.txt');
    expect(imageListForm(text.split('\n'))).toBe('release-info');
    expect(readImageList(text, 'release.txt').map((i) => [i.image, i.line])).toEqual([
      [`quay.io/openshift-release-dev/ocp-release@${D('d')}`, 8],
      [`quay.io/openshift-release-dev/ocp-v4.0-art-dev@${D('a')}`, 16],
      [`quay.io/openshift-release-dev/ocp-v4.0-art-dev@${D('b')}`, 17],
      [`quay.io/openshift-release-dev/ocp-v4.0-art-dev@${D('c')}`, 18],
    ]);
  });

  it('every bad line is named with its number, all in one error; a file with no image is refused', () => {
    expect(() => readImageList(['quay.io/a/b:v1', 'Quay.io/A/B', 'quay.io/a/b@sha256:123'].join('\n'), 'images.txt')).toThrow(/^images\.txt: 2 bad line\(s\): line 2: invalid image reference "Quay\.io\/A\/B": .*; line 3: invalid image reference "quay\.io\/a\/b@sha256:123": /);
    expect(() => readImageList('# nothing\n\n', 'empty.txt')).toThrow('empty.txt: no image in it (one reference a line, an oc-mirror mapping.txt, or oc adm release info --pullspecs)');
  });
});

describe('--running: every distinct image running pods use', () => {
  it('by the digest the runtime reported; served by a mirror of its kind of pull, or not covered', async () => {
    const { runningImages } = await import('../../src/app/pick-images.js');
    const { readPolicies } = await import('../../src/registries/policies.js');
    const rules = readPolicies([
      { origin: 't', object: { apiVersion: 'config.openshift.io/v1', kind: 'ImageDigestMirrorSet', metadata: { name: 'team' }, spec: { imageDigestMirrors: [{ source: 'registry.example.com/team', mirrors: ['mirror.example/team'] }] } } },
    ]).rules;
    const pod = (ns: string, name: string, image: string, imageID: string) => ({ namespace: ns, pod: name, image, imageID });
    const { covered, notCovered } = runningImages(
      [
        pod('team', 'a-1', 'registry.example.com/team/app:v1', `registry.example.com/team/app@${D('a')}`),
        pod('team', 'a-2', 'registry.example.com/team/app:v1', `registry.example.com/team/app@${D('a')}`),
        pod('openshift-dns', 'dns', `quay.io/openshift/dns@${D('d')}`, `quay.io/openshift/dns@${D('d')}`),
        // A tag the runtime gave no digest for: only digest mirrors cover it, so none serves it.
        pod('team', 'b-1', 'registry.example.com/team/tool:v2', ''),
      ],
      rules,
    );
    expect(covered).toEqual([{ image: `registry.example.com/team/app@${D('a')}`, seenIn: 'team/a-1', containers: 2 }]);
    expect(notCovered.map((r) => r.image)).toEqual([`quay.io/openshift/dns@${D('d')}`, 'registry.example.com/team/tool:v2']);
  });
});
