// `oc icsp audit`: CRI-O's own record of pulls, from each node's journal. Read-only.
import type { Argv } from 'yargs';
import { colorOf, defineCommand } from '../command.js';
import { exitCodesHelp, UserError } from '../../errors.js';
import { exitFor } from '../exit-code.js';
import { parseDuration } from '../../durations.js';
import { documentObject, isDocumentFormat, isTableFormat } from '../../report/document.js';
import { countOption, nodeNamesOption, openClientFrom, ownOptions, withClientOptions, withOutputOption } from '../options.js';
import { COMMANDS } from '../spec.js';
import { preferSmallHeap } from '../heap.js';
import { reportPath, runFactsReader, savePage } from '../page-output.js';
import { systemClock } from '../../clock.js';

const builder = (yargs: Argv) =>
  withOutputOption(withClientOptions(yargs))
    .positional('FILTER', { type: 'string', describe: 'only pulls of this image, or of repositories under this prefix' })
    .options(ownOptions(COMMANDS.audit.options))
    .epilog(exitCodesHelp('no finding', 'findings (silent fallbacks, tag pulls under digest-only policies, pulls that failed on every mirror), or a journal not read to its end', true));

/**
 * The start of the window from --since: a duration back from now (24h, 90m, 2d), or a UTC time
 * (2026-11-30, 2026-11-30 03:00[:00], 2026-11-30T03:00:00Z). Anything else is refused: the
 * kubelet's journal endpoint accepts only its own two forms, into which this is turned.
 */
export function sinceTime(text: string, now: Date): Date {
  const date = /^(\d{4}-\d\d-\d\d)(?:[ T](\d\d:\d\d)(:\d\d(?:\.\d+)?)?)?(Z|[+-]\d\d:\d\d)?$/.exec(text.trim());
  if (date) {
    const at = new Date(`${date[1]}T${date[2] ?? '00:00'}${date[3] ?? ':00'}${date[4] ?? 'Z'}`);
    if (!Number.isNaN(at.getTime()) && at <= now) return at;
  }
  let ms: number;
  try {
    ms = parseDuration(text, '--since');
  } catch {
    throw new UserError(`--since ${JSON.stringify(text)} is neither a duration (24h, 90m, 2d) nor a UTC time (2026-11-30 03:00:00, 2026-11-30T03:00:00Z)`);
  }
  return new Date(now.getTime() - ms);
}

export const auditCommand = defineCommand({
  command: 'audit [FILTER]',
  describe: COMMANDS.audit.describe,
  builder,
  handler: async (args, io) => {
    const until = new Date();
    const since = sinceTime(args.since, until);
    countOption(args.parallel, '--parallel');
    const timeoutMs = parseDuration(args.timeout, '--timeout');
    const nodeNames = nodeNamesOption(args.nodes);
    const report = reportPath(args.report, 'audit');
    const [{ audit, auditOutcome }, { auditSentence, renderAudit }, { auditDocument }, { decideTerminal }, { watchInterrupts }] = await Promise.all([
      import('../../app/audit.js'),
      import('../../report/audit-report.js'),
      import('../../report/public-documents.js'),
      import('../terminal.js'),
      import('../interrupts.js'),
    ]);
    await preferSmallHeap();
    const client = openClientFrom(args, io);
    // Audit creates nothing on the cluster: nothing to remove on a second signal.
    const interrupts = watchInterrupts(io, { pending: () => [], abandon: () => {} }, client.name);
    const runFacts = isDocumentFormat(args.output) || report ? runFactsReader(client.runner, client.name, systemClock) : null;
    try {
      const result = await audit({ filter: args.FILTER, since, until, selector: args.selector, nodeNames, parallel: args.parallel, timeoutMs }, client, interrupts.signal);
      const terminal = decideTerminal({ noColor: !colorOf(args), output: args.output }, io.env);
      const run = await runFacts?.();
      io.out(await renderAudit(result, args.output, terminal.paint, io.columns, undefined, run));
      if (isTableFormat(args.output)) {
        io.err(`${auditSentence(result.nodes, result.findings.length, args.since)}\n`);
      }
      if (report) await savePage(report, documentObject('Audit', auditDocument(result, run)), io, isTableFormat(args.output));
      return exitFor(auditOutcome(result));
    } finally {
      interrupts.dispose();
    }
  },
});
