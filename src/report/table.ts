// kubectl-style tables: upper-case headers, no borders, columns padded with spaces.

const NO_BORDERS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '',
  right: '', 'right-mid': '', middle: '   ',
};
const GAP = 3;
const MIN_CELL = 12;

export interface TableFit {
  /** The terminal's width: rows are cut to it, never wrapped. Undefined: no limit. */
  maxWidth?: number;
  /** Columns that may be cut, in the order they give way; their cells must be plain text. */
  shrinkable?: number[];
  /** How narrow a cut column may get (12 unless said). */
  minCell?: number;
}

export async function renderTable(headers: string[], rows: string[][], fit: TableFit = {}): Promise<string> {
  // Loaded on demand: -o json|yaml never needs it.
  const { default: Table } = await import('cli-table3');
  const table = new Table({
    head: headers.map((h) => h.toUpperCase()),
    chars: NO_BORDERS,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
  });
  table.push(...fitRows(headers, rows, fit));
  return `${table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')}\n`;
}

/** Whether the rows fit maxWidth once the shrinkable columns are cut as far as they may be. */
export function fits(headers: string[], rows: string[][], { maxWidth, shrinkable = [], minCell = MIN_CELL }: TableFit): boolean {
  if (maxWidth === undefined) return true;
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const floor = widths.map((w, i) => (shrinkable.includes(i) ? Math.min(w, Math.max(minCell, headers[i]!.length)) : w));
  return floor.reduce((a, b) => a + b, 0) + GAP * (headers.length - 1) <= maxWidth;
}

/** Cuts the shrinkable columns' cells (with …) until every row fits maxWidth. */
export function fitRows(headers: string[], rows: string[][], { maxWidth, shrinkable = [], minCell = MIN_CELL }: TableFit): string[][] {
  if (maxWidth === undefined) return rows;
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => visibleLength(r[i] ?? ''))));
  let excess = widths.reduce((a, b) => a + b, 0) + GAP * (headers.length - 1) - maxWidth;
  for (const column of shrinkable) {
    if (excess <= 0) break;
    const floor = Math.max(minCell, headers[column]!.length);
    const cut = Math.min(excess, widths[column]! - floor);
    if (cut <= 0) continue;
    widths[column]! -= cut;
    excess -= cut;
  }
  return rows.map((row) => row.map((cell, i) => (shrinkable.includes(i) && cell.length > widths[i]! ? `${cell.slice(0, widths[i]! - 1)}…` : cell)));
}

function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}
