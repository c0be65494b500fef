// The verify model as a table, a wide table, or a document.
import type { VerifyResult } from '../app/verify.js';
import type { Verdict } from '../pull-log/verdict.js';
import { type Paint, plain } from './colors.js';
import { type OutputFormat, renderDocument } from './document.js';
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
    policies: result.policies,
    warnings: result.warnings,
    nodes: result.nodes.map((n) => ({
      name: n.name,
      verdict: n.verdict,
      pulledFrom: n.pulledFrom,
      attempts: n.attempts.map((a) => ({ reference: a.reference, mirror: a.mirror, ok: a.ok, reason: a.reason, message: a.message })),
      detail: n.detail,
      durationMs: n.durationMs,
      podman: n.podman,
      imageWasPresent: n.imageWasPresent,
      imageRemoved: n.imageRemoved,
    })),
    summary: result.summary,
  };
}

export async function renderVerify(result: VerifyResult, format: OutputFormat, paint: Paint = plain): Promise<string> {
  if (format === 'json' || format === 'yaml') return renderDocument(verifyDocument(result), format);
  const headers = ['node', 'verdict', 'pulled from', 'detail'];
  if (format === 'wide') headers.push('attempts');
  const rows = result.nodes.map((n) => {
    const row = [n.name, paint(n.verdict, VERDICT_COLOR[n.verdict]), shortReference(n.pulledFrom, result.image), n.detail];
    if (format === 'wide') {
      row.push(
        n.attempts.length
          ? n.attempts.map((a) => `${a.mirror ? 'mirror' : 'source'} ${a.reference} ${a.ok ? 'ok' : (a.reason ?? 'not reached')}`).join('\n')
          : '-',
      );
    }
    return row;
  });
  return renderTable(headers, rows);
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
