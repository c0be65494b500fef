// One way to define a command: its usage, its flags (shared ones composed from options.ts), and a
// handler that returns the exit code. Every command is made by defineCommand, so main.ts holds
// them all alike, with no casts.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { Io } from './io.js';

export interface CommandSpec<T> {
  command: string;
  describe: string;
  builder: (yargs: Argv) => Argv<T>;
  handler: (args: ArgumentsCamelCase<T>, io: Io) => Promise<number>;
}

/** A command, bound to the process's io and to where its exit code goes. */
export type Command = (io: Io, setExit: (code: number) => void) => CommandModule;

export function defineCommand<T>(spec: CommandSpec<T>): Command {
  return (io, setExit) => ({
    command: spec.command,
    describe: spec.describe,
    builder: spec.builder as (yargs: Argv) => Argv,
    handler: async (args) => setExit(await spec.handler(args as ArgumentsCamelCase<T>, io)),
  });
}

/** --color is the root's flag (--no-color), seen by every command's handler. */
export const colorOf = (args: object): boolean => (args as { color?: boolean }).color !== false;
