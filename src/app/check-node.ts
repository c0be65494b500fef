// One node's check, as the node runner drives it: its lines go through the readers (and to
// its log file), and its end becomes a verdict.
import type { NodeEnd, NodeSink } from '../oc/node-runner.js';
import { NodeOutputReader } from '../pull-log/node-output.js';
import { decideVerdict, type Expectation, type NodeVerdict } from '../pull-log/verdict.js';

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
  /** Resolves with the write error, if writing failed (a full disk, say). */
  close(): Promise<Error | null>;
}
export type LogSinkFactory = (node: string) => LogSink;

export interface NodeCheck extends NodeSink {
  finish(end: NodeEnd): Promise<NodeResult>;
}

export interface NodeCheckContext {
  image: string;
  clientName: string;
  timeoutMs: number;
  expectation: Expectation;
  log: LogSink | undefined;
  /** A problem that is not the node's verdict, but must be said (the log file failed). */
  warn(text: string): void;
}

export function startNodeCheck(node: string, context: NodeCheckContext): NodeCheck {
  const reader = new NodeOutputReader();
  const { log } = context;
  return {
    output(line) {
      reader.feed(line);
      log?.write(line);
    },
    clientTalk(line) {
      log?.write(`[${context.clientName}] ${line}`);
    },
    async finish(end) {
      const logError = await log?.close();
      if (logError) context.warn(`${node}: its --log-dir file is incomplete: ${logError.message}`);
      const report = reader.result();
      const verdict = decideVerdict(
        context.image,
        report,
        { status: end.status, clientSaid: end.clientSaid, clientName: context.clientName, timeoutMs: context.timeoutMs },
        context.expectation,
      );
      return {
        name: node,
        ...verdict,
        durationMs: end.durationMs,
        podman: report.podman,
        imageWasPresent: report.imagePresentBefore,
        imageRemoved: report.removed === 'yes',
      };
    },
  };
}

/** A node that was not checked, or whose check could not begin. */
export function resultWithoutRun(name: string, verdict: NodeVerdict['verdict'], detail: string): NodeResult {
  return { name, verdict, pulledFrom: null, attempts: [], detail, durationMs: 0, podman: null, imageWasPresent: null, imageRemoved: false };
}
