// One node: start its debug pod, stream the output through the readers, bound it in time.
import { debugNode } from '../oc/debug.js';
import type { OcRunner, RunningProcess } from '../oc/runner.js';
import { NodeOutputReader } from '../pull-log/node-output.js';
import { decideVerdict, type Expectation, type NodeVerdict } from '../pull-log/verdict.js';
import { nodeCommand } from './node-script.js';

export interface NodeResult extends NodeVerdict {
  name: string;
  durationMs: number;
  podman: string | null;
  /** The image was in the node's storage before the check (so it was left there). */
  imageWasPresent: boolean | null;
  /** The check removed the image it pulled. */
  imageRemoved: boolean;
}

export interface LogSink {
  write(line: string): void;
  close(): Promise<void>;
}
export type LogSinkFactory = (node: string) => LogSink;

export interface CheckNodeRequest {
  node: string;
  image: string;
  namespace: string;
  debugImage: string | undefined;
  keepImage: boolean;
  timeoutMs: number;
  timeoutText: string;
  expectation: Expectation;
}

// oc deletes its pod on SIGINT; these bound how long we wait for it before insisting.
const GRACE_MS = { term: 5_000, kill: 5_000 };
const CLIENT_TAIL = 8;

export async function checkNode(
  deps: { oc: OcRunner; signal: AbortSignal; logSink: LogSinkFactory | undefined },
  request: CheckNodeRequest,
): Promise<NodeResult> {
  const started = Date.now();
  const reader = new NodeOutputReader();
  const clientTail: string[] = [];
  const log = deps.logSink?.(request.node);
  const proc = debugNode(
    deps.oc,
    { node: request.node, namespace: request.namespace, image: request.debugImage, command: nodeCommand(request.image, request.keepImage) },
    {
      onStdoutLine(line) {
        reader.feed(line);
        log?.write(line);
      },
      onStderrLine(line) {
        clientTail.push(line);
        if (clientTail.length > CLIENT_TAIL) clientTail.shift();
        log?.write(`[${deps.oc.kind}] ${line}`);
      },
    },
  );
  let timedOut = false;
  const stop = interrupter(proc);
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, request.timeoutMs);
  const onAbort = () => stop();
  deps.signal.addEventListener('abort', onAbort);
  try {
    const exit = await proc.done;
    const report = reader.result();
    const verdict = decideVerdict(request.image, report, {
      timedOut,
      timeoutText: request.timeoutText,
      interrupted: deps.signal.aborted && !timedOut,
      clientTail,
      clientName: deps.oc.kind,
      ...(exit.failedToStart ? { clientFailedToStart: exit.failedToStart } : {}),
    }, request.expectation);
    return {
      name: request.node,
      ...verdict,
      durationMs: Date.now() - started,
      podman: report.podman,
      imageWasPresent: report.imagePresentBefore,
      imageRemoved: report.removed === 'yes',
    };
  } finally {
    clearTimeout(timer);
    stop.cancel();
    deps.signal.removeEventListener('abort', onAbort);
    await log?.close();
  }
}

/** SIGINT first so oc removes its pod, then SIGTERM, then SIGKILL. */
function interrupter(proc: RunningProcess): (() => void) & { cancel(): void } {
  const timers: NodeJS.Timeout[] = [];
  let started = false;
  const stop = () => {
    if (started) return;
    started = true;
    proc.kill('SIGINT');
    timers.push(setTimeout(() => proc.kill('SIGTERM'), GRACE_MS.term));
    timers.push(setTimeout(() => proc.kill('SIGKILL'), GRACE_MS.term + GRACE_MS.kill));
  };
  return Object.assign(stop, { cancel: () => timers.forEach(clearTimeout) });
}
