// A table-driven client runner: each expected argv gets a canned answer and is consumed once;
// any other argv fails the test, and so does an expected call the test never made.
import { onTestFinished } from 'vitest';
import { type Clock, systemClock } from '../src/clock.js';
import type { OcRunner, ProcessEnd, RunResult, StreamHandlers } from '../src/oc/runner.js';

export interface Expected {
  /** The argv expected; a RegExp stands for an argument made at random (a run id). */
  args: (string | RegExp)[];
  result?: Partial<RunResult>;
  input?: (text: string) => void;
  /** For stream(): keep running until stopped, then end as a stopped client does. */
  hang?: boolean;
  /** For stream(): end as a client that could not be started. */
  failedToStart?: string;
  /** For stream(): more stdout lines, each after its delay in ms from the start (a watch's later events). */
  later?: [number, string][];
}

export interface FakeRunner extends OcRunner {
  calls: string[][];
  /** The argv of every streamed call that was told to stop, in order. */
  stopped: string[][];
  detached: string[][];
  /** Streamed calls running now. */
  running(): number;
}

/** `clock` times the `later` lines (a FakeClock steps them); the wall clock by default. */
export function fakeRunner(table: Expected[], binary = '/usr/bin/oc', clock: Clock = systemClock): FakeRunner {
  const remaining = [...table];
  const calls: string[][] = [];
  const stopped: string[][] = [];
  const detached: string[][] = [];
  let running = 0;
  const take = (args: string[]) => {
    const index = remaining.findIndex((e) => e.args.length === args.length && e.args.every((a, i) => (a instanceof RegExp ? a.test(args[i]!) : a === args[i])));
    if (index === -1) throw new Error(`unexpected client call: ${brief(args)}`);
    return remaining.splice(index, 1)[0]!;
  };
  onTestFinished(() => {
    if (remaining.length) throw new Error(`expected client calls never made: ${remaining.map((e) => brief(e.args.map(String))).join(', ')}`);
  });
  return {
    binary,
    loginAdvice: 'run `oc login`',
    calls,
    stopped,
    detached,
    running: () => running,
    commandLine: (args) => [binary, ...args],
    runDetached(args) {
      detached.push(args);
    },
    async run(args, options) {
      calls.push(args);
      const hit = take(args);
      hit.input?.(options?.input ?? '');
      return { exitCode: 0, stdout: '', stderr: '', ...hit.result };
    },
    stream(args: string[], handlers: StreamHandlers) {
      calls.push(args);
      const hit = take(args);
      running++;
      let release: (end: ProcessEnd) => void = () => {};
      const done = new Promise<ProcessEnd>((resolve) => (release = resolve)).finally(() => running--);
      // Lines arrive after the caller has wired its handlers, as a real process's would.
      setImmediate(() => {
        if (hit.failedToStart) return release({ exitCode: null, signal: null, failedToStart: hit.failedToStart });
        for (const line of lines(hit.result?.stdout)) handlers.onStdoutLine(line);
        for (const line of lines(hit.result?.stderr)) handlers.onStderrLine(line);
        for (const [ms, line] of hit.later ?? []) clock.setTimer(ms, () => handlers.onStdoutLine(line));
        if (hit.hang) return;
        const stdout = hit.result?.stdout ?? '';
        handlers.onStdoutEnd?.(stdout === '' || stdout.endsWith('\n'));
        release({ exitCode: hit.result?.exitCode ?? 0, signal: null });
      });
      return {
        stop() {
          stopped.push(args);
          setImmediate(() => {
            handlers.onStderrLine('Removing debug pod ...');
            release({ exitCode: 1, signal: null });
          });
        },
        done,
      };
    },
  };
}

function lines(text: string | undefined): string[] {
  return text === undefined || text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

/** The argv with the node script elided: enough to tell calls apart in a failure. */
function brief(args: string[]): string {
  return JSON.stringify(args.map((a) => (a.length > 60 ? `${a.slice(0, 20)}…` : a)));
}

/**
 * The reads of ClusterImagePolicies, ImagePolicies and CRIOCredentialProviderConfig on a cluster
 * that does not serve them (4.18: before 4.20 and 4.22), as kubectl answers.
 */
export function unservedImagePolicyReads(): Expected[] {
  const unserved = (plural: string) => ({ exitCode: 1, stderr: `error: the server doesn't have a resource type "${plural}"\n` });
  return [
    { args: ['get', 'clusterimagepolicies.config.openshift.io', '-o', 'json'], result: unserved('clusterimagepolicies') },
    { args: ['get', 'imagepolicies.config.openshift.io', '--all-namespaces', '-o', 'json'], result: unserved('imagepolicies') },
    { args: ['get', 'criocredentialproviderconfigs.config.openshift.io', 'cluster', '-o', 'json', '--ignore-not-found'], result: unserved('criocredentialproviderconfigs') },
  ];
}
