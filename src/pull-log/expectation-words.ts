// The one place an expectation (evidence.ts) becomes words: the verdict's detail, audit's
// findings and verify's warnings all say it this way.
import type { Expectation } from './evidence.js';

/** "ImageDigestMirrorSet/a, ImageContentSourcePolicy/b covers it". */
export const coveredWords = (e: Expectation): string => `${e.coveredBy.join(', ')} covers it`;

/** Why no mirror applies although policies cover the image, and what to do; null when one applies. */
export function mismatchWords(e: Expectation): string | null {
  if (!e.mismatch) return null;
  const names = e.mismatch.policies.join(', ');
  return e.mismatch.kind === 'digest-pull-tag-mirrors'
    ? `only ImageTagMirrorSets cover it (${names}) and they serve tag pulls only`
    : `a tag pull, and ${names} mirror digest pulls only: pull by digest or add an ImageTagMirrorSet`;
}
