// Which pre-rendered help text answers this request, if any (see help-texts.ts).
import type { Io } from './io.js';
import { COMMANDS } from './spec.js';

export type HelpTexts = Record<string, string>;

export const HELP_WIDTHS = [100, 110];

/** Help fits the terminal, up to 110 columns; 100 when not a terminal. */
export function helpWidth(columns: number | undefined): number {
  return Math.min(110, columns ?? 100);
}

/** The key of a plain help request (`--help`, `-h`, `verify --help` ...), or undefined. */
export function helpKey(name: string, argv: string[], columns: number | undefined): string | undefined {
  const width = helpWidth(columns);
  if (!HELP_WIDTHS.includes(width)) return undefined;
  const [first, second, ...rest] = argv;
  if (rest.length) return undefined;
  const isHelp = (a: string | undefined) => a === '--help' || a === '-h';
  if (isHelp(first) && second === undefined) return `${name}|${width}|`;
  if (first && first in COMMANDS && isHelp(second)) return `${name}|${width}|${first}`;
  return undefined;
}

/** Answers a plain help request from the texts rendered at build time; false when it is not one. */
export function answerHelp(texts: HelpTexts, argv: string[], io: Io): boolean {
  const key = helpKey(io.invocation.name, argv, io.columns);
  if (key === undefined || texts[key] === undefined) return false;
  io.out(texts[key]);
  return true;
}
