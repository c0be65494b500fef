// The verify model as a table, a wide table, or a document.
import { stripVTControlCharacters } from 'node:util';
import type { VerifyResult } from '../app/verify.js';
import type { Verdict } from '../pull-log/evidence.js';
import { type Paint, plain } from './colors.js';
import { documentObject, isDocumentFormat, type OutputFormat, renderDocument, type RunFacts } from './document.js';
import { foldNames } from './fold.js';
import { imageOutcomes, imagesDocument, renderImages } from './images-report.js';
import { proposalDocument, proposalWords, rolloutLines } from './proposal-words.js';
import { disagreementWords, type ReasonWords, reasonWords, type Speaker } from './reasons.js';
import { foldedByNode, warningWords } from './warning-words.js';
import { verdictsSentence, withoutImageSuffix } from './summary-words.js';
import { fitRows, fits, renderTable } from './table.js';

const VERDICT_COLOR: Record<Verdict, Parameters<Paint>[1]> = {
  mirrored: 'green',
  'mirror-failed': 'red',
  'not-mirrored': 'yellow',
  error: 'red',
  skipped: 'dim',
};

export function verifyDocument(result: VerifyResult, run?: RunFacts): unknown {
  const speaker = speakerOf(result);
  return {
    image: result.image,
    images: result.images,
    picked: result.picked,
    check: result.check,
    strategy: result.strategy,
    policies: result.policies,
    warnings: warningLines(result),
    // The same warnings as codes, in the same order, each with its words.
    warningReasons: result.warnings.map((w) => ({ ...w, message: warningWords(w, speaker) })),
    nodes: result.nodes.map((n) => ({
      name: n.name,
      image: n.image,
      verdict: n.verdict,
      code: n.reason.code,
      reason: n.reason,
      pulledFrom: n.pulledFrom,
      attempts: n.attempts.map((a) => ({ reference: a.reference, mirror: a.mirror, ok: a.ok, reason: a.reason, message: a.message })),
      ...(({ detail, hint }) => ({ detail, hint }))(reasonWords(n.reason, speaker)),
      ...n.facts,
      engines: n.engines,
      disagreement: n.disagreement && { code: n.disagreement.code, message: disagreementWords(n.disagreement, n.facts.crioConfig) },
      now: n.now,
      durationMs: n.durationMs,
      imageWasPresent: n.imageWasPresent,
      imageRemoved: n.imageRemoved,
    })),
    notCovered: result.notCovered.map((r) => ({ image: r.image, seenIn: r.seenIn, containers: r.containers })),
    summary: result.summary,
    proposal: proposalDocument(result.proposal),
    ...(run ? { run } : {}),
  };
}

/** The document `-o json` prints for the run, as an object (the page is drawn from it). */
export function verifyDocumentObject(result: VerifyResult, run?: RunFacts): object {
  return result.images.length > 1 ? documentObject('VerifyImages', imagesDocument(result, imageOutcomes(result), run)) : documentObject('Verify', verifyDocument(result, run) as object);
}

/** A node's result with its reason's words. */
type WordedNode = VerifyResult['nodes'][number] & ReasonWords;

const speakerOf = (result: VerifyResult): Speaker => ({ clientName: result.clientName, invokedAs: result.invokedAs });
const worded = (result: VerifyResult): WordedNode[] => result.nodes.map((n) => ({ ...n, ...reasonWords(n.reason, speakerOf(result)) }));

/** The warnings to print on stderr, in words, in the order they were found; the same of several nodes said once. */
export function warningLines(result: VerifyResult): string[] {
  const speaker = speakerOf(result);
  return foldedByNode(result.warnings.map((w) => ({ node: 'node' in w ? w.node : null, message: warningWords(w, speaker) })));
}

/**
 * table: one short line per node, cut to `width` (the terminal's) so no row wraps: the detail
 * gives way first, then where the image came from, and where even that is too wide the PULLED
 * FROM column goes. Under it, one line per node with a hint, and one per node whose row lost
 * something, saying it in full. wide: every column in full, each attempt on a line of its own
 * under its node's row.
 */
export async function renderVerify(result: VerifyResult, format: OutputFormat, paint: Paint = plain, width?: number, group = false, run?: RunFacts): Promise<string> {
  if (result.images.length > 1) {
    const images = await renderImages(result, format, paint, run);
    return isDocumentFormat(format) ? images : `${images}${result.notCovered.length ? '\n' : ''}${notCoveredLines(result).join('')}`;
  }
  if (isDocumentFormat(format)) return renderDocument('Verify', verifyDocument(result, run) as object, format);
  const verdicts = result.nodes.length ? await renderVerdicts(result, format, paint, width, group) : '';
  return `${verdicts}${verdicts && result.notCovered.length ? '\n' : ''}${notCoveredLines(result).join('')}`;
}

/** --running: the images no mirror serves, after the verdicts: the answer before an air gap. */
function notCoveredLines(result: VerifyResult): string[] {
  if (result.notCovered.length === 0) return [];
  return [
    `${result.notCovered.length} running image(s) no mirror covers (not-covered): they are pulled from their source, and fail once the cluster is cut off from it:\n`,
    ...result.notCovered.map((r) => `  ${r.image} (in ${r.seenIn}${r.containers > 1 ? ` and ${r.containers - 1} more container(s)` : ''})\n`),
  ];
}

/** --compare: mirrored today and not after the change. */
export const regressed = (n: { verdict: Verdict; now: { verdict: Verdict } | null }) => n.now?.verdict === 'mirrored' && n.verdict !== 'mirrored';

async function renderVerdicts(result: VerifyResult, format: OutputFormat, paint: Paint, width: number | undefined, group: boolean): Promise<string> {
  // --compare: the regressions first, stably.
  const nodes = worded(result).sort((a, b) => Number(regressed(b)) - Number(regressed(a)));
  const compared = nodes.some((n) => n.now !== null);
  if (group && format === 'table') return renderGroups(result, nodes, paint, width);
  // Images picked from the cluster are named on every row, one or several.
  const several = result.images.length > 1 || result.picked;
  if (format === 'wide') return renderWide(nodes, paint, several);
  const row = (n: WordedNode, withSource: boolean) => [
    n.name,
    ...(several ? [n.image] : []),
    ...(compared ? [n.now ? `${n.now.verdict}${regressed(n) ? ' (regresses)' : ''}` : '-'] : []),
    paint(n.verdict, VERDICT_COLOR[n.verdict]),
    ...(withSource ? [shortReference(n.pulledFrom, n.image)] : []),
    n.summary,
  ];
  let headers = ['node', ...(several ? ['image'] : []), ...(compared ? ['now'] : []), 'verdict', 'pulled from', 'detail'];
  let full = nodes.map((n) => row(n, true));
  // The detail gives way first, then where the image came from.
  let fit = { maxWidth: width, shrinkable: [headers.length - 1, headers.length - 2] };
  if (width !== undefined && !fits(headers, full, fit)) {
    headers = headers.filter((h) => h !== 'pulled from');
    full = nodes.map((n) => row(n, false));
    fit = { maxWidth: width, shrinkable: [headers.length - 1] };
  }
  const shown = fitRows(headers, full, fit);
  const table = await renderTable(headers, shown, {});
  const lines: string[] = [];
  nodes.forEach((n, i) => {
    const label = `${n.name}${several ? ` ${n.image}` : ''}`;
    const lost = (!headers.includes('pulled from') && n.pulledFrom !== null) || shown[i]!.some((cell, j) => cell !== full[i]![j]);
    // One line a node at most: what the row lost, in full, then its advice.
    const said = lost ? `${n.summary}${n.pulledFrom ? ` (from ${shortReference(n.pulledFrom, n.image)})` : ''}` : null;
    if (n.hint || said) lines.push(`${label}: ${[said, n.hint].filter(Boolean).join('; ')}`);
  });
  return lines.length ? `${table}\n${lines.join('\n')}\n` : table;
}

// -o wide is for reading whole, not for a terminal's width; still, a row stays under this.
const WIDE_MAX = 200;

/**
 * -o wide: the detail and hint in full, and each attempt on its own line under its node, indented.
 * Where long node and repository names would take a row past 200 columns, the detail goes on its
 * own line under the row too, and then where the image came from.
 */
async function renderWide(nodes: WordedNode[], paint: Paint, several: boolean): Promise<string> {
  // What stays in the row: everything, then all but the detail, then all but the detail and where from.
  const layouts = [
    { detail: true, from: true },
    { detail: false, from: true },
    { detail: false, from: false },
  ];
  let lines: string[] = [];
  let layout = layouts[0]!;
  for (layout of layouts) {
    const headers = ['node', ...(several ? ['image'] : []), 'verdict', ...(layout.from ? ['pulled from'] : []), 'attempts', ...(layout.detail ? ['detail'] : [])];
    const rows = nodes.map((n) => [
      n.name,
      ...(several ? [n.image] : []),
      paint(n.verdict, VERDICT_COLOR[n.verdict]),
      ...(layout.from ? [shortReference(n.pulledFrom, n.image)] : []),
      String(n.attempts.length),
      ...(layout.detail ? [n.detail] : []),
    ]);
    lines = (await renderTable(headers, rows, {})).trimEnd().split('\n');
    if (lines.every((l) => stripVTControlCharacters(l).length < WIDE_MAX)) break;
  }
  const out = [lines[0]!];
  nodes.forEach((n, i) => {
    out.push(lines[i + 1]!);
    if (!layout.from && n.pulledFrom) out.push(`    from: ${shortReference(n.pulledFrom, n.image)}`);
    if (!layout.detail) out.push(`    ${n.detail}`);
    for (const a of n.attempts) out.push(`    ${a.mirror ? 'mirror' : 'source'} ${shortReference(a.reference, n.image)}: ${a.ok ? 'ok' : (a.reason ?? 'not reached')}`);
    if (n.hint) out.push(`    hint: ${n.hint}`);
  });
  return `${out.join('\n')}\n`;
}

// Findings first: a 500-row table would hide the three nodes that matter.
const ORDER: Record<Verdict, number> = { error: 0, 'mirror-failed': 1, 'not-mirrored': 2, skipped: 3, mirrored: 4 };

/** One row per outcome: verdict, where it came from (or what failed), how many nodes, which. */
async function renderGroups(result: VerifyResult, worded: WordedNode[], paint: Paint, width?: number): Promise<string> {
  const several = result.images.length > 1 || result.picked;
  const groups = new Map<string, { nodes: WordedNode[] }>();
  for (const n of worded) {
    // Rows that would read alike are one: the reason's code and the words the row shows.
    const key = JSON.stringify([n.verdict, n.image, shortReference(n.pulledFrom, n.image), n.reason.code, n.summary, n.hint]);
    (groups.get(key) ?? groups.set(key, { nodes: [] }).get(key)!).nodes.push(n);
  }
  const sorted = [...groups.values()].sort((a, b) => ORDER[a.nodes[0]!.verdict] - ORDER[b.nodes[0]!.verdict] || b.nodes.length - a.nodes.length);
  const headers = ['verdict', ...(several ? ['image'] : []), 'count', 'pulled from', 'detail', 'nodes'];
  const rows = sorted.map(({ nodes }) => {
    const n = nodes[0]!;
    return [paint(n.verdict, VERDICT_COLOR[n.verdict]), ...(several ? [n.image] : []), String(nodes.length), shortReference(n.pulledFrom, n.image), n.summary, foldNames(nodes.map((x) => x.name))];
  });
  const table = await renderTable(headers, rows, { maxWidth: width, shrinkable: [headers.length - 1, headers.length - 2, headers.length - 3] });
  const hints = sorted.filter(({ nodes }) => nodes[0]!.hint).map(({ nodes }) => `${foldNames(nodes.map((x) => x.name))}: ${nodes[0]!.hint}`);
  return hints.length ? `${table}\n${hints.join('\n')}\n` : table;
}

/**
 * One line for stderr under the table. It counts nodes (a node checked for two images is one
 * node); with several images the verdicts counted are each node's for each image.
 */
export function summaryLine(result: VerifyResult): string {
  const nodes = new Set([...result.nodes.map((n) => n.name), ...result.borrowed.map((b) => b.name)]).size;
  return verdictsSentence(nodes, result.images.length, result.summary);
}


/** Header lines for stderr: which policies cover the image. */
export function policyHeader(result: VerifyResult): string[] {
  const change = result.proposal ? [proposalWords(result.proposal), ...rolloutLines(result.proposal.rollout)] : [];
  return [...change, ...coverHeader(result)];
}

function coverHeader(result: VerifyResult): string[] {
  const several = result.images.length > 1;
  const images = several ? `${result.images.length} images` : `image ${result.image}`;
  if (result.policies.length === 0) return [`${images}: no mirror policy covers ${several ? 'them' : 'it'}`];
  return [
    `${images}, covered by:`,
    ...result.policies.map(
      (p) => `  ${p.kind}/${p.name}: ${p.source} -> ${p.mirrors.join(', ') || '(no mirrors)'} [${p.pull} pulls${p.sourcePolicy === 'NeverContactSource' ? ', NeverContactSource' : ''}]`,
    ),
  ];
}

// The digest or tag is the one asked for; the table only needs where it came from.
function shortReference(reference: string | null, image: string): string {
  return reference === null ? '-' : (withoutImageSuffix(reference, image) ?? reference);
}
