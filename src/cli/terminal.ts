// Decided once: is stderr a terminal, may we colour, may we spin.
import { isTableFormat, type OutputFormat } from '../report/document.js';
import { ansi, type Paint, plain } from '../report/colors.js';

export interface Terminal {
  color: boolean;
  paint: Paint;
  spinner: boolean;
}

export interface Ttys {
  stdout: boolean;
  stderr: boolean;
}

export const processTtys = (): Ttys => ({ stdout: Boolean(process.stdout.isTTY), stderr: Boolean(process.stderr.isTTY) });

export function decideTerminal(options: { noColor: boolean; output: OutputFormat }, env: NodeJS.ProcessEnv, ttys: Ttys = processTtys()): Terminal {
  const stdoutTty = ttys.stdout;
  const stderrTty = ttys.stderr;
  const color = stdoutTty && !options.noColor && !env.NO_COLOR && env.TERM !== 'dumb';
  return {
    color,
    paint: color ? ansi : plain,
    spinner: stderrTty && isTableFormat(options.output) && env.CI === undefined,
  };
}
