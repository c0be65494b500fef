// `oc icsp version`: the plugin's version, the Node.js runtime it runs on (the single binary
// embeds one), and the platform.
import { EXIT } from '../../errors.js';
import { defineCommand } from '../command.js';
import { withOutputOption } from '../options.js';
import { COMMANDS } from '../spec.js';

/** Set by the build (scripts/build.mjs) from package.json; unbundled, the sources say so. */
declare const __OC_ICSP_VERSION__: string | undefined;
export const VERSION = typeof __OC_ICSP_VERSION__ === 'string' ? __OC_ICSP_VERSION__ : 'unbundled';

export const versionCommand = defineCommand({
  command: 'version',
  describe: COMMANDS.version.describe,
  builder: (yargs) => withOutputOption(yargs),
  handler: async (args, io) => {
    const { renderVersion } = await import('../../report/version-report.js');
    io.out(await renderVersion({ version: VERSION, node: process.version, platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}` }, args.output));
    return EXIT.ok;
  },
});
