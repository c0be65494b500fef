// explain on node files (registries.conf and its drop-ins, as a node holds them): the sources in
// order, and every note it adds for what containers/image does that surprises people.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { explain, explainOutcome } from '../../src/app/explain.js';
import type { OcRunner } from '../../src/oc/runner.js';
import { explainNoteWords } from '../../src/report/explain-notes.js';

const worded = (notes: Parameters<typeof explainNoteWords>[0][]) => notes.map(explainNoteWords);

const dir = mkdtempSync(join(tmpdir(), 'oc-icsp-explain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const D = `sha256:${'e'.repeat(64)}`;
const noClient = (): OcRunner => {
  throw new Error('explain on files must not need a client');
};
let n = 0;
async function onFile(text: string, image: string, dropIns: Record<string, string> = {}) {
  const main = join(dir, `registries-${++n}.conf`);
  writeFileSync(main, text);
  const d = join(dir, `registries-${n}.conf.d`);
  mkdirSync(d);
  for (const [name, body] of Object.entries(dropIns)) writeFileSync(join(d, name), body);
  return explain({ image, files: [], registriesConf: main, registriesConfD: d }, noClient);
}
const entry = (location: string, mirrors: string[], extra = '') => `[[registry]]\nprefix = ""\nlocation = "${location}"\n${extra}${mirrors.map((m) => `[[registry.mirror]]\nlocation = "${m}"\n`).join('')}`;

describe('explain on node files', () => {
  it('a digest pull: the mirrors in order, then the source; the matched prefix; no note', async () => {
    const r = await onFile(entry('q.io/team', ['m1.io/team', 'm2.io/team']), `q.io/team/app@${D}`);
    expect([r.matched, r.sources.map((s) => [s.reference, s.mirror, s.blocked]), worded(r.notes), r.error]).toEqual([
      'q.io/team',
      [[`m1.io/team/app@${D}`, true, false], [`m2.io/team/app@${D}`, true, false], [`q.io/team/app@${D}`, false, false]],
      [],
      null,
    ]);
    expect(explainOutcome(r)).toBe('clean');
  });

  it('only the longest matching prefix counts, and a broader one with mirrors is named', async () => {
    const r = await onFile(`${entry('q.io', ['wide.io'])}${entry('q.io/team', ['narrow.io/team'])}`, `q.io/team/app@${D}`);
    expect(r.sources.map((s) => s.reference)).toEqual([`narrow.io/team/app@${D}`, `q.io/team/app@${D}`]);
    expect(worded(r.notes)).toEqual(['q.io has mirrors too, but only the longest matching prefix (q.io/team) applies']);
  });

  it('a drop-in replaces the main entry with the same prefix; files not ending in .conf are not read', async () => {
    const r = await onFile(entry('q.io/team', ['main.io/team']), `q.io/team/app@${D}`, { '99-override.conf': entry('q.io/team', ['dropin.io/team']), 'ignored.conf.bak': entry('q.io/team', ['bak.io/team']) });
    expect(r.sources.map((s) => s.reference)).toEqual([`dropin.io/team/app@${D}`, `q.io/team/app@${D}`]);
  });

  it('a prefix defined twice in one file: the first is used, and the note says so', async () => {
    const r = await onFile(`${entry('q.io/team', ['first.io/team'])}${entry('q.io/team', ['second.io/team'])}`, `q.io/team/app@${D}`);
    expect(r.sources[0]!.reference).toBe(`first.io/team/app@${D}`);
    expect(worded(r.notes)).toEqual([expect.stringMatching(/registries-\d+\.conf defines prefix q\.io\/team more than once: containers\/image uses the first and ignores the rest$/)]);
  });

  it('a blocked source with mirrors, a mirror in a blocked registry, mirror-by-digest-only', async () => {
    const text = `${entry('q.io/team', ['bad.io/team', 'm.io/team'], 'blocked = true\nmirror-by-digest-only = true\n')}${entry('bad.io', [], 'blocked = true\n')}`;
    const r = await onFile(text, `q.io/team/app@${D}`);
    expect(r.sources.map((s) => [s.reference, s.blocked])).toEqual([[`bad.io/team/app@${D}`, true], [`m.io/team/app@${D}`, false], [`q.io/team/app@${D}`, true]]);
    expect(worded(r.notes)).toEqual([
      'source is blocked (NeverContactSource or blockedRegistries): if every mirror fails the pull fails',
      `mirror bad.io/team/app@${D} lies in a blocked registry: that attempt always fails`,
      'q.io/team uses mirror-by-digest-only = true (as OpenShift 4.12 and earlier render ICSPs)',
    ]);
    expect(explainOutcome(r)).toBe('clean');
  });

  it('a tag pull where only digest mirrors apply: the source alone, blocked: it always fails (a finding)', async () => {
    const r = await onFile(entry('q.io/team', ['m.io/team'], 'blocked = true\nmirror-by-digest-only = true\n'), 'q.io/team/app:1');
    expect(r.sources.map((s) => s.reference)).toEqual(['q.io/team/app:1']);
    expect(worded(r.notes)).toEqual([
      'tag reference: ICSP/IDMS mirrors apply only to digest pulls; use a digest or an ImageTagMirrorSet',
      'source is blocked and no mirror applies: this pull always fails',
      'q.io/team uses mirror-by-digest-only = true (as OpenShift 4.12 and earlier render ICSPs)',
    ]);
    expect(explainOutcome(r)).toBe('findings');
  });

  it('a digest pull where only tag mirrors are listed: the note says an ImageDigestMirrorSet covers digest pulls', async () => {
    const r = await onFile('[[registry]]\nprefix = ""\nlocation = "q.io/team"\n[[registry.mirror]]\nlocation = "t.io/team"\npull-from-mirror = "tag-only"\n', `q.io/team/app@${D}`);
    expect(r.sources.map((s) => s.reference)).toEqual([`q.io/team/app@${D}`]);
    expect(worded(r.notes)).toEqual(['digest reference: ImageTagMirrorSet mirrors apply only to tag pulls; an ImageDigestMirrorSet covers digest pulls']);
  });

  it('an entry with no mirrors, and no entry at all', async () => {
    expect(worded((await onFile(entry('q.io/team', []), `q.io/team/app@${D}`)).notes)).toEqual(['q.io/team has no mirrors here']);
    const none = await onFile(entry('other.io', ['m.io']), `q.io/team/app@${D}`);
    expect([none.matched, worded(none.notes)]).toEqual([null, ['no policy covers this reference: it is pulled from its source only']]);
  });

  it('a mirror that cannot stand in for the reference: podman fails before any source, and explain says where to look', async () => {
    // A location with a tag cannot take the rest of a digest reference (containers/image rewriteReference).
    const r = await onFile(entry('q.io/team', ['m.io/team:latest']), `q.io/team/app@${D}`);
    expect([r.sources, r.matched]).toEqual([[], 'q.io/team']);
    expect(r.error).toMatch(/^rewriting reference: /);
    expect(worded(r.notes)).toEqual([`podman fails before trying any source: ${r.error} (check the location and mirrors of q.io/team)`]);
    expect(explainOutcome(r)).toBe('findings');
  });
});
