// `oc icsp report DOC.json`: a document saved with -o json, drawn as one HTML page on stdout
// (`> page.html`). -o keeps its meaning across the plugin (the output's format), so the page
// goes to stdout as every command's data does.
import { EXIT, UserError } from '../../errors.js';
import { readText } from '../../app/files.js';
import { defineCommand } from '../command.js';
import { pageOf } from '../page-output.js';
import { COMMANDS } from '../spec.js';

export const reportCommand = defineCommand({
  command: 'report <DOCUMENT>',
  describe: COMMANDS.report.describe,
  builder: (yargs) => yargs.positional('DOCUMENT', { type: 'string', demandOption: true, describe: 'a document verify or audit printed with -o json; - for stdin' }),
  handler: async (args, io) => {
    const source = args.DOCUMENT === '-' ? 'stdin' : args.DOCUMENT;
    const text = readText(args.DOCUMENT);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new UserError(`${source}: not JSON (${(error as Error).message}): give a document saved with -o json`, { cause: error });
    }
    io.out(await pageOf(parsed as object, source));
    return EXIT.ok;
  },
});
