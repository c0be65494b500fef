// `list`: one row per policy entry, each mirror on a line of its own; where that table is wider
// than the terminal, one block per entry instead, so nothing is cut.
import type { PolicyRow } from '../app/policy-summary.js';
import { isDocumentFormat, type OutputFormat, renderDocument } from './document.js';
import { fits, renderTable } from './table.js';

/** The short names `oc api-resources` gives these kinds (openshift/api). */
const SHORT: Record<string, string> = { ImageContentSourcePolicy: 'ICSP', ImageDigestMirrorSet: 'IDMS', ImageTagMirrorSet: 'ITMS' };

export async function renderList(rows: PolicyRow[], format: OutputFormat, width?: number): Promise<string> {
  if (isDocumentFormat(format)) return renderDocument('PolicyList', { policies: rows }, format);
  const headers = ['kind', 'name', 'source', 'mirrors', 'pull', 'source policy'];
  const table = rows.map((r) => [format === 'wide' ? r.kind : (SHORT[r.kind] ?? r.kind), r.name, r.source, r.mirrors.join('\n') || '-', r.pull, r.sourcePolicy]);
  // A folded cell is as wide as its longest line.
  const widest = [headers.map((_, i) => longestLine(table.map((r) => r[i]!)))];
  if (format === 'wide' || fits(headers, widest, { maxWidth: width })) {
    return renderTable(headers, table);
  }
  return rows
    .map((r) => [`${SHORT[r.kind] ?? r.kind}/${r.name}: ${r.pull} pulls, ${r.sourcePolicy}`, `  ${r.source}`, ...(r.mirrors.length ? r.mirrors.map((m, i) => `    ${i + 1} ${m}`) : ['    (no mirrors)'])].join('\n'))
    .join('\n')
    .concat('\n');
}

function longestLine(cells: string[]): string {
  return cells.flatMap((c) => c.split('\n')).reduce((a, b) => (b.length > a.length ? b : a), '');
}
