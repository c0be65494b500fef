// Help texts, rendered by yargs at build time so that `--help` answers without loading yargs
// (scripts/build.mjs embeds them). Only the exact help requests are answered this way, at the
// two widths yargs would use (100 when stdout is not a terminal, 110 on one that wide); any
// other width goes through yargs.
import { invocationFrom } from './invocation.js';
import { COMMANDS } from './spec.js';
import type { Io } from './io.js';
import { HELP_WIDTHS, type HelpTexts, helpKey } from './help-key.js';
import { main } from './main.js';

export async function renderHelpTexts(): Promise<HelpTexts> {
  const texts: HelpTexts = {};
  for (const plugin of ['oc-icsp', 'kubectl-icsp']) {
    const invocation = invocationFrom([plugin]);
    for (const width of HELP_WIDTHS) {
      for (const command of ['', ...Object.keys(COMMANDS)]) {
        let out = '';
        const io: Io = { out: (t) => (out += t), err: () => {}, env: {}, invocation, columns: width === 100 ? undefined : width };
        const argv = command ? [command, '--help'] : ['--help'];
        await main(argv, io);
        texts[helpKey(invocation.name, argv, io.columns)!] = out;
      }
    }
  }
  return texts;
}
