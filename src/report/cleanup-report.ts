// `cleanup` as a table or one document.
import type { Leftover } from '../app/cleanup.js';
import { formatDuration } from '../durations.js';
import { isDocumentFormat, type OutputFormat, renderDocument } from './document.js';
import { cleanupDocument } from './public-documents.js';
import { renderTable } from './table.js';

export async function renderCleanup(leftovers: Leftover[], format: OutputFormat, dryRun: boolean): Promise<string> {
  if (isDocumentFormat(format)) return renderDocument('Cleanup', cleanupDocument(leftovers, dryRun), format);
  if (leftovers.length === 0) return '';
  return renderTable(
    ['namespace', 'run', 'age', 'held', dryRun ? 'would remove' : 'removed'],
    leftovers.map((l) => [
      l.namespace,
      l.runId ?? '-',
      l.ageMs === null ? '-' : formatDuration(Math.round(l.ageMs / 1000) * 1000),
      l.contents.length ? l.contents.join(', ') : '-',
      dryRun ? 'yes' : l.removed ? 'yes' : 'no',
    ]),
  );
}
