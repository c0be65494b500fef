// `oc icsp cleanup`: the namespaces (and the DaemonSets and pods in them) that killed runs left.
import type { ArgumentsCamelCase, CommandModule } from 'yargs';
import { exitCodesHelp } from '../../errors.js';
import { exitFor } from '../exit-code.js';
import { parseDuration } from '../../durations.js';
import { isTableFormat } from '../../report/document.js';
import type { Io } from '../io.js';
import { type ArgsOf, clusterCommandBuilder, openClientFrom } from '../options.js';
import { COMMANDS } from '../spec.js';

const builder = clusterCommandBuilder(COMMANDS.cleanup.options, exitCodesHelp('done', 'something could not be removed'));
type BuiltArgs = ArgsOf<typeof builder>;

export const cleanupCommand = (io: Io, setExit: (code: number) => void): CommandModule<object, BuiltArgs> => ({
  command: 'cleanup',
  describe: COMMANDS.cleanup.describe,
  builder,
  handler: async (args: ArgumentsCamelCase<BuiltArgs>) => {
    const olderThanMs = args.olderThan === '0' ? 0 : parseDuration(args.olderThan, '--older-than');
    const [{ cleanup, cleanupOutcome }, { renderCleanup }] = await Promise.all([import('../../app/cleanup.js'), import('../../report/cleanup-report.js')]);
    const result = await cleanup(openClientFrom(args, io), { olderThanMs, dryRun: args.dryRun });
    io.out(await renderCleanup(result.leftovers, args.output, args.dryRun));
    if (isTableFormat(args.output)) {
      io.err(`${result.leftovers.length} leftover namespace(s)${args.dryRun ? ' (dry run: nothing removed)' : ''}; ${result.kept} younger than --older-than kept\n`);
    }
    setExit(exitFor(cleanupOutcome(result.leftovers, args.dryRun)));
  },
});
