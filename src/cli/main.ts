// `oc icsp`: argv to a command, one top-level catch, exit codes from errors.ts.
import yargs, { type Argv, type CommandModule } from 'yargs';
import { environmentError, EXIT, EXIT_CODES_HELP, InputError, UserError } from '../errors.js';
import type { Io } from './io.js';
import { helpWidth } from './help-key.js';
import { COMMANDS, type CommandName, ROOT_OPTIONS } from './spec.js';
import { completionCommand, explainCommand, listCommand, migrateCommand, renderCommand } from './commands/offline.js';
import { auditCommand } from './commands/audit.js';
import { cleanupCommand } from './commands/cleanup.js';
import { statusCommand } from './commands/status.js';
import { versionCommand } from './commands/version.js';
import { reportCommand, STDIN_FLAG } from './commands/report.js';
import { type VerifyAction, verifyCommand } from './commands/verify.js';
import type { Command } from './command.js';

/** Commands whose doing can be swapped, so argv → request is tested without running anything. */
export interface Actions {
  verify?: VerifyAction;
}

export async function main(argv: string[], io: Io, actions: Actions = {}): Promise<number> {
  let exitCode: number = EXIT.ok;
  const setExit = (code: number) => {
    exitCode = code;
  };
  const defined: Record<CommandName, Command> = {
    verify: verifyCommand(actions.verify),
    explain: explainCommand,
    render: renderCommand,
    list: listCommand,
    migrate: migrateCommand,
    audit: auditCommand,
    status: statusCommand,
    cleanup: cleanupCommand,
    completion: completionCommand,
    report: reportCommand,
    version: versionCommand,
  };
  const commands = Object.fromEntries(Object.entries(defined).map(([name, command]) => [name, command(io, setExit)])) as Record<CommandName, CommandModule>;
  // `oc icsp verify ...` runs a parser that knows only verify, as its default command: yargs
  // renders the whole help text before running any named command (cacheHelpMessage), which
  // costs more start-up than the rest of the run.
  const OWN_EXIT_CODES = new Set<CommandName>(['verify', 'explain', 'audit', 'status', 'cleanup']);
  const chosen = argv[0] !== undefined && Object.hasOwn(commands, argv[0]) ? (argv[0] as CommandName) : null;
  const cli = yargs().scriptName(chosen ? `${io.invocation.name} ${chosen}` : io.invocation.name);
  if (chosen) {
    const module = commands[chosen];
    cli.command({ ...module, command: String(module.command).replace(/^\S+/, '$0') });
    for (const [line, what] of COMMANDS[chosen].examples) example(cli, `${io.invocation.name} ${line}`, what);
    // Commands with exit codes of their own say them; the others the general ones, once.
    if (!OWN_EXIT_CODES.has(chosen)) cli.epilog(EXIT_CODES_HELP);
  } else {
    cli.epilog(EXIT_CODES_HELP);
    cli
      .usage('$0 <command> [options]\n\nCheck that OpenShift nodes pull images through their ICSP/IDMS/ITMS mirrors.')
      .demandCommand(1, `name a command: ${Object.keys(commands).join(', ')}`);
    for (const module of Object.values(commands)) cli.command(module);
    example(cli, `${io.invocation.name} verify quay.io/org/app@DIGEST`, 'which source each node pulls the image from');
    example(cli, `${io.invocation.name} explain quay.io/org/app@DIGEST -f mirrors.yaml`, 'the sources a pull tries, offline');
  }
  cli
    .options(ROOT_OPTIONS)
    .strict()
    .help()
    .alias('help', 'h')
    .version(false)
    .wrap(wantsHelp(argv) ? helpWidth(io.columns) : null)
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new UsageError(usageMessage(message, chosen ? String(commands[chosen].command) : null, io.invocation.name), `${io.invocation.name}${chosen ? ` ${chosen}` : ''} --help`);
    });
  try {
    // With a callback, yargs hands its help text back instead of printing it: io writes it.
    const args = chosen ? argv.slice(1) : argv;
    await cli.parseAsync(chosen === 'report' ? args.map((a) => (a === '-' ? STDIN_FLAG : a)) : joinStdinFilename(args), {}, (_error, _args, output) => {
      if (output) io.out(`${output}\n`);
    });
    return exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

/**
 * An example as kubectl's help shows them: what it does as a comment, then the command on a line
 * of its own (yargs would put them side by side and wrap a long command mid-way; an example with
 * no description gets the whole line).
 */
function example(cli: Argv, command: string, what: string): void {
  cli.example(`# ${what}`, '');
  cli.example(command, '');
}

class UsageError extends UserError {
  constructor(
    message: string,
    /** Where to read how the command is used. */
    readonly help: string,
  ) {
    super(message);
  }
}

/** yargs' validation messages, said in one line of our words (they are the only ones it makes). */
export function usageMessage(message: string, usage: string | null, name: string): string {
  const invalid = /Argument: (\S+), Given: "([^"]*)", Choices: (.*)$/m.exec(message);
  if (invalid) {
    const flag = invalid[1] === 'output' ? '-o/--output' : `--${invalid[1]}`;
    return `${flag} ${JSON.stringify(invalid[2])} is not one of: ${invalid[3]!.replaceAll('"', '')}`;
  }
  const positional = usage ? /<(\w+)>/.exec(usage)?.[1] : undefined;
  if (/^Not enough non-option arguments/.test(message) && usage && positional) {
    return `${usage.split(' ')[0]} needs ${positional}: ${name} ${usage}`;
  }
  return message.split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
}

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
    io.err(`error: ${known.message}${known instanceof UsageError ? ` (see \`${known.help}\`)` : ''}\n`);
    return EXIT.usage;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.err(`error: ${message.split('\n')[0]}\nthis is a bug in oc-icsp; rerun with OC_ICSP_DEBUG=1 for a stack trace and report it\n`);
  if (io.env.OC_ICSP_DEBUG) io.err(`${(error as Error).stack ?? ''}\n`);
  return EXIT.bug;
}
