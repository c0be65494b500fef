// What the page's script reads from the page (a JSON block): the matrix's names and outcomes and
// the grid, shared by page.ts, which writes it, and page-script.ts, which reads it.
import type { Grid } from './grid.js';
import type { Matrix } from './matrix.js';

export interface PageData {
  images: string[];
  nodes: string[];
  classes: Matrix['classes'];
  outcomes: Matrix['outcomes'];
  /** Each column's nodes, and their names folded as the terminal folds them. */
  columns: { nodes: number[]; folded: string }[];
  rows: Grid['rows'];
  cellOutcomes: Grid['outcomes'];
}
