// The matrix folded into what a person can look at: nodes with the same class for every image are
// one column, images with the same class in every column one row; 300 images on 500 nodes that
// fail in three ways draw as a few dozen cells. Then the causes, biggest first, and with a
// proposal the verdicts it changes.
import { type CellClass, type Matrix, RANK, type Tone } from './matrix.js';

export interface Column {
  nodes: number[];
}

export interface Row {
  images: number[];
  /** The class of each column's cell; -1: the column's nodes have no outcome for these images. */
  classes: number[];
}

export interface Grid {
  columns: Column[];
  rows: Row[];
  /**
   * For each column and image, its nodes' outcome: one index where they share it, or the
   * outcomes with their nodes where they differ (the same class, served or tried otherwise).
   */
  outcomes: (number | [number, number[]][])[][];
}

const NONE = -1;

/** Worst first: the rank of a class (no outcome ranks with muted). */
const rankOf = (classes: CellClass[], cls: number) => (cls === NONE ? RANK.muted : RANK[classes[cls]!.tone]);

function groupBy<T>(items: T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    (groups.get(k) ?? groups.set(k, []).get(k)!).push(item);
  }
  return [...groups.values()];
}

const classAt = (m: Matrix, node: number, image: number) => {
  const outcome = m.cells[node * m.images.length + image]!;
  return outcome === NONE ? NONE : m.outcomes[outcome]!.cls;
};

/** How bad a list of classes is, for sorting: its worst, then how many cells are not ok. */
function badness(m: Matrix, classes: number[], weight: (i: number) => number): [number, number] {
  let worst = RANK.ok;
  let notOk = 0;
  classes.forEach((cls, i) => {
    const rank = rankOf(m.classes, cls);
    worst = Math.min(worst, rank);
    if (rank !== RANK.ok) notOk += weight(i);
  });
  return [worst, notOk];
}

export function gridOf(m: Matrix): Grid {
  const nodeIds = m.nodes.map((_, n) => n);
  const imageIds = m.images.map((_, i) => i);
  const columnOf = (n: number) => imageIds.map((i) => classAt(m, n, i));
  const columns = groupBy(nodeIds, (n) => columnOf(n).join(',')).map((nodes) => ({ nodes, classes: columnOf(nodes[0]!) }));
  // Worst columns first, then the biggest.
  const scored = columns.map((c) => ({ c, score: badness(m, c.classes, () => 1) }));
  scored.sort((a, b) => a.score[0] - b.score[0] || b.score[1] - a.score[1] || b.c.nodes.length - a.c.nodes.length);
  const ordered = scored.map((s) => s.c);
  const rowOf = (i: number) => ordered.map((c) => c.classes[i]!);
  const rows = groupBy(imageIds, (i) => rowOf(i).join(',')).map((images) => ({ images, classes: rowOf(images[0]!) }));
  const rowScore = new Map(rows.map((r) => [r, badness(m, r.classes, (c) => ordered[c]!.nodes.length)]));
  rows.sort((a, b) => rowScore.get(a)![0] - rowScore.get(b)![0] || rowScore.get(b)![1] - rowScore.get(a)![1] || b.images.length - a.images.length);
  const outcomes = ordered.map((c) =>
    imageIds.map((i) => {
      const byOutcome = groupBy(c.nodes, (n) => String(m.cells[n * m.images.length + i]));
      if (byOutcome.length === 1) return m.cells[c.nodes[0]! * m.images.length + i]!;
      return byOutcome.map((nodes) => [m.cells[nodes[0]! * m.images.length + i]!, nodes] as [number, number[]]);
    }),
  );
  return { columns: ordered.map((c) => ({ nodes: c.nodes })), rows, outcomes };
}

/** A reason code and everything it affects: its sentences and hints, images and nodes. */
export interface Cause {
  code: string;
  tone: Tone;
  /** The distinct sentences (with their hints) said for this code. */
  words: { detail: string; hint: string | null }[];
  images: number[];
  nodes: number[];
  /** Node-image verdicts with this code. */
  count: number;
}

/** Every code that is not ok, biggest first (the most node-image verdicts). */
export function causesOf(m: Matrix, grid: Grid): Cause[] {
  const byCode = new Map<string, { tone: Tone; words: Map<string, { detail: string; hint: string | null }>; images: Set<number>; nodes: Set<number>; count: number }>();
  for (const row of grid.rows) {
    row.classes.forEach((cls, c) => {
      if (cls === NONE) return;
      const k = m.classes[cls]!;
      if (k.tone === 'ok') return;
      const cause = byCode.get(k.code) ?? byCode.set(k.code, { tone: k.tone, words: new Map(), images: new Set(), nodes: new Set(), count: 0 }).get(k.code)!;
      cause.words.set(JSON.stringify([k.detail, k.hint]), { detail: k.detail, hint: k.hint });
      for (const i of row.images) cause.images.add(i);
      for (const n of grid.columns[c]!.nodes) cause.nodes.add(n);
      cause.count += row.images.length * grid.columns[c]!.nodes.length;
      if (RANK[k.tone] < RANK[cause.tone]) cause.tone = k.tone;
    });
  }
  return [...byCode]
    .map(([code, c]) => ({ code, tone: c.tone, words: [...c.words.values()], images: [...c.images].sort((a, b) => a - b), nodes: [...c.nodes].sort((a, b) => a - b), count: c.count }))
    .sort((a, b) => b.count - a.count || RANK[a.tone] - RANK[b.tone]);
}

/** --compare: the cells whose verdict today differs from the proposal's, regressions first. */
export interface Change {
  row: number;
  column: number;
  cls: number;
  regression: boolean;
}

export function changesOf(m: Matrix, grid: Grid): Change[] {
  const changes: Change[] = [];
  grid.rows.forEach((row, r) =>
    row.classes.forEach((cls, column) => {
      const now = cls === NONE ? null : m.classes[cls]!.now;
      if (!now || now.label === m.classes[cls]!.label) return;
      changes.push({ row: r, column, cls, regression: now.tone === 'ok' && m.classes[cls]!.tone !== 'ok' });
    }),
  );
  return changes.sort((a, b) => Number(b.regression) - Number(a.regression));
}
