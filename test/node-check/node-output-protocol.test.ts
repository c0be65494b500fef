// The reader's protocol edges, on the real capture of an --engine both run
// (test/fixtures/node-logs-both/not-reloaded.log, the sandbox's oc debug output, [oc] lines being
// oc's own talk): what each marker opens and closes, cut where a run can be cut.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readNodeOutput } from '../../src/node-check/node-output.js';

const LINES = readFileSync('test/fixtures/node-logs-both/not-reloaded.log', 'utf8').split('\n').filter((l) => !l.startsWith('[oc] '));
const upTo = (marker: string) => LINES.slice(0, LINES.findIndex((l) => l.startsWith(`::oc-icsp:: ${marker}`)) + 1);
const IMAGE = 'registry.sandbox.invalid/team/app@sha256:ed0758f0c3025b18efd9a6be002cb052ea209fee69fabe818979512ae18433c0';

describe("the node output's protocol", () => {
  it('whole: complete, CRI-O\'s pull with its error (crictl\'s fatal words less the rpc wrapping), podman\'s pull, no stray line', () => {
    const report = readNodeOutput(LINES.join('\n'));
    expect(report.complete).toBe(true);
    expect(report.crio).toHaveLength(1);
    expect(report.crio[0]).toMatchObject({ image: IMAGE, exitCode: 1 });
    expect(report.crio[0]!.error).toMatch(/^initializing source docker:\/\/registry\.sandbox\.invalid\/team\/app@sha256:\w+: pinging container registry/);
    expect(report.crio[0]!.journal?.attempts.length).toBeGreaterThan(0);
    // A pull into the run's own store: nothing to say of the node's store before it.
    expect(report.pulls.map((p) => [p.image, p.exitCode, p.presentBefore])).toEqual([[IMAGE, 0, null]]);
    expect(report.strayTail).toEqual([]);
  });

  it('cut before its end marker: not complete; cut inside the pull: the pull has no exit code yet', () => {
    expect(readNodeOutput(upTo('credentials').join('\n')).complete).toBe(false);
    const cut = readNodeOutput(LINES.slice(0, LINES.findIndex((l) => l.startsWith('::oc-icsp:: pull-exit'))).join('\n'));
    expect(cut.pulls[0]!.exitCode).toBeNull();
    expect(cut.pulls[0]!.log.attempts.length).toBeGreaterThan(0);
  });

  it('a section ends with its closing marker: lines after crio-journal-end, before the next marker, are stray (the last five kept, blank ones not)', () => {
    const end = LINES.findIndex((l) => l.startsWith('::oc-icsp:: crio-journal-end'));
    const journal = LINES.slice(LINES.findIndex((l) => l.startsWith('::oc-icsp:: section crio-journal')) + 1, end).filter(Boolean);
    // The journal's own lines, again, where no section is open: the reader keeps them only as stray text.
    const report = readNodeOutput([...LINES.slice(0, end + 1), ...journal, '', ...journal, ...journal].join('\n'));
    expect(report.crio[0]!.journal?.attempts.length).toBe(readNodeOutput(LINES.join('\n')).crio[0]!.journal?.attempts.length);
    expect(report.strayTail).toEqual([...journal, ...journal, ...journal].slice(-5));
  });

  it("a fact's mark closes only that fact's section: the crio-events section ends at crio-events-end, not at a credentials mark", () => {
    const events = readNodeOutput(upTo('crio-events-end').join('\n'));
    expect(events.facts.crioConfig.loadedAt).toBe('2026-11-30 06:36:47.132000000Z');
    // A credentials mark inside the pull section leaves the pull's log going.
    const at = LINES.findIndex((l) => l.startsWith('::oc-icsp:: section pull')) + 3;
    const mixed = [...LINES.slice(0, at), '::oc-icsp:: credentials x.example yes', ...LINES.slice(at)];
    const report = readNodeOutput(mixed.join('\n'));
    expect(report.facts.credentials['x.example']).toBe(true);
    expect(report.pulls[0]!.log.attempts).toEqual(readNodeOutput(LINES.join('\n')).pulls[0]!.log.attempts);
  });

  it('image-present says whether the image was there before; removed (older scripts) whether it was removed after', () => {
    const present = (answer: string) => readNodeOutput([`::oc-icsp:: image ${IMAGE}`, `::oc-icsp:: image-present ${answer}`, '::oc-icsp:: section pull', '::oc-icsp:: pull-exit 0', '::oc-icsp:: removed yes'].join('\n')).pulls[0]!;
    expect([present('yes').presentBefore, present('no').presentBefore]).toEqual([true, false]);
    expect(present('no').removed).toBe('yes');
    expect(readNodeOutput(['::oc-icsp:: section pull', '::oc-icsp:: pull-exit 1', '::oc-icsp:: removed no'].join('\n')).pulls[0]).toMatchObject({ image: null, exitCode: 1, removed: 'failed' });
  });

  it('two images: a pull each, each named; a crictl pull of an image named before', () => {
    const second = IMAGE.replace('team/app', 'team/db');
    const pull = (image: string) => [`::oc-icsp:: image ${image}`, '::oc-icsp:: section pull', '::oc-icsp:: pull-exit 0'];
    const report = readNodeOutput([...pull(IMAGE), ...pull(second), `::oc-icsp:: image ${second}`, '::oc-icsp:: section crictl', '::oc-icsp:: crictl-exit 0'].join('\n'));
    expect(report.pulls.map((p) => p.image)).toEqual([IMAGE, second]);
    expect(report.crio.map((c) => [c.image, c.exitCode, c.error])).toEqual([[second, 0, null]]);
  });
});
