// -f FILE read directly: YAML streams and JSON, lists flattened, empty documents skipped, only the
// objects that matter kept, and a parse error said in one line with the line that is wrong.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readManifestFiles } from '../../src/app/manifests.js';

const dir = mkdtempSync(join(tmpdir(), 'oc-icsp-manifests-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const IDMS = (name: string) => `apiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata:\n  name: ${name}\nspec:\n  imageDigestMirrors:\n  - source: quay.io/a\n    mirrors: [mirror.example/a]\n`;
const names = async (paths: string[], requirePolicy = true) => (await readManifestFiles(paths, { requirePolicy })).objects.map((o) => `${o.kind}/${o.name}`);

describe('readManifestFiles', () => {
  it('a YAML stream: empty documents skipped, other kinds left out, files in order', async () => {
    const a = write('a.yaml', `---\n---\n${IDMS('one')}---\nkind: ConfigMap\nmetadata:\n  name: x\n---\n`);
    const b = write('b.yaml', IDMS('two'));
    expect(await names([a, b])).toEqual(['ImageDigestMirrorSet/one', 'ImageDigestMirrorSet/two']);
  });

  it('a List, and a typed list (kind ...List), flattened; a list without items is empty', async () => {
    const list = write('list.json', JSON.stringify({ kind: 'List', items: [{ apiVersion: 'config.openshift.io/v1', kind: 'ImageDigestMirrorSet', metadata: { name: 'l' }, spec: { imageDigestMirrors: [{ source: 'quay.io/a', mirrors: ['m.example/a'] }] } }] }));
    const typed = write('typed.yaml', `kind: ImageDigestMirrorSetList\nitems:\n- ${IDMS('t').trim().split('\n').join('\n  ')}\n`);
    const empty = write('empty.yaml', 'kind: List\n');
    expect(await names([list, typed])).toEqual(['ImageDigestMirrorSet/l', 'ImageDigestMirrorSet/t']);
    expect(await names([empty], false)).toEqual([]);
  });

  it('image.config counts only as the cluster one; a file with nothing of ours is refused unless allowed', async () => {
    const image = (name: string) => write(`image-${name}.yaml`, `apiVersion: config.openshift.io/v1\nkind: Image\nmetadata:\n  name: ${name}\nspec: {}\n`);
    expect(await names([image('cluster')])).toEqual(['Image/cluster']);
    await expect(readManifestFiles([image('other')])).rejects.toThrow(`${join(dir, 'image-other.yaml')}: no ImageContentSourcePolicy, ImageDigestMirrorSet, ImageTagMirrorSet, ClusterImagePolicy, ImagePolicy or images.config.openshift.io/cluster in it`);
    expect(await names([image('other')], false)).toEqual([]);
    const scalars = write('scalars.yaml', '--- 3\n--- text\n');
    expect(await names([scalars], false)).toEqual([]);
  });

  it('only a kind that ends in List is a list; an Image without metadata is not the cluster one', async () => {
    const listing = write('listing.yaml', `kind: PolicyListing\nitems:\n- ${IDMS('inner').trim().split('\n').join('\n  ')}\n`);
    await expect(readManifestFiles([listing])).rejects.toThrow(/no ImageContentSourcePolicy, ImageDigestMirrorSet, ImageTagMirrorSet, ClusterImagePolicy, ImagePolicy or images\.config\.openshift\.io\/cluster in it$/);
    const nameless = write('nameless.yaml', 'apiVersion: config.openshift.io/v1\nkind: Image\nspec: {}\n');
    expect(await names([nameless], false)).toEqual([]);
  });

  it('a parse error: one line, the parser\'s words without their position, and the last line with text up to where it stopped', async () => {
    const bad = write('bad.yaml', `${IDMS('ok')}---\nkind: [unclosed\n\n\n`);
    await expect(readManifestFiles([bad])).rejects.toThrow(/^[^\n]*bad\.yaml: not valid YAML or JSON: [^\n]*[^:] \(line 10: "kind: \[unclosed"\)$/);
    const first = write('first.yaml', 'a: b\n  c: d\n');
    await expect(readManifestFiles([first])).rejects.toThrow(`${first}: not valid YAML or JSON: Nested mappings are not allowed in compact mappings (line 1: "a: b")`);
  });
});
