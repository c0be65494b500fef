// `oc icsp`: argv to a command, one top-level catch, exit codes from errors.ts.
import yargs from 'yargs';
import { environmentError, EXIT, EXIT_CODES_HELP, InputError, UserError } from '../errors.js';
import type { Io } from './io.js';
import { explainCommand, listCommand, migrateCommand, renderCommand } from './commands/offline.js';
import { type VerifyAction, verifyCommand } from './commands/verify.js';

/** Commands whose doing can be swapped, so argv → request is tested without running anything. */
export interface Actions {
  verify?: VerifyAction;
}

export async function main(argv: string[], io: Io, actions: Actions = {}): Promise<number> {
  let exitCode: number = EXIT.ok;
  const setExit = (code: number) => {
    exitCode = code;
  };
  const cli = yargs()
    .scriptName(io.invocation.name)
    .usage('$0 <command> [options]\n\nCheck that OpenShift nodes pull images through their ICSP/IDMS/ITMS mirrors.')
    .command(verifyCommand(io, setExit, actions.verify))
    .command(explainCommand(io, setExit))
    .command(renderCommand(io, setExit))
    .command(listCommand(io, setExit))
    .command(migrateCommand(io, setExit))
    .option('color', { type: 'boolean', default: true, describe: 'colour the output (also off with NO_COLOR)' })
    .epilog(EXIT_CODES_HELP)
    .demandCommand(1, 'name a command: verify, explain, render, list or migrate')
    .strict()
    .help()
    .alias('help', 'h')
    .version(false)
    // yargs formats the help text on every command run (cacheHelpMessage); wrapping it costs
    // ~10 ms of start-up, so only help output is wrapped.
    .wrap(wantsHelp(argv) ? Math.min(110, process.stdout.columns ?? 100) : null)
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    });
  try {
    // With a callback, yargs hands its help text back instead of printing it: io writes it.
    await cli.parseAsync(joinStdinFilename(argv), {}, (_error, _args, output) => {
      if (output) io.out(`${output}\n`);
    });
    return exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

class UsageError extends UserError {}

// yargs reads a lone `-` after an array option as an unknown argument; `-f -` means stdin.
function joinStdinFilename(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if ((argv[i] === '-f' || argv[i] === '--filename') && argv[i + 1] === '-') {
      out.push('--filename=-');
      i++;
    } else {
      out.push(argv[i]!);
    }
  }
  return out;
}

function wantsHelp(argv: string[]): boolean {
  return argv.includes('--help') || argv.includes('-h') || argv.length === 0;
}

export function reportError(error: unknown, io: Io): number {
  const known = error instanceof InputError ? error : environmentError(error);
  if (known) {
    io.err(`error: ${known.message}${known instanceof UsageError ? ` (see \`${io.invocation.name} --help\`)` : ''}\n`);
    return EXIT.usage;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.err(`error: ${message.split('\n')[0]}\nthis is a bug in oc-icsp; rerun with OC_ICSP_DEBUG=1 for a stack trace and report it\n`);
  if (io.env.OC_ICSP_DEBUG) io.err(`${(error as Error).stack ?? ''}\n`);
  return EXIT.bug;
}
