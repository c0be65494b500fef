// The one sentence that answers a verify run, from the counts its document keeps as well, and
// the small words every report and the page count and shorten with.
import type { Verdict } from '../pull-log/evidence.js';

/** `3 node(s) x 2 images: 5 mirrored, 1 skipped`: the line under the table, from the counts a document keeps too. */
export function verdictsSentence(nodes: number, images: number, counts: Partial<Record<Verdict, number>>): string {
  const parts = (Object.entries(counts) as [Verdict, number][]).filter(([, n]) => n > 0).map(([v, n]) => `${n} ${v}`);
  return `${nodes} node(s)${images > 1 ? ` x ${images} images` : ''}: ${parts.join(', ') || 'none checked'}`;
}

/** `1 image`, `3 images`. */
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

// The digest or tag at an image's end: `@sha256:…` or `:v1` (a port's colon has a / after it).
const IMAGE_SUFFIX = /[@:][^/]*$/;

/** A reference less the digest or tag its image already names; null where it does not end with them. */
export function withoutImageSuffix(reference: string, image: string): string | null {
  const suffix = IMAGE_SUFFIX.exec(image)?.[0];
  return suffix && reference.endsWith(suffix) ? reference.slice(0, -suffix.length) : null;
}

/** The digest or tag the image names; empty where it names neither. */
export const imageSuffix = (image: string) => IMAGE_SUFFIX.exec(image)?.[0] ?? '';
