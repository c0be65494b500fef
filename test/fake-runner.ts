// A table-driven client runner: each expected argv gets a canned answer; any other argv fails the test.
import type { OcRunner, RunResult, StreamHandlers } from '../src/oc/runner.js';

export interface Expected {
  args: string[];
  result?: Partial<RunResult>;
  input?: (text: string) => void;
}

export function fakeRunner(table: Expected[], kind: 'oc' | 'kubectl' = 'oc'): OcRunner & { calls: string[][] } {
  const calls: string[][] = [];
  const find = (args: string[]) => {
    const hit = table.find((e) => JSON.stringify(e.args) === JSON.stringify(args));
    if (!hit) throw new Error(`unexpected client call: ${JSON.stringify(args)}`);
    return hit;
  };
  return {
    binary: `/usr/bin/${kind}`,
    kind,
    calls,
    async run(args, options) {
      calls.push(args);
      const hit = find(args);
      hit.input?.(options?.input ?? '');
      return { exitCode: 0, stdout: '', stderr: '', ...hit.result };
    },
    stream(args: string[], handlers: StreamHandlers) {
      calls.push(args);
      const hit = find(args);
      for (const line of (hit.result?.stdout ?? '').split('\n')) handlers.onStdoutLine(line);
      for (const line of (hit.result?.stderr ?? '').split('\n')) handlers.onStderrLine(line);
      return { kill() {}, done: Promise.resolve({ exitCode: hit.result?.exitCode ?? 0, signal: null }) };
    },
  };
}
