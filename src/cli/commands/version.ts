// `oc icsp version`: the plugin's version, the Node.js runtime it runs on (the single binary
// embeds one), and the platform.
import type { CommandModule } from 'yargs';
import { EXIT } from '../../errors.js';
import type { Io } from '../io.js';
import { withOutputOption } from '../options.js';
import { COMMANDS } from '../spec.js';

/** Set by the build (scripts/build.mjs) from package.json; unbundled, the sources say so. */
declare const __OC_ICSP_VERSION__: string | undefined;
export const VERSION = typeof __OC_ICSP_VERSION__ === 'string' ? __OC_ICSP_VERSION__ : 'unbundled';

export const versionCommand = (io: Io, setExit: (code: number) => void): CommandModule<object, { output: 'table' | 'wide' | 'json' | 'yaml' }> => ({
  command: 'version',
  describe: COMMANDS.version.describe,
  builder: (yargs) => withOutputOption(yargs) as never,
  handler: async (args) => {
    const { renderVersion } = await import('../../report/version-report.js');
    io.out(await renderVersion({ version: VERSION, node: process.version, platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}` }, args.output));
    setExit(EXIT.ok);
  },
});
