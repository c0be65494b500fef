// Who reads for whom, and when a node may take another's verdict (app/compose.ts). The sandbox's
// differential test (test/e2e/compose-differential.test.ts) holds the whole to exhaustive reads.
import { describe, expect, it } from 'vitest';
import { hostsTouched, mayBorrow, readersOf } from '../../src/app/compose.js';
import type { Fingerprint } from '../../src/node-check/facts/fingerprint.js';

const fp = (digest: string, reach: Fingerprint['reach']): Fingerprint => ({ digest, reach });
const attempt = (reference: string, ok: boolean) => ({ reference, mirror: !reference.startsWith('source.example'), ok, reason: ok ? null : ('manifest-unknown' as const), message: null });
const READ = { verdict: 'mirrored' as const, attempts: [attempt('mirror-a.example:5000/team/app@sha256:1', false), attempt('mirror-b.example/team/app@sha256:1', true)] };
const ALL = { 'mirror-a.example:5000': 'reached', 'mirror-b.example': 'reached', 'source.example': 'dns' } as const;

describe('readersOf', () => {
  it('takes the first node of each fingerprint, in the order given, and leaves out a node that said nothing', () => {
    const readers = readersOf([
      { node: 'w-0', fingerprint: null },
      { node: 'w-1', fingerprint: fp('a', {}) },
      { node: 'w-2', fingerprint: fp('b', {}) },
      { node: 'w-3', fingerprint: fp('a', {}) },
    ]);
    expect([...readers]).toEqual([
      ['a', 'w-1'],
      ['b', 'w-2'],
    ]);
  });
});

describe('mayBorrow', () => {
  it('names the hosts a read went to, each once, in order', () => {
    expect(hostsTouched(READ)).toEqual(['mirror-a.example:5000', 'mirror-b.example']);
  });

  it('lets a node of the same files whose network answered alike take the read', () => {
    expect(mayBorrow(fp('a', ALL), fp('a', ALL), READ)).toBe(true);
  });

  it('does not where a host the read touched answered otherwise, even one that failed for the reader', () => {
    expect(mayBorrow(fp('a', { ...ALL, 'mirror-a.example:5000': 'timeout' }), fp('a', ALL), READ)).toBe(false);
  });

  it('lets a host the read never touched differ', () => {
    expect(mayBorrow(fp('a', { ...ALL, 'source.example': 'reached' }), fp('a', ALL), READ)).toBe(true);
  });

  it('does not where a host was not asked about, where the files differ, or where the read was no answer of the registries', () => {
    const without = Object.fromEntries(Object.entries(ALL).filter(([h]) => h !== 'mirror-b.example')) as Fingerprint['reach'];
    expect(mayBorrow(fp('a', without), fp('a', without), READ)).toBe(false);
    expect(mayBorrow(fp('b', ALL), fp('a', ALL), READ)).toBe(false);
    expect(mayBorrow(fp('a', ALL), fp('a', ALL), { ...READ, verdict: 'error' })).toBe(false);
  });
});
