// `audit` as a table (one row per node and image: its pulls, the last one's source), then one
// line per finding; or one document.
import type { AuditResult } from '../app/audit.js';
import { type Paint, plain } from './colors.js';
import { type OutputFormat, renderDocument } from './document.js';
import { renderTable } from './table.js';

export async function renderAudit(result: AuditResult, format: OutputFormat, paint: Paint = plain, width?: number): Promise<string> {
  if (format === 'json' || format === 'yaml') return renderDocument(result, format);
  const rows: string[][] = [];
  for (const node of result.nodes) {
    const byImage = new Map<string, AuditResult['nodes'][number]['pulls']>();
    for (const p of node.pulls) (byImage.get(p.image) ?? byImage.set(p.image, []).get(p.image)!).push(p);
    for (const [image, pulls] of byImage) {
      const last = pulls.at(-1)!;
      const served = last.outcome === 'succeeded' ? (last.mirror ? paint('mirror', 'green') : paint('source', 'yellow')) : last.outcome === 'failed' ? paint('failed', 'red') : 'no result';
      rows.push([node.name, image, String(pulls.length), served, last.servedBy ?? '-', last.at]);
    }
    if (node.error) rows.push([node.name, '-', '-', paint('error', 'red'), node.error, '-']);
  }
  const table = rows.length
    ? await renderTable(['node', 'image', 'pulls', 'last served by', 'source', 'when'], rows, { maxWidth: format === 'wide' ? undefined : width, shrinkable: [4, 1] })
    : '';
  const findings = result.findings.map((f) => `${f.node}: ${f.kind}: ${f.image}: ${f.detail}`);
  for (const node of result.nodes) {
    if (node.complete || node.error) continue;
    const upTo = node.readUpTo ? `only up to ${node.readUpTo}` : 'not at all';
    findings.push(`${node.name}: journal incomplete: read ${upTo}, not to ${result.until}; the kubelet cuts each answer at 30 s: narrow --since, or raise --timeout`);
  }
  if (result.nodes.some((n) => n.pulls.some((p) => p.outcome !== 'succeeded' && p.attempts.length > 0 && p.attempts.every((a) => a.reason === null)))) {
    findings.push('note: CRI-O logs no reason for a failed attempt at its default level (info): a pull with no result failed or is still running');
  }
  return `${table}${findings.length ? `${table ? '\n' : ''}${findings.join('\n')}\n` : ''}`;
}
