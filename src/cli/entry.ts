// Start-up is part of the product: a plugin starts on every invocation and every TAB. So the
// completion helper and the help texts answer without loading yargs, and everything else is
// loaded only when asked for.
import type { HelpTexts } from './help-key.js';
import { processInvocation } from './invocation.js';
import { processIo } from './io.js';

// Set by scripts/build.mjs; absent when running from source.
declare const __HELP_TEXTS__: HelpTexts | undefined;

async function start(): Promise<number> {
  const io = processIo(processInvocation());
  const argv = process.argv.slice(2);
  if (io.invocation.completionHelper || argv[0] === '__complete') {
    const { runCompletion } = await import('./complete-command.js');
    return runCompletion(io.invocation.completionHelper ? argv : argv.slice(1), io);
  }
  const texts = typeof __HELP_TEXTS__ === 'undefined' ? undefined : __HELP_TEXTS__;
  if (texts && (argv[0] === '--help' || argv[0] === '-h' || argv[1] === '--help' || argv[1] === '-h')) {
    const { answerHelp } = await import('./help-key.js');
    if (answerHelp(texts, argv, io)) return 0;
  }
  const { main } = await import('./main.js');
  return main(argv, io);
}

/** Settles when the command has finished (scripts/build.mjs awaits it to record the code cache). */
export const finished = start().then((code) => {
  process.exitCode = code;
});
