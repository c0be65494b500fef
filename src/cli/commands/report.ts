// `oc icsp report DOC.json`: a document saved with -o json, drawn as one HTML page on stdout
// (`> page.html`). -o keeps its meaning across the plugin (the output's format), so the page
// goes to stdout as every command's data does.
import { EXIT, UserError } from '../../errors.js';
import { readText } from '../../app/files.js';
import { defineCommand } from '../command.js';
import { pageOf } from '../page-output.js';
import { COMMANDS } from '../spec.js';

/**
 * yargs reads a lone `-` positional as an empty string (yargs-parser treats `-` as no flag and no
 * value), so main.ts hands it over as this hidden flag.
 */
export const STDIN_FLAG = '--document-from-stdin';

export const reportCommand = defineCommand({
  command: 'report [DOCUMENT]',
  describe: COMMANDS.report.describe,
  builder: (yargs) =>
    yargs
      .positional('DOCUMENT', { type: 'string', describe: 'a document verify or audit printed with -o json; - for stdin' })
      .option('document-from-stdin', { type: 'boolean', hidden: true, default: false }),
  handler: async (args, io) => {
    const path = args.documentFromStdin ? '-' : args.DOCUMENT;
    if (!path || (args.documentFromStdin && args.DOCUMENT !== undefined)) throw new UserError(`report needs one DOCUMENT: a file saved with -o json, or - for stdin (see \`${io.invocation.name} report --help\`)`);
    const source = path === '-' ? 'stdin' : path;
    const text = readText(path);
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
