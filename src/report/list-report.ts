import type { PolicyRow } from '../app/policy-summary.js';
import { type OutputFormat, renderDocument } from './document.js';
import { renderTable } from './table.js';

export async function renderList(rows: PolicyRow[], format: OutputFormat): Promise<string> {
  if (format === 'json' || format === 'yaml') return renderDocument({ policies: rows }, format);
  return renderTable(
    ['kind', 'name', 'source', 'mirrors', 'pull', 'source policy'],
    rows.map((r) => [r.kind, r.name, r.source, r.mirrors.join(format === 'wide' ? '\n' : ',') || '-', r.pull, r.sourcePolicy]),
  );
}
