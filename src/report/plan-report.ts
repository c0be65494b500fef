// --dry-run: the client calls a run would make, as shell lines a person can read (and paste),
// or as one document.
import type { VerifyPlan } from '../app/verify.js';
import type { PlannedCall } from '../oc/node-runner.js';
import { isDocumentFormat, type OutputFormat, renderDocument } from './document.js';

/**
 * The table form opens with what a run would do and for how many nodes, then the run's own calls
 * and the calls for one node, once, as their templates give them: NODE in the fields that hold
 * the node's name (the node is all that varies between them). -o json keeps every call of every node, in full.
 */
export async function renderPlan(plan: VerifyPlan, format: OutputFormat): Promise<string> {
  if (isDocumentFormat(format)) {
    // Every call of every node in full; the templates are the table's shorthand.
    const calls = plan.calls.map(({ node, argv, stdin }) => ({ node, argv, ...(stdin === undefined ? {} : { stdin }) }));
    return renderDocument('VerifyPlan', { ...plan, calls }, format);
  }
  const nodes = [...new Set(plan.calls.map((c) => c.node).filter((n): n is string => n !== null))];
  const own = plan.calls.filter((c) => c.node === null);
  const first = nodes[0];
  // A call without a template is shown for the first node, its name in full.
  const perNode = first === undefined ? [] : plan.calls.filter((c) => c.node === first).map((c) => ({ node: c.node, ...(c.template ?? c) }));
  const named = nodes.length > 6 ? `${nodes.slice(0, 5).join(', ')} and ${nodes.length - 5} more` : nodes.join(', ');
  const lines: string[] = [
    `# ${plan.strategy}: nothing below has run`,
    `# a run would make ${own.length ? 'its own namespace (and delete it at the end)' : 'nothing of its own'} and reach ${nodes.length || 'no'} node(s)${nodes.length ? `: ${named}` : ''}`,
  ];
  const show = (call: PlannedCall) => {
    const line = call.argv.map(shellQuote).join(' ');
    lines.push(call.stdin === undefined ? line : `${line} <<'STDIN'\n${call.stdin}\nSTDIN`);
  };
  const before = own.filter((c) => plan.calls.indexOf(c) < plan.calls.findIndex((x) => x.node !== null) || nodes.length === 0);
  const after = own.filter((c) => !before.includes(c));
  if (before.length) lines.push('# the run');
  before.forEach(show);
  if (perNode.length) lines.push(`# for each NODE${nodes.length > 1 ? ` (${nodes.length} of them)` : ''}`);
  perNode.forEach(show);
  if (after.length) lines.push('# the end of the run');
  after.forEach(show);
  for (const node of plan.skipped) lines.push(`# ${node}: not Ready, skipped`);
  return `${lines.join('\n')}\n`;
}

/** POSIX single quotes; words that need none are left bare. */
export function shellQuote(word: string): string {
  if (/^[\w@%+=:,./<>-]+$/.test(word) && !/[<>]/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
