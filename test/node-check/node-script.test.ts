// The node script and its reader share one protocol: every marker word and section the script
// writes is one the reader knows, and the reader knows no word the script has stopped writing.
import { describe, expect, it } from 'vitest';
import { NODE_SCRIPT, nodeCommand } from '../../src/node-check/node-script.js';
import { LEGACY_MARKS, MARKS, SECTIONS } from '../../src/node-check/node-output.js';
import { checkModeFor, refusedCombination, SCALE_THRESHOLD } from '../../src/pull-log/engines.js';

const written = (pattern: RegExp) => new Set([...NODE_SCRIPT.matchAll(pattern)].map((m) => m[1]!));

describe('the marker protocol', () => {
  it('the script writes exactly the marks the reader reads (bar the legacy ones)', () => {
    const marks = written(/\bmark ([a-z-]+)/g);
    expect([...marks].sort()).toEqual([...MARKS].sort());
    for (const legacy of LEGACY_MARKS) expect(marks.has(legacy)).toBe(false);
  });

  it('and exactly the sections', () => {
    expect([...written(/\bmark section ([a-z-]+)/g)].sort()).toEqual([...SECTIONS].sort());
  });
});

describe('engine × check', () => {
  it.each([
    ['podman', 'manifest', null],
    ['podman', 'pull', null],
    ['podman', 'auto', null],
    ['crictl', 'pull', null],
    ['crictl', 'auto', null],
    ['both', 'auto', null],
    ['crictl', 'manifest', /--engine crictl pulls through CRI-O, which has no manifest-only read: use --check pull/],
    ['both', 'manifest', /--engine both pulls through CRI-O/],
  ] as const)('--engine %s --check %s', (engine, check, refusal) => {
    const said = refusedCombination(engine, check);
    if (refusal === null) expect(said).toBeNull();
    else expect(said).toMatch(refusal);
  });

  it.each([
    ['podman', 'auto', SCALE_THRESHOLD, 'pull'],
    ['podman', 'auto', SCALE_THRESHOLD + 1, 'manifest'],
    ['crictl', 'auto', SCALE_THRESHOLD + 1, 'pull'],
    ['both', 'auto', 500, 'pull'],
    ['podman', 'pull', 500, 'pull'],
    ['podman', 'manifest', 1, 'manifest'],
  ] as const)('--engine %s --check %s on %i nodes: %s', (engine, choice, nodes, mode) => {
    expect(checkModeFor(engine, choice, nodes)).toBe(mode);
  });

  it('the engine reaches the script as its third argument, after the check and the keep flag; then the proposed registries.conf (empty: none)', () => {
    const argv = nodeCommand({ images: ['quay.io/a/b:1'], check: 'pull', engine: 'crictl', keepImage: true, repositories: ['mirror.example/a'] });
    expect(argv.slice(0, 4)).toEqual(['chroot', '/host', '/bin/sh', '-c']);
    expect(argv.slice(5)).toEqual(['oc-icsp', 'pull', 'yes', 'crictl', '', '', '', 'quay.io/a/b:1', '--', 'mirror.example/a']);
    const proposed = nodeCommand({ images: ['quay.io/a/b:1'], check: 'manifest', keepImage: false, repositories: [], registriesConf: '[[registry]]\nlocation = "quay.io/a"\n' });
    expect(proposed.slice(5, 10)).toEqual(['oc-icsp', 'manifest', 'no', 'podman', '[[registry]]\nlocation = "quay.io/a"\n']);
  });
});
