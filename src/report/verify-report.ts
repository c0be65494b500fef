// The verify model as a table, a wide table, or a document.
import type { VerifyResult } from '../app/verify.js';
import type { Verdict } from '../pull-log/evidence.js';
import { type Paint, plain } from './colors.js';
import { type OutputFormat, renderDocument } from './document.js';
import { foldNames } from './fold.js';
import { renderTable } from './table.js';

const VERDICT_COLOR: Record<Verdict, Parameters<Paint>[1]> = {
  mirrored: 'green',
  'mirror-failed': 'red',
  'not-mirrored': 'yellow',
  error: 'red',
  skipped: 'dim',
};

export function verifyDocument(result: VerifyResult): unknown {
  return {
    image: result.image,
    images: result.images,
    check: result.check,
    strategy: result.strategy,
    policies: result.policies,
    warnings: result.warnings,
    nodes: result.nodes.map((n) => ({
      name: n.name,
      image: n.image,
      verdict: n.verdict,
      pulledFrom: n.pulledFrom,
      attempts: n.attempts.map((a) => ({ reference: a.reference, mirror: a.mirror, ok: a.ok, reason: a.reason, message: a.message })),
      detail: n.detail,
      hint: n.hint,
      config: n.config,
      proxy: n.proxy,
      credentials: n.credentials,
      engines: n.engines,
      disagreement: n.disagreement,
      crioConfig: n.crioConfig,
      durationMs: n.durationMs,
      podman: n.podman,
      imageWasPresent: n.imageWasPresent,
      imageRemoved: n.imageRemoved,
    })),
    summary: result.summary,
  };
}

/**
 * table: one short line per node, cut to `width` (the terminal's) so no row wraps, then one
 * hint line per node that has one. wide: every column in full, hints and attempts included.
 */
export async function renderVerify(result: VerifyResult, format: OutputFormat, paint: Paint = plain, width?: number, group = false): Promise<string> {
  if (format === 'json' || format === 'yaml') return renderDocument(verifyDocument(result), format);
  if (group && format === 'table') return renderGroups(result, paint, width);
  const several = result.images.length > 1;
  const wide = format === 'wide';
  const headers = ['node', ...(several ? ['image'] : []), 'verdict', 'pulled from', 'detail', ...(wide ? ['hint', 'attempts'] : [])];
  const rows = result.nodes.map((n) => [
    n.name,
    ...(several ? [n.image] : []),
    paint(n.verdict, VERDICT_COLOR[n.verdict]),
    shortReference(n.pulledFrom, n.image),
    wide ? n.detail : n.summary,
    ...(wide ? [n.hint ?? '-', attemptsText(n.attempts)] : []),
  ]);
  // The detail gives way first, then where the image came from.
  const shrinkable = wide ? [] : [headers.length - 1, headers.length - 2];
  const table = await renderTable(headers, rows, { maxWidth: wide ? undefined : width, shrinkable });
  if (wide) return table;
  const hints = result.nodes.filter((n) => n.hint).map((n) => `${n.name}${several ? ` ${n.image}` : ''}: ${n.hint}`);
  return hints.length ? `${table}
${hints.join('\n')}
` : table;
}

// Findings first: a 500-row table would hide the three nodes that matter.
const ORDER: Record<Verdict, number> = { error: 0, 'mirror-failed': 1, 'not-mirrored': 2, skipped: 3, mirrored: 4 };

/** One row per outcome: verdict, where it came from (or what failed), how many nodes, which. */
async function renderGroups(result: VerifyResult, paint: Paint, width?: number): Promise<string> {
  const several = result.images.length > 1;
  const groups = new Map<string, { nodes: VerifyResult['nodes'] }>();
  for (const n of result.nodes) {
    const key = JSON.stringify([n.verdict, n.image, shortReference(n.pulledFrom, n.image), n.summary, n.hint]);
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

function attemptsText(attempts: VerifyResult['nodes'][number]['attempts']): string {
  return attempts.length ? attempts.map((a) => `${a.mirror ? 'mirror' : 'source'} ${a.reference} ${a.ok ? 'ok' : (a.reason ?? 'not reached')}`).join('\n') : '-';
}

/** One line for stderr under the table. */
export function summaryLine(result: VerifyResult): string {
  const parts = (Object.entries(result.summary) as [Verdict, number][]).filter(([, n]) => n > 0).map(([v, n]) => `${n} ${v}`);
  return `${result.nodes.length} node(s): ${parts.join(', ') || 'none checked'}`;
}

/** Header lines for stderr: which policies cover the image. */
export function policyHeader(result: VerifyResult): string[] {
  if (result.policies.length === 0) return [`image ${result.image}: no mirror policy covers it`];
  return [
    `image ${result.image}, covered by:`,
    ...result.policies.map(
      (p) => `  ${p.kind}/${p.name}: ${p.source} -> ${p.mirrors.join(', ') || '(no mirrors)'} [${p.pull} pulls${p.sourcePolicy === 'NeverContactSource' ? ', NeverContactSource' : ''}]`,
    ),
  ];
}

// The digest or tag is the one asked for; the table only needs where it came from.
function shortReference(reference: string | null, image: string): string {
  if (reference === null) return '-';
  const suffix = /[@:][^/]*$/.exec(image)?.[0];
  return suffix && reference.endsWith(suffix) ? reference.slice(0, -suffix.length) : reference;
}
