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
      .positional('DOCUMENT', { type: 'string', describe: 'a document verify or audit printed with -o json (or -o yaml); - for stdin' })
      .option('document-from-stdin', { type: 'boolean', hidden: true, default: false }),
  handler: async (args, io) => {
    const path = args.documentFromStdin ? '-' : args.DOCUMENT;
    if (!path || (args.documentFromStdin && args.DOCUMENT !== undefined)) throw new UserError(`report needs one DOCUMENT: a file saved with -o json or -o yaml, or - for stdin (see \`${io.invocation.name} report --help\`)`);
    const source = path === '-' ? 'stdin' : path;
    const text = readText(path);
    io.out(await pageOf((await parseDocument(text, source)) as object, source));
    return EXIT.ok;
  },
});

/** JSON (-o json), or YAML (-o yaml: the yaml library, loaded only for it). */
async function parseDocument(text: string, source: string): Promise<unknown> {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (/^\s*[{[]/.test(text)) throw new UserError(`${source}: not JSON (${(error as Error).message}): give a document saved with -o json or -o yaml`, { cause: error });
  }
  const { parse } = await import('yaml');
  try {
    return parse(text);
  } catch (error) {
    throw new UserError(`${source}: neither JSON nor YAML (${(error as Error).message.split('\n')[0]}): give a document saved with -o json or -o yaml`, { cause: error });
  }
}
