import { type Invocation, invocationFrom } from './invocation.js';

/** Where the CLI writes (stdout for data, stderr for talk) and how it was started. Injected so tests can read both. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  invocation: Invocation;
  /** stdout's width when it is a terminal (help is wrapped to it), else undefined. */
  columns: number | undefined;
}

export const processIo = (invocation: Invocation): Io => ({
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
  invocation,
  columns: process.stdout.isTTY ? process.stdout.columns : undefined,
});

/** For tests and for the default: started as `oc icsp`. */
export const AS_OC: Invocation = invocationFrom([]);
