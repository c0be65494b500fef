// --dry-run: the client calls a run would make, as shell lines a person can read (and paste),
// or as one document.
import type { PlannedCall } from '../oc/node-runner.js';
import { type OutputFormat, renderDocument } from './document.js';

export interface Plan {
  strategy: string;
  calls: PlannedCall[];
  skipped: string[];
}

export async function renderPlan(plan: Plan, format: OutputFormat): Promise<string> {
  if (format === 'json' || format === 'yaml') return renderDocument(plan, format);
  const lines: string[] = [`# ${plan.strategy}: nothing below has run`];
  let current: string | null | undefined;
  for (const call of plan.calls) {
    if (call.node !== current) {
      lines.push(`# ${call.node ?? (current === undefined ? 'the run' : 'the end of the run')}`);
      current = call.node;
    }
    const line = call.argv.map(shellQuote).join(' ');
    lines.push(call.stdin === undefined ? line : `${line} <<'STDIN'\n${call.stdin}\nSTDIN`);
  }
  for (const node of plan.skipped) lines.push(`# ${node}: not Ready, skipped`);
  return `${lines.join('\n')}\n`;
}

/** POSIX single quotes; words that need none are left bare. */
export function shellQuote(word: string): string {
  if (/^[\w@%+=:,./<>-]+$/.test(word) && !/[<>]/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
