import type { ExplainResult } from '../app/explain.js';
import { type OutputFormat, renderDocument } from './document.js';
import { renderTable } from './table.js';

export async function renderExplain(result: ExplainResult, format: OutputFormat): Promise<string> {
  if (format === 'json' || format === 'yaml') {
    return renderDocument(
      {
        image: result.image,
        from: result.from,
        matched: result.matched,
        sources: result.sources.map((s) => ({ reference: s.reference, mirror: s.mirror, insecure: s.insecure, blocked: s.blocked, why: s.why })),
        error: result.error,
        notes: result.notes,
      },
      format,
    );
  }
  const headers = ['#', 'reference', 'kind', 'flags'];
  if (format === 'wide') headers.push('why');
  const rows = result.sources.map((s, i) => {
    const flags = [s.insecure ? 'insecure' : '', s.blocked ? 'blocked' : ''].filter(Boolean).join(',') || '-';
    const row = [String(i + 1), s.reference, s.mirror ? 'mirror' : 'source', flags];
    if (format === 'wide') row.push(s.why);
    return row;
  });
  const notes = result.notes.map((n) => `note: ${n}\n`).join('');
  if (rows.length === 0) return notes;
  return (await renderTable(headers, rows)) + (notes ? `\n${notes}` : '');
}
