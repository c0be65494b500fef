import type { ExplainResult } from '../app/explain.js';
import { isDocumentFormat, type OutputFormat, renderDocument } from './document.js';
import { explainNoteWords } from './explain-notes.js';
import { renderTable } from './table.js';

/**
 * The sources in order. The table leaves out the digest or tag every reference shares (the line
 * above it names the image once), and at the terminal's width cuts a reference too long for it;
 * -o wide and the documents keep each in full.
 */
export async function renderExplain(result: ExplainResult, format: OutputFormat, width?: number): Promise<string> {
  if (isDocumentFormat(format)) {
    return renderDocument(
      'Explain',
      {
        image: result.image,
        from: result.from,
        matched: result.matched,
        sources: result.sources.map((s) => ({ reference: s.reference, mirror: s.mirror, insecure: s.insecure, blocked: s.blocked, why: s.why })),
        error: result.error,
        notes: result.notes.map(explainNoteWords),
        // The same notes as codes, in the same order, each with its words.
        noteReasons: result.notes.map((n) => ({ ...n, message: explainNoteWords(n) })),
        signature: result.signature && {
          from: result.signature.from,
          requirement: result.signature.requirement && { ...result.signature.requirement },
          rejected: result.signature.rejected,
          sources: result.signature.sources.map((s) => ({ reference: s.reference, readsAttachments: s.readsAttachments })),
        },
      },
      format,
    );
  }
  const wide = format === 'wide';
  const headers = ['#', 'reference', 'kind', 'flags'];
  if (wide) headers.push('why');
  const suffix = /[@:][^/]*$/.exec(result.image)?.[0] ?? '';
  const shared = !wide && suffix !== '' && result.sources.length > 1 && result.sources.every((s) => s.reference.endsWith(suffix));
  const rows = result.sources.map((s, i) => {
    const flags = [s.insecure ? 'insecure' : '', s.blocked ? 'blocked' : ''].filter(Boolean).join(',') || '-';
    const row = [String(i + 1), shared ? s.reference.slice(0, -suffix.length) : s.reference, s.mirror ? 'mirror' : 'source', flags];
    if (wide) row.push(s.why);
    return row;
  });
  const notes = result.notes.map((n) => `note: ${explainNoteWords(n)}\n`).join('');
  if (rows.length === 0) return notes;
  const title = shared ? `sources a pull of ${result.image} tries, in order (each ${suffix.startsWith('@') ? 'by that digest' : 'with that tag'}):\n` : '';
  const table = await renderTable(headers, rows, { maxWidth: wide ? undefined : width, shrinkable: [1] });
  return title + table + (notes ? `\n${notes}` : '');
}
