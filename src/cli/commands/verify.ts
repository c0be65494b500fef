// `oc icsp verify`: argv → a checked request (pure, table-tested), then one action that does it.
import type { Argv } from 'yargs';
import { colorOf, defineCommand } from '../command.js';
import { EXIT, exitCodesHelp, UserError } from '../../errors.js';
import { exitFor } from '../exit-code.js';
import type { VerifyRequest } from '../../app/verify.js';
import { parseDuration } from '../../durations.js';
import { systemClock } from '../../clock.js';
import { parseReference } from '../../registries/reference.js';
import { readImageList } from '../../app/image-lists.js';
import { readText } from '../../app/files.js';
import { refusedCombination, SCALE_THRESHOLD } from '../../pull-log/engines.js';
import { isDocumentFormat, isTableFormat, type OutputFormat } from '../../report/document.js';
import type { Io } from '../io.js';
import { COMMANDS, COMPARE_OPTION, PROPOSAL_OPTIONS, REPORT_OPTION, VERIFY_OPTIONS } from '../spec.js';
import { type ObjectRef, parseWithout } from '../../app/object-ref.js';
import { type ClientOptions, type CommonOptions, countOption, nodeNamesOption, openClientFrom, withClientOptions, withOutputOption } from '../options.js';
import { preferSmallHeap } from '../heap.js';
import { reportPath, runFactsReader, savePage } from '../page-output.js';


/** Everything `verify` was asked, checked: nothing in it can surprise a node. */
export interface VerifyInvocation {
  request: VerifyRequest;
  /** The node pods' image (--image). */
  podImage: string | undefined;
  strategy: VerifyArgs['strategy'];
  /** undefined: group above the threshold. */
  group: boolean | undefined;
  client: ClientOptions;
  output: OutputFormat;
  color: boolean;
  logDir: string | undefined;
  dryRun: boolean;
  /** --proposed files, read when the run starts (before any pod), and --without, parsed. */
  proposed: string[];
  without: ObjectRef[];
  /** --report: the page's file, checked. */
  report: string | undefined;
}

export type VerifyAction = (invocation: VerifyInvocation, io: Io) => Promise<number>;

export function verifyInvocation(args: VerifyArgs, readFile: (path: string) => string = readText): VerifyInvocation {
  const typed = args.IMAGE ?? [];
  for (const image of typed) parseReference(image);
  // The file's images after the typed ones, each once.
  const listText = args.imagesFrom === undefined ? null : readFile(args.imagesFrom);
  if (listText !== null && /^kind:\s*(ImageContentSourcePolicy|ImageDigestMirrorSet|ImageTagMirrorSet|ClusterImagePolicy)\s*$/m.test(listText)) {
    throw new UserError(`--images-from ${args.imagesFrom}: a mirror policy manifest, not a list of images: to check a change before applying it, pass it with --proposed`);
  }
  const listed = listText === null ? [] : readImageList(listText, args.imagesFrom === '-' ? 'stdin' : args.imagesFrom!).map((l) => l.image);
  const images = [...new Set([...typed, ...listed])];
  if (args.running && (images.length > 0 || args.release !== undefined)) throw new UserError('--running checks the images running pods use: give it no IMAGE, --images-from or --release');
  if (args.release) {
    try {
      parseReference(args.release);
    } catch (error) {
      throw new UserError(`--release: ${(error as Error).message}`, { cause: error });
    }
  }
  countOption(args.maxImages, '--max-images');
  countOption(args.parallel, '--parallel');
  const timeoutMs = parseDuration(args.timeout, '--timeout');
  const refused = refusedCombination(args.engine, args.check);
  if (refused) throw new UserError(refused);
  if (args.image !== undefined) {
    try {
      parseReference(args.image);
    } catch (error) {
      throw new UserError(`--image: ${(error as Error).message}`, { cause: error });
    }
  }
  const nodeNames = nodeNamesOption(args.nodes);
  const without = args.without.map(parseWithout);
  if (args.compare && !args.proposed.length && !without.length) throw new UserError('--compare compares today with a proposed change: give --proposed FILE or --without TYPE/NAME');
  if ((args.proposed.length || without.length) && args.engine !== 'podman') {
    throw new UserError(`--engine ${args.engine} with a proposed change: CRI-O pulls with the configuration it has loaded, not the proposal's; check a proposal with --engine podman`);
  }
  if (args.report !== undefined && args.dryRun) throw new UserError('--report draws the verdicts of a run, and --dry-run runs nothing: drop one of them');
  return {
    report: reportPath(args.report, 'verify'),
    proposed: args.proposed,
    without,
    request: { images, running: args.running, exhaustive: args.exhaustive, ...(args.compare ? { compare: true } : {}), ...(args.release === undefined ? {} : { release: args.release }), check: args.check, engine: args.engine, maxImages: args.maxImages, selector: args.selector, nodeNames, parallel: args.parallel, timeoutMs, keepImage: args.keepImage },
    podImage: args.image,
    strategy: args.strategy,
    group: args.group,
    client: { client: args.client, kubeconfig: args.kubeconfig, context: args.context, requestTimeout: args.requestTimeout },
    output: args.output,
    color: args.color,
    logDir: args.logDir,
    dryRun: args.dryRun,
  };
}

const builder = (yargs: Argv) =>
  withOutputOption(withClientOptions(yargs))
    .positional('IMAGE', { type: 'string', array: true, describe: 'image references, e.g. quay.io/org/app@sha256:…; none (and no --images-from): images running pods use' })
    .options(VERIFY_OPTIONS)
    .options(REPORT_OPTION)
    .options(PROPOSAL_OPTIONS)
    .options(COMPARE_OPTION)
    .epilog(`Verdicts: mirrored, mirror-failed, not-mirrored, error, skipped (node not Ready).\n${exitCodesHelp('every selected node is mirrored', 'findings', true)}`);

/** The parsed arguments; --color is the root's. */
export interface VerifyArgs extends CommonOptions {
  IMAGE?: string[];
  imagesFrom?: string;
  running: boolean;
  exhaustive: boolean;
  release?: string;
  proposed: string[];
  without: string[];
  compare: boolean;
  strategy: 'auto' | 'debug' | 'daemonset';
  check: 'auto' | 'pull' | 'manifest';
  engine: 'podman' | 'crictl' | 'both';
  group?: boolean;
  maxImages: number;
  image?: string;
  selector?: string;
  nodes?: string;
  parallel: number;
  timeout: string;
  keepImage: boolean;
  logDir?: string;
  dryRun: boolean;
  report?: string;
}

/** verify, doing `action` with what argv asked (tests give an action that runs nothing). */
export const verifyCommand = (action: VerifyAction = runVerify) =>
  defineCommand({
    command: 'verify [IMAGE..]',
    describe: COMMANDS.verify.describe,
    builder,
    handler: (args, io) => action(verifyInvocation({ ...args, color: colorOf(args) }), io),
  });

/** The doing: client, log directory, signals, spinner, report. */
export async function runVerify(invocation: VerifyInvocation, io: Io): Promise<number> {
  const { output } = invocation;
  const request = await withChange(invocation);
  const client = openClientFrom(invocation.client, io);
  const nodeRunner = client.nodeRunner({ image: invocation.podImage, strategy: invocation.strategy, threshold: SCALE_THRESHOLD });
  if (invocation.dryRun) {
    const [{ planVerify }, { renderPlan }] = await Promise.all([import('../../app/verify.js'), import('../../report/plan-report.js')]);
    const plan = await planVerify(request, { client, nodeRunner, invokedAs: io.invocation.name });
    io.out(await renderPlan(plan, output));
    return EXIT.ok;
  }
  const [{ verify, verifyOutcome }, { logDirSink }, report, { decideTerminal }, { watchInterrupts }, { progressWords }] = await Promise.all([
    import('../../app/verify.js'),
    import('../../app/log-dir.js'),
    import('../../report/verify-report.js'),
    import('../terminal.js'),
    import('../interrupts.js'),
    import('../../report/progress-words.js'),
  ]);
  await preferSmallHeap();
  // Checked before any node is touched.
  const logSink = invocation.logDir ? logDirSink(invocation.logDir) : undefined;
  const terminal = decideTerminal({ noColor: !invocation.color, output }, io.env);
  const interrupts = watchInterrupts(io, nodeRunner, client.name);
  const spinner = terminal.spinner ? (await import('ora')).default({ stream: process.stderr, text: 'reading the cluster' }).start() : null;
  const table = isTableFormat(output);
  const runFacts = isDocumentFormat(output) || invocation.report ? runFactsReader(client.runner, client.name, systemClock) : null;
  try {
    const result = await verify(request, {
      client,
      invokedAs: io.invocation.name,
      nodeRunner,
      signal: interrupts.signal,
      logSink,
      onProgress: (progress) => {
        if (spinner) spinner.text = progressWords(progress, systemClock.now());
      },
      clock: systemClock,
      onStatus: (text) => {
        if (spinner) spinner.text = text;
      },
    });
    spinner?.stop();
    if (table) io.err(`${report.policyHeader(result).join('\n')}\n`);
    for (const warning of report.warningLines(result)) io.err(`warning: ${warning}\n`);
    if (result.interrupted) {
      io.err(`interrupted${result.namespaceDeleted ? `: namespace ${result.namespace} removed` : ''}\n`);
      return EXIT.interrupted;
    }
    const group = invocation.group ?? result.nodes.length > SCALE_THRESHOLD;
    const run = await runFacts?.();
    io.out(await report.renderVerify(result, output, terminal.paint, io.columns, group, run));
    if (table) io.err(`${report.summaryLine(result)}\n`);
    if (invocation.report) await savePage(invocation.report, report.verifyDocumentObject(result, run), io, table);
    if (invocation.logDir) io.err(`each node's raw output is in ${invocation.logDir}/NODE.log\n`);
    return exitFor(verifyOutcome(result));
  } finally {
    spinner?.stop();
    interrupts.dispose();
  }
}

/** The request with its proposed change read (bad manifests end the run here, before any pod). */
async function withChange(invocation: VerifyInvocation): Promise<VerifyRequest> {
  if (invocation.proposed.length === 0 && invocation.without.length === 0) return invocation.request;
  const { readManifestFiles } = await import('../../app/manifests.js');
  const proposed = invocation.proposed.length ? await readManifestFiles(invocation.proposed) : { rules: [], registrySources: null, imagePolicies: [], credentialProvider: null, objects: [] };
  return { ...invocation.request, change: { proposed, without: invocation.without } };
}
