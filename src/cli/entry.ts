// Start-up is part of the product: a plugin starts on every invocation and every TAB. So the
// completion helper answers without loading yargs (help is answered before this program loads,
// by the first scripts: bundle-entry.ts, sea-entry.ts), and everything else is loaded only when
// asked for.
import { processInvocation } from './invocation.js';
import { processIo } from './io.js';

async function start(): Promise<number> {
  const io = processIo(processInvocation());
  const argv = process.argv.slice(2);
  if (io.invocation.completionHelper || argv[0] === '__complete') {
    const { runCompletion } = await import('./complete-command.js');
    return runCompletion(io.invocation.completionHelper ? argv : argv.slice(1), io);
  }
  const { main } = await import('./main.js');
  return main(argv, io);
}

/** Settles when the command has finished (scripts/build.mjs awaits it to record the code cache). */
export const finished = start().then((code) => {
  process.exitCode = code;
});
