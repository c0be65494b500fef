import type { Argv, CommandModule } from 'yargs';
import { EXIT, UserError } from '../../errors.js';
import { parseReference } from '../../registries/reference.js';
import { parseDuration } from '../durations.js';
import type { Io } from '../io.js';
import { clientRunner, type CommonOptions, withClientOptions, withOutputOption } from '../options.js';
import { decideTerminal } from '../terminal.js';

interface VerifyArgs extends CommonOptions {
  IMAGE: string;
  image?: string;
  selector?: string;
  nodes?: string;
  parallel: number;
  timeout: string;
  keepImage: boolean;
  logDir?: string;
}

export const verifyCommand = (io: Io, setExit: (code: number) => void): CommandModule<object, VerifyArgs> => ({
  command: 'verify <IMAGE>',
  describe: 'Pull IMAGE on every node through a debug pod and report which source served it',
  builder: (yargs: Argv) =>
    withOutputOption(withClientOptions(yargs))
      .positional('IMAGE', { type: 'string', demandOption: true, describe: 'image reference, e.g. quay.io/org/app@sha256:…' })
      .option('selector', { alias: 'l', type: 'string', describe: 'only nodes matching this label selector' })
      .option('nodes', { type: 'string', describe: 'only these nodes (comma-separated names)' })
      .option('parallel', { type: 'number', default: 10, describe: 'debug pods at once' })
      .option('timeout', { type: 'string', default: '5m', describe: 'per-node limit: 90s, 5m, or plain seconds' })
      .option('image', { type: 'string', describe: 'debug pod image (oc debug --image); set it where the default support-tools image is not mirrored' })
      .option('keep-image', { type: 'boolean', default: false, describe: 'keep the pulled image on nodes that did not have it' })
      .option('log-dir', { type: 'string', describe: "save each node's raw log as DIR/<node>.log (mode 0600)" })
      .epilog(
        'Verdicts: mirrored, mirror-failed, not-mirrored, error, skipped (node not Ready).\n' +
          'Exit codes: 0 every selected node is mirrored; 1 findings; 2 usage, input or environment error; 130 interrupted.',
      ) as unknown as Argv<VerifyArgs>,
  handler: async (args: VerifyArgs) => {
    setExit(await runVerify(args, io));
  },
});

async function runVerify(args: VerifyArgs, io: Io): Promise<number> {
  // Everything the user typed is checked before any process starts.
  parseReference(args.IMAGE);
  if (!Number.isInteger(args.parallel) || args.parallel < 1) throw new UserError(`--parallel must be a whole number of at least 1, not ${args.parallel}`);
  const timeoutMs = parseDuration(args.timeout, '--timeout');
  const timeoutText = /^\d+(\.\d+)?$/.test(args.timeout.trim()) ? `${args.timeout.trim()}s` : args.timeout;
  if (args.image !== undefined) {
    try {
      parseReference(args.image);
    } catch (error) {
      throw new UserError(`--image: ${(error as Error).message}`);
    }
  }
  const nodeNames = args.nodes === undefined ? undefined : args.nodes.split(',').map((n) => n.trim()).filter(Boolean);
  if (nodeNames && nodeNames.length === 0) throw new UserError('--nodes needs at least one node name');
  for (const name of nodeNames ?? []) {
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) throw new UserError(`--nodes: ${JSON.stringify(name)} is not a valid node name`);
  }
  const terminal = decideTerminal({ noColor: !args.color, output: args.output }, io.env);
  const oc = clientRunner(args, io.env);

  const [{ verify }, { logDirSink }, report] = await Promise.all([
    import('../../app/verify.js'),
    import('../../app/log-dir.js'),
    import('../../report/verify-report.js'),
  ]);
  const controller = new AbortController();
  const onSignal = () => {
    if (!controller.signal.aborted) io.err('\ninterrupted: stopping debug pods and removing the namespace ...\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const spinner = terminal.spinner ? (await import('ora')).default({ stream: process.stderr, text: 'reading the cluster' }).start() : null;
  try {
    const result = await verify(
      {
        image: args.IMAGE,
        selector: args.selector,
        nodeNames,
        parallel: args.parallel,
        timeoutMs,
        timeoutText,
        debugImage: args.image,
        keepImage: args.keepImage,
      },
      {
        oc,
        signal: controller.signal,
        logSink: args.logDir ? logDirSink(args.logDir) : undefined,
        onNodeDone: (done, total) => {
          if (spinner) spinner.text = `${done}/${total} nodes checked`;
        },
        onStatus: (text) => {
          if (spinner) spinner.text = text;
        },
      },
    );
    spinner?.stop();
    if (args.output === 'table' || args.output === 'wide') io.err(`${report.policyHeader(result).join('\n')}\n`);
    for (const warning of result.warnings) io.err(`warning: ${warning}\n`);
    if (result.interrupted) {
      io.err(`interrupted${result.namespaceDeleted ? `: namespace ${result.namespace} removed` : ''}\n`);
      return EXIT.interrupted;
    }
    io.out(await report.renderVerify(result, args.output, terminal.paint));
    if (args.output === 'table' || args.output === 'wide') io.err(`${report.summaryLine(result)}\n`);
    return result.nodes.length > 0 && result.nodes.every((n) => n.verdict === 'mirrored') ? EXIT.ok : EXIT.findings;
  } finally {
    spinner?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
