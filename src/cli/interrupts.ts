// Ctrl-C, SIGTERM and a hang-up (a closed terminal, a dropped SSH session) all stop the run
// and remove what it made. A second one stops waiting: it says what is still being removed,
// hands that to client calls that outlive us, and exits at once.
import { EXIT } from '../errors.js';
import type { NodeRunner } from '../oc/node-runner.js';
import type { Io } from './io.js';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface Interrupts {
  signal: AbortSignal;
  dispose(): void;
}

export function watchInterrupts(io: Io, runner: Pick<NodeRunner, 'pending' | 'abandon'>, clientName: string, exit: (code: number) => never = process.exit): Interrupts {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    // After a hang-up the terminal is gone: a write to it must not crash the cleanup.
    if (signal === 'SIGHUP') for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
    if (!controller.signal.aborted) {
      io.err('\ninterrupted: stopping the node pods and removing the namespace ... (again to stop waiting)\n');
      controller.abort();
      return;
    }
    const pending = runner.pending();
    io.err(pending.length ? `still being removed: ${pending.join(', ')}; check with \`${clientName} get ${pending.join(' ')}\`\n` : 'nothing left to remove\n');
    runner.abandon();
    exit(EXIT.interrupted);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  return {
    signal: controller.signal,
    dispose: () => SIGNALS.forEach((s) => process.off(s, onSignal)),
  };
}
