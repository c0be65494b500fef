// The one place that starts processes. Everything else in oc/ decides which argv to run
// and reads the answer; tests inject a runner that checks the argv against a table.
import { createInterface } from 'node:readline';
// execa loads lazily: most invocations (help, explain -f, render) never start a process.
const loadExeca = () => import('execa').then((m) => m.execa);

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
}

export interface RunningProcess {
  kill(signal: NodeJS.Signals): void;
  /** Resolves once the process has exited and both streams are drained. */
  done: Promise<{ exitCode: number | null; signal: string | null; failedToStart?: string }>;
}

export interface OcRunner {
  /** The client binary, as resolved (for messages). */
  readonly binary: string;
  readonly kind: 'oc' | 'kubectl';
  run(args: string[], options?: { input?: string }): Promise<RunResult>;
  stream(args: string[], handlers: StreamHandlers): RunningProcess;
}

export interface RunnerOptions {
  binary: string;
  kind: 'oc' | 'kubectl';
  /** --kubeconfig / --context, appended to every call. */
  globalArgs: string[];
}

export function execaRunner({ binary, kind, globalArgs }: RunnerOptions): OcRunner {
  return {
    binary,
    kind,
    async run(args, options = {}) {
      const execa = await loadExeca();
      const result = await execa(binary, withGlobalArgs(args, globalArgs), {
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
    stream(args, handlers) {
      // Wrapped in an object: a subprocess is itself a promise, and then() would await it.
      const started = loadExeca().then((execa) => ({
        subprocess: execa(binary, withGlobalArgs(args, globalArgs), {
          stdin: 'ignore',
          buffer: false,
          reject: false,
          // The user's Ctrl-C reaches oc through us, so it cleans up after we asked, not before.
          detached: true,
        }),
      }));
      let child: Awaited<typeof started>['subprocess'] | undefined;
      const pendingSignals: NodeJS.Signals[] = [];
      const done = (async () => {
        child = (await started).subprocess;
        for (const signal of pendingSignals) child.kill(signal);
        const drained = [lines(child.stdout, handlers.onStdoutLine), lines(child.stderr, handlers.onStderrLine)];
        const result = await child;
        await Promise.all(drained);
        const failedToStart = result.failed && result.exitCode === undefined && !result.signal ? result.shortMessage : undefined;
        return { exitCode: result.exitCode ?? null, signal: result.signal ?? null, ...(failedToStart ? { failedToStart } : {}) };
      })();
      return {
        kill(signal) {
          if (!child) {
            pendingSignals.push(signal);
            return;
          }
          try {
            child.kill(signal);
          } catch {
            // already gone
          }
        },
        done,
      };
    },
  };
}

/** Client flags go before `--`, or they would become arguments of the node command. */
export function withGlobalArgs(args: string[], globalArgs: string[]): string[] {
  const dashes = args.indexOf('--');
  if (dashes === -1) return [...args, ...globalArgs];
  return [...args.slice(0, dashes), ...globalArgs, ...args.slice(dashes)];
}

function lines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): Promise<void> {
  if (!stream) return Promise.resolve();
  const reader = createInterface({ input: stream, crlfDelay: Infinity });
  reader.on('line', onLine);
  return new Promise((resolve) => reader.once('close', () => resolve()));
}
