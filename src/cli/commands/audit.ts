// `oc icsp audit`: CRI-O's own record of pulls, from each node's journal. Read-only.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { EXIT, UserError } from '../../errors.js';
import { parseDuration } from '../../durations.js';
import type { Io } from '../io.js';
import { openClientFrom, withClientOptions, withOutputOption } from '../options.js';
import { COMMANDS } from '../spec.js';

const builder = (yargs: Argv) =>
  withOutputOption(withClientOptions(yargs))
    .positional('FILTER', { type: 'string', describe: 'only pulls of this image, or of repositories under this prefix' })
    .options(COMMANDS.audit.options)
    .epilog('Exit codes: 0 no finding; 1 findings (silent fallbacks, tag pulls under digest-only policies, pulls that failed on every mirror); 2 usage, input or environment error; 70 a bug in oc-icsp.');
type BuiltArgs = ReturnType<typeof builder> extends Argv<infer T> ? T : never;

/** journalctl's --since from ours: 24h → -24h; a date passes as it is. */
export function journalSince(text: string): string {
  if (/^\d{4}-\d\d-\d\d( \d\d:\d\d(:\d\d)?)?$/.test(text)) return text;
  return `-${Math.max(1, Math.round(parseDuration(text, '--since') / 1000))}s`;
}

export const auditCommand = (io: Io, setExit: (code: number) => void): CommandModule<object, BuiltArgs> => ({
  command: 'audit [FILTER]',
  describe: COMMANDS.audit.describe,
  builder,
  handler: async (args: ArgumentsCamelCase<BuiltArgs>) => {
    const since = journalSince(args.since);
    if (!Number.isInteger(args.parallel) || args.parallel < 1) throw new UserError(`--parallel must be a whole number of at least 1, not ${args.parallel}`);
    const timeoutMs = parseDuration(args.timeout, '--timeout');
    const nodeNames = args.nodes?.split(',').map((n) => n.trim()).filter(Boolean);
    const [{ audit }, { renderAudit }, { decideTerminal }, { watchInterrupts }] = await Promise.all([
      import('../../app/audit.js'),
      import('../../report/audit-report.js'),
      import('../terminal.js'),
      import('../interrupts.js'),
    ]);
    const client = openClientFrom(args, io);
    // Audit creates nothing on the cluster: nothing to remove on a second signal.
    const interrupts = watchInterrupts(io, { pending: () => [], abandon: () => {} }, client.name);
    try {
      const result = await audit({ filter: args.FILTER, since, selector: args.selector, nodeNames, parallel: args.parallel, timeoutMs }, client, interrupts.signal);
      const terminal = decideTerminal({ noColor: (args as { color?: boolean }).color === false, output: args.output }, io.env);
      io.out(await renderAudit(result, args.output, terminal.paint, io.columns));
      if (args.output === 'table' || args.output === 'wide') {
        io.err(`${result.nodes.length} node(s), ${result.nodes.reduce((n, x) => n + x.pulls.length, 0)} pull(s) since ${args.since}, ${result.findings.length} finding(s)\n`);
      }
      setExit(result.findings.length > 0 || result.nodes.some((n) => n.error) ? EXIT.findings : EXIT.ok);
    } finally {
      interrupts.dispose();
    }
  },
});
