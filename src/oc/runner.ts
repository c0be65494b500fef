// The one place that starts processes. Everything else in oc/ decides which argv to run
// and reads the answer; tests inject a runner that checks the argv against a table.
// execa, child_process and readline load lazily: most invocations (help, explain, render)
// never start a process. child_process is kept for runDetached, which must not wait.
import { type Clock, systemClock } from '../clock.js';
let childProcess: typeof import('node:child_process') | undefined;
const loadExeca = () =>
  Promise.all([import('execa'), import('node:child_process')]).then(([m, cp]) => {
    childProcess = cp;
    return m.execa;
  });

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The process could not be started at all (ENOENT, EACCES). */
  failedToStart?: string;
}

export interface StreamHandlers {
  onStdoutLine(line: string): void;
  onStderrLine(line: string): void;
  /**
   * After the last stdout line: whether stdout ended with a newline. A process killed while writing
   * (journalctl at the kubelet's deadline) leaves a cut line, which comes as the last line.
   */
  onStdoutEnd?(endedWithNewline: boolean): void;
}

export interface ProcessEnd {
  exitCode: number | null;
  signal: string | null;
  /** Why the process, or what it stood for (a pod), never started. */
  failedToStart?: string;
}

export interface RunningProcess {
  /** SIGINT first, so the client removes what it made; then SIGTERM, then SIGKILL. */
  stop(): void;
  /** Resolves once the process has exited and both streams are drained. */
  done: Promise<ProcessEnd>;
}

export interface OcRunner {
  /** The client binary, as resolved (for messages). */
  readonly binary: string;
  /** What to do without a session, in this client's words (for messages). */
  readonly loginAdvice: string;
  run(args: string[], options?: { input?: string }): Promise<RunResult>;
  stream(args: string[], handlers: StreamHandlers): RunningProcess;
  /** Start a call that outlives this process (a last cleanup); nothing waits for it. */
  runDetached(args: string[]): void;
  /** The full command line a call would run: binary, args and the global flags. */
  commandLine(args: string[]): string[];
}

export interface RunnerOptions {
  binary: string;
  loginAdvice: string;
  /** --kubeconfig / --context / --request-timeout, appended to every call. */
  globalArgs: string[];
  /** How long stop() waits before SIGTERM, then before SIGKILL. */
  stopGraceMs?: { term: number; kill: number };
  /** Whose time the grace periods run on. */
  clock?: Clock;
}

// oc removes its debug pod on SIGINT; these bound how long we wait before insisting.
export const STOP_GRACE_MS = { term: 5_000, kill: 5_000 };

/** Streaming clients alive now, so that no exit, however it comes, leaves one running. */
const live = new Set<{ stop(signal: NodeJS.Signals): void }>();
let exitHookInstalled = false;
function track(entry: { stop(signal: NodeJS.Signals): void }): () => void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // oc debug deletes its pod on SIGTERM; only synchronous work is possible here.
    process.on('exit', () => {
      for (const child of live) child.stop('SIGTERM');
    });
  }
  live.add(entry);
  return () => live.delete(entry);
}

export function liveClientCount(): number {
  return live.size;
}

export function execaRunner({ binary, loginAdvice, globalArgs, stopGraceMs = STOP_GRACE_MS, clock = systemClock }: RunnerOptions): OcRunner {
  const argv = (args: string[]) => withGlobalArgs(args, globalArgs);
  return {
    binary,
    loginAdvice,
    commandLine: (args) => [binary, ...argv(args)],
    async run(args, options = {}) {
      const execa = await loadExeca();
      const result = await execa(binary, argv(args), {
        input: options.input ?? '',
        reject: false,
        stripFinalNewline: false,
        env: { NO_COLOR: '1' },
      });
      const failedToStart = result.failed && result.exitCode === undefined ? result.shortMessage : undefined;
      return {
        exitCode: result.exitCode ?? 1,
        stdout: String(result.stdout ?? ''),
        stderr: String(result.stderr ?? ''),
        ...(failedToStart ? { failedToStart } : {}),
      };
    },
    runDetached(args) {
      try {
        // Only ever called once a client has run, so child_process is loaded.
        childProcess?.spawn(binary, argv(args), { detached: true, stdio: 'ignore' }).unref();
      } catch {
        // best effort: the caller has already told the user what to remove by hand
      }
    },
    stream(args, handlers) {
      // Wrapped in an object: a subprocess is itself a promise, and then() would await it.
      const started = loadExeca().then((execa) => ({
        subprocess: execa(binary, argv(args), {
          stdin: 'ignore',
          buffer: false,
          reject: false,
          // Its own process group: the terminal's Ctrl-C reaches us only, and we decide when the
          // client is told, so it cleans up after we asked, not before.
          detached: true,
        }),
      }));
      let child: Awaited<typeof started>['subprocess'] | undefined;
      const pending: NodeJS.Signals[] = [];
      const signal = (sig: NodeJS.Signals) => {
        if (!child) {
          pending.push(sig);
          return;
        }
        signalGroup(child, sig);
      };
      const untrack = track({ stop: signal });
      const escalation = escalator(signal, stopGraceMs, clock);
      const done = (async () => {
        try {
          child = (await started).subprocess;
          const running = child;
          // Or execa's own end, for a process that never started (no exit event then).
          const exited = Promise.race([new Promise((resolve) => running.once('exit', resolve)), running]);
          for (const sig of pending) signalGroup(child, sig);
          const { createInterface } = await import('node:readline');
          let lastByte: number | undefined;
          child.stdout?.on('data', (chunk: Buffer) => (lastByte = chunk.length ? chunk[chunk.length - 1] : lastByte));
          const drained = [lines(createInterface, child.stdout, handlers.onStdoutLine), lines(createInterface, child.stderr, handlers.onStderrLine)];
          // execa's promise waits for the streams too: the exit is taken from the process itself.
          await exited;
          await drainedOrCut(Promise.all(drained), [child.stdout, child.stderr], clock);
          const result = await child;
          handlers.onStdoutEnd?.(lastByte === undefined || lastByte === 0x0a);
          const failedToStart = result.failed && result.exitCode === undefined && !result.signal ? `could not run the client: ${result.shortMessage}` : undefined;
          return { exitCode: result.exitCode ?? null, signal: result.signal ?? null, ...(failedToStart ? { failedToStart } : {}) };
        } finally {
          escalation.cancel();
          untrack();
        }
      })();
      return { stop: escalation.start, done };
    },
  };
}

/**
 * A signal to the client's whole process group (it leads one: spawned detached), as a terminal's
 * Ctrl-C reaches every process of the foreground job (kill(2) with a negative pid). An `oc` that is
 * a wrapper script which does not exec would otherwise take the signal alone, and its client,
 * left running, would keep the pipes and the watch open.
 */
function signalGroup(child: { pid?: number; kill(sig: NodeJS.Signals): boolean }, sig: NodeJS.Signals): void {
  try {
    if (child.pid) return void process.kill(-child.pid, sig);
  } catch {
    // no such group: the process alone, below
  }
  try {
    child.kill(sig);
  } catch {
    // already gone
  }
}

/** After the client exits, how long its streams may stay open: held by a process that left its group. */
export const DRAIN_AFTER_EXIT_MS = 2_000;

/** The client has exited: its output is read to the end, unless something it started still holds the pipes. */
async function drainedOrCut(drained: Promise<unknown>, streams: ({ destroy(): void } | null)[], clock: Clock): Promise<void> {
  let cancel = () => {};
  const cut = new Promise<void>((resolve) => (cancel = clock.setTimer(DRAIN_AFTER_EXIT_MS, resolve)));
  const ended = await Promise.race([drained.then(() => true), cut.then(() => false)]);
  cancel();
  if (ended) return;
  for (const stream of streams) stream?.destroy();
  await drained;
}

/** SIGINT, then SIGTERM and SIGKILL if the process is still there after each grace period. */
export function escalator(signal: (sig: NodeJS.Signals) => void, grace = STOP_GRACE_MS, clock: Clock = systemClock): { start(): void; cancel(): void } {
  const cancels: (() => void)[] = [];
  let started = false;
  return {
    start() {
      if (started) return;
      started = true;
      signal('SIGINT');
      cancels.push(clock.setTimer(grace.term, () => signal('SIGTERM')));
      cancels.push(clock.setTimer(grace.term + grace.kill, () => signal('SIGKILL')));
    },
    cancel() {
      cancels.forEach((cancel) => cancel());
    },
  };
}

/** Client flags go before `--`, or they would become arguments of the node command. */
export function withGlobalArgs(args: string[], globalArgs: string[]): string[] {
  const dashes = args.indexOf('--');
  if (dashes === -1) return [...args, ...globalArgs];
  return [...args.slice(0, dashes), ...globalArgs, ...args.slice(dashes)];
}

function lines(createInterface: typeof import('node:readline').createInterface, stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): Promise<void> {
  if (!stream) return Promise.resolve();
  const reader = createInterface({ input: stream, crlfDelay: Infinity });
  reader.on('line', onLine);
  // A stream destroyed (drainedOrCut) closes without an end, which readline may not see.
  return new Promise((resolve) => {
    reader.once('close', () => resolve());
    stream.once('close', () => resolve());
  });
}
