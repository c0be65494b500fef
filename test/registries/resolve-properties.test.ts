// Properties of resolution over generated valid references and sane registries.conf files (both
// the pull-from-mirror and the mirror-by-digest-only form): resolve never throws, and every source
// it yields is a valid, canonical reference. Which mirrors apply is checked against real podman
// (test/e2e/differential.test.ts, generated cases) and the containers/image vectors, not here.
import fc from 'fast-check';
import { generators } from './generators.js';
import { describe, expect, it } from 'vitest';
import { parseCanonical, parseReference, pullString, type ImageReference } from '../../src/registries/reference.js';
import type { RegistriesConf } from '../../src/registries/registries-conf.js';
import { findRegistry, resolvePullSources } from '../../src/registries/resolve.js';

const { reference, confAndReference } = generators();

function validRef(text: string): ImageReference | undefined {
  try {
    return parseReference(text);
  } catch {
    return undefined;
  }
}

describe('resolution properties', () => {
  it('never throws on a valid reference, and every source is canonical', () => {
    fc.assert(
      fc.property(confAndReference, ([c, text]) => {
        const ref = validRef(text);
        fc.pre(ref !== undefined);
        const { sources, entry } = resolvePullSources(c, ref!);
        for (const s of sources) expect(() => parseCanonical(s.reference)).not.toThrow();
        expect(sources.at(-1)!.mirror).toBe(false);
        // The mirrors tried are a subsequence of the entry's own, in its order.
        const locations = (entry?.mirrors ?? []).map((m) => m.location);
        let cursor = 0;
        for (const s of sources.slice(0, -1)) {
          const at = locations.findIndex((l, i) => i >= cursor && s.reference.startsWith(l));
          expect(at).toBeGreaterThanOrEqual(0);
          cursor = at + 1;
        }
        // A digest pull stays a digest pull on every source.
        if (ref!.digest) for (const s of sources) expect(s.reference.endsWith(`@${ref!.digest}`)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('with no matching entry the only source is the reference itself', () => {
    fc.assert(
      fc.property(reference, (text) => {
        const ref = validRef(text);
        fc.pre(ref !== undefined);
        const empty: RegistriesConf = { registries: [], unqualifiedSearchRegistries: [], shortNameMode: undefined };
        expect(findRegistry(empty, text)).toBeUndefined();
        expect(resolvePullSources(empty, ref!).sources.map((s) => s.reference)).toEqual([pullString(ref!)]);
      }),
      { numRuns: 1000 },
    );
  });

  it('parsing is stable: what podman pulls parses back to itself', () => {
    fc.assert(
      fc.property(reference, (text) => {
        const ref = validRef(text);
        fc.pre(ref !== undefined);
        expect(pullString(parseReference(pullString(ref!)))).toBe(pullString(ref!));
      }),
      { numRuns: 1000 },
    );
  });
});
