// `audit` as a table (one row per node and image: its pulls, the last one's source), then one
// line per finding; or one document.
import type { AuditResult } from '../app/audit.js';
import { type Paint, plain } from './colors.js';
import { isDocumentFormat, type OutputFormat, renderDocument, type RunFacts } from './document.js';
import { findingWords } from './finding-words.js';
import { auditDocument } from './public-documents.js';
import { fits, renderTable } from './table.js';

/**
 * The table says what is redundant once: a digest by its first 12 hex digits, the source without
 * the digest the image already names, the time as an age (kubectl's AGE); where the table is
 * still wider than the terminal it folds into one block a node. -o wide keeps the image, source
 * and time whole, and the documents keep all.
 */
export async function renderAudit(result: AuditResult, format: OutputFormat, paint: Paint = plain, width?: number, now = new Date(), run?: RunFacts): Promise<string> {
  if (isDocumentFormat(format)) return renderDocument('Audit', auditDocument(result, run), format);
  const wide = format === 'wide';
  const rows: string[][] = [];
  for (const node of result.nodes) {
    const byImage = new Map<string, AuditResult['nodes'][number]['pulls']>();
    for (const p of node.pulls) (byImage.get(p.image) ?? byImage.set(p.image, []).get(p.image)!).push(p);
    for (const [image, pulls] of byImage) {
      const last = pulls.at(-1)!;
      const served = last.outcome === 'succeeded' ? (last.mirror ? paint('mirror', 'green') : paint('source', 'yellow')) : last.outcome === 'failed' ? paint('failed', 'red') : 'no result';
      const source = last.servedBy ? (wide ? last.servedBy : withoutDigestOf(last.servedBy, image)) : '-';
      rows.push([node.name, wide ? image : shortDigest(image), String(pulls.length), served, source, wide ? last.at : age(last.at, now)]);
    }
    if (node.error) rows.push([node.name, '-', '-', paint('error', 'red'), node.error, '-']);
  }
  const headers = ['node', 'image', 'pulls', 'last served by', 'source', wide ? 'when' : 'age'];
  // Where the table is wider than the terminal, one block a node: folded, nothing cut.
  const table = rows.length === 0 ? '' : fits(headers, rows, { maxWidth: wide ? undefined : width }) ? await renderTable(headers, rows) : blocks(rows);
  const findings: Finding[] = result.findings.map((f) => ({ node: f.node, head: `${f.kind}: ${f.image}`, folded: `${f.kind}: ${shortDigest(f.image)}`, words: findingWords(f) }));
  for (const node of result.nodes) {
    if (node.olderBoots) {
      findings.push({
        node: node.name,
        head: 'journal incomplete',
        words: 'the window spans boots before the previous one, and OpenShift 4.12 and 4.13 read only the previous and the current boot: pulls before them are not in this audit',
      });
      continue;
    }
    if (node.complete || node.error) continue;
    const upTo = node.readUpTo ? `only up to ${node.readUpTo}` : 'not at all';
    findings.push({ node: node.name, head: 'journal incomplete', words: `read ${upTo}, not to ${result.until}; the kubelet cuts each answer at 30 s: narrow --since, or raise --timeout` });
  }
  const fold = wide ? undefined : width;
  const lines = findingLines(findings, fold);
  if (result.nodes.some((n) => n.pulls.some((p) => p.outcome !== 'succeeded' && p.attempts.length > 0 && p.attempts.every((a) => a.reason === null)))) {
    const note = 'note: CRI-O logs no reason for a failed attempt at its default level (info): a pull with no result failed or is still running';
    lines.push(...(fold === undefined || note.length <= fold ? [note] : wrapped(note, '', fold)));
  }
  return `${table}${lines.length ? `${table ? '\n' : ''}${lines.join('\n')}\n` : ''}`;
}

/** The line under audit's table, and its page's summary: `3 node(s), 5 pull(s) since 24h, 3 finding(s)`. */
export function auditSentence(nodes: { pulls: unknown[] }[], findings: number, since: string): string {
  return `${nodes.length} node(s), ${nodes.reduce((n, x) => n + x.pulls.length, 0)} pull(s) since ${since}, ${findings} finding(s)`;
}

interface Finding {
  node: string;
  /** What and which image: `silent-fallback: quay.io/...`. */
  head: string;
  /** The same with a digest cut as the table's blocks cut it, where the findings fold. */
  folded?: string;
  words: string;
}

/**
 * A line a finding, `node: head: words`; where one is wider than the terminal, folded as the
 * table's blocks are: the node on a line, each finding's head under it, its words under that,
 * wrapped to the terminal.
 */
function findingLines(findings: Finding[], width: number | undefined): string[] {
  const flat = findings.map((f) => `${f.node}: ${f.head}: ${f.words}`);
  if (width === undefined || flat.every((l) => l.length <= width)) return flat;
  const byNode = new Map<string, Finding[]>();
  for (const f of findings) (byNode.get(f.node) ?? byNode.set(f.node, []).get(f.node)!).push(f);
  return [...byNode].flatMap(([node, found]) => [node, ...found.flatMap((f) => [`  ${f.folded ?? f.head}`, ...wrapped(f.words, '    ', width)])]);
}

/** Words in lines of at most `width`, each indented; a word longer than a line keeps a line of its own. */
function wrapped(text: string, indent: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(`${indent}${line}`);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(`${indent}${line}`);
  return lines;
}

/** `name@sha256:<64 hex>` as `name@sha256:<12 hex>`, as container tools show image ids. */
function shortDigest(reference: string): string {
  return reference.replace(/@(sha256:[0-9a-f]{12})[0-9a-f]{52}$/, '@$1');
}

function withoutDigestOf(reference: string, image: string): string {
  const digest = /@sha256:[0-9a-f]{64}$/.exec(image)?.[0];
  return digest && reference.endsWith(digest) ? reference.slice(0, -digest.length) : shortDigest(reference);
}

/** How long ago, as kubectl's AGE column says it (k8s.io/apimachinery pkg/util/duration HumanDuration, coarsened). */
export function age(at: string, now: Date): string {
  const seconds = Math.max(0, Math.floor((now.getTime() - Date.parse(at)) / 1000));
  if (!Number.isFinite(seconds)) return '-';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return `${minutes}m${seconds % 60 ? `${seconds % 60}s` : ''}`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return `${hours}h${minutes % 60 ? `${minutes % 60}m` : ''}`;
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

/** A node's name on a line, then each image and, under it, its pulls, the last source and age. */
function blocks(rows: string[][]): string {
  const out: string[] = [];
  let node = '';
  for (const [name, image, pulls, served, source, when] of rows as [string, string, string, string, string, string][]) {
    if (name !== node) out.push((node = name));
    if (image === '-') {
      out.push(`  ${served}: ${source}`);
      continue;
    }
    out.push(`  ${image}`, `    ${pulls} pull(s), the last ${when} ago: ${served}${source === '-' ? '' : ` ${source}`}`);
  }
  return `${out.join('\n')}\n`;
}
