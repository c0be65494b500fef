// `oc icsp cleanup`: the namespaces (and the DaemonSets and pods in them) that killed runs left.
import { exitCodesHelp } from '../../errors.js';
import { defineCommand } from '../command.js';
import { exitFor } from '../exit-code.js';
import { parseDuration } from '../../durations.js';
import { isTableFormat } from '../../report/document.js';
import { clusterCommandBuilder, openClientFrom } from '../options.js';
import { COMMANDS } from '../spec.js';

const builder = clusterCommandBuilder(COMMANDS.cleanup.options, exitCodesHelp('done', 'something could not be removed'));

export const cleanupCommand = defineCommand({
  command: 'cleanup',
  describe: COMMANDS.cleanup.describe,
  builder,
  handler: async (args, io) => {
    const olderThanMs = parseDuration(args.olderThan, '--older-than', { zero: true });
    const [{ cleanup, cleanupOutcome }, { renderCleanup }] = await Promise.all([import('../../app/cleanup.js'), import('../../report/cleanup-report.js')]);
    const result = await cleanup(openClientFrom(args, io), { olderThanMs, dryRun: args.dryRun });
    io.out(await renderCleanup(result.leftovers, args.output, args.dryRun));
    if (isTableFormat(args.output)) {
      io.err(`${result.leftovers.length} leftover namespace(s)${args.dryRun ? ' (dry run: nothing removed)' : ''}; ${result.kept} younger than --older-than kept\n`);
    }
    return exitFor(cleanupOutcome(result.leftovers, args.dryRun));
  },
});
