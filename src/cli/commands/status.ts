// `oc icsp status`: the MachineConfig rollout view. Exit 0 when every node is up to date.
import { exitCodesHelp } from '../../errors.js';
import { colorOf, defineCommand } from '../command.js';
import { exitFor } from '../exit-code.js';
import { clusterCommandBuilder, openClientFrom } from '../options.js';
import { COMMANDS } from '../spec.js';

const builder = clusterCommandBuilder(COMMANDS.status.options, exitCodesHelp('every selected node runs its desired MachineConfig', 'some node does not (yet)'));

export const statusCommand = defineCommand({
  command: 'status',
  describe: COMMANDS.status.describe,
  builder,
  handler: async (args, io) => {
    const [{ status, nodesBehind, statusOutcome }, { renderStatus }, { decideTerminal }] = await Promise.all([import('../../app/status.js'), import('../../report/status-report.js'), import('../terminal.js')]);
    const client = openClientFrom(args, io);
    const result = await status(client, args.selector);
    const terminal = decideTerminal({ noColor: !colorOf(args), output: args.output }, io.env);
    io.out(await renderStatus(result, args.output, terminal.paint, io.columns));
    const behind = nodesBehind(result);
    // Exit 1 says why, on stderr: data stays on stdout.
    if (behind.length) io.err(`${behind.length} node(s) not yet on their desired MachineConfig: ${behind.map((n) => n.name).join(', ')}\n`);
    return exitFor(statusOutcome(result));
  },
});
