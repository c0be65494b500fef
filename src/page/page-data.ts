// What the page's script reads from the page (a JSON block): the matrix's names and outcomes and
// the grid, shared by page.ts, which writes it, and page-script.ts, which reads it. Outcomes are
// packed as arrays, their references without the digest or tag their image already names: with
// 300 images in 40 ways each, the outcomes are most of the page.
import { imageSuffix, withoutImageSuffix } from '../report/summary-words.js';
import type { Grid } from './grid.js';
import type { CellAttempt, CellOutcome, Matrix } from './matrix.js';

type PackedAttempt = [reference: string, mirror: 0 | 1, ok: 0 | 1 | null, reason: string | null, message: string | null, at?: string];
export type PackedOutcome = [cls: number, pulledFrom: string | null, attempts: PackedAttempt[]];

export interface PageData {
  images: string[];
  nodes: string[];
  classes: Matrix['classes'];
  outcomes: PackedOutcome[];
  /** Each column's nodes, and their names folded as the terminal folds them. */
  columns: { nodes: number[]; folded: string }[];
  rows: Grid['rows'];
  cellOutcomes: Grid['outcomes'];
}

// Marks a reference less its image's suffix; no reference starts with it.
const MARK = '~';

/** `mirror:5000/team/app@sha256:…` of image `quay.io/team/app@sha256:…` → `~mirror:5000/team/app`. */
export function relativeTo(reference: string, image: string): string {
  const short = withoutImageSuffix(reference, image);
  return short === null ? reference : `${MARK}${short}`;
}

export function absoluteFor(reference: string, image: string): string {
  return reference.startsWith(MARK) ? `${reference.slice(MARK.length)}${imageSuffix(image)}` : reference;
}

const flag = (b: boolean | null): 0 | 1 | null => (b === null ? null : b ? 1 : 0);

export function packOutcome(o: CellOutcome): PackedOutcome {
  return [o.cls, o.pulledFrom, o.attempts.map((a) => [a.reference, a.mirror ? 1 : 0, flag(a.ok), a.reason, a.message, ...(a.at === undefined ? [] : [a.at])] as PackedAttempt)];
}

/** An outcome as its image's page shows it: references whole again. */
export function unpackOutcome([cls, from, attempts]: PackedOutcome, image: string): CellOutcome {
  return {
    cls,
    pulledFrom: from && absoluteFor(from, image),
    attempts: attempts.map(([reference, mirror, ok, reason, message, at]): CellAttempt => ({ reference: absoluteFor(reference, image), mirror: mirror === 1, ok: ok === null ? null : ok === 1, reason, message, ...(at === undefined ? {} : { at }) })),
  };
}
