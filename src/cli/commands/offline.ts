// explain, render, list, migrate: decided from files or the cluster's policies, no node involved.
import type { Argv } from 'yargs';
import { defineCommand } from '../command.js';
import { EXIT, exitCodesHelp, UserError } from '../../errors.js';
import { exitFor } from '../exit-code.js';
import { parseReference } from '../../registries/reference.js';
import { isTableFormat } from '../../report/document.js';
import { COMMANDS, EXPLAIN_OPTIONS, FILES_OPTION, PROPOSAL_OPTIONS, RENDER_OPTIONS } from '../spec.js';
import { clientRunner, withClientOptions, withOutputOption } from '../options.js';

const withFiles = <T>(yargs: Argv<T>) => yargs.options(FILES_OPTION);

export const explainCommand = defineCommand({
  command: 'explain <IMAGE>',
  describe: COMMANDS.explain.describe,
  builder: (y) =>
    withOutputOption(withClientOptions(withFiles(y)))
      .positional('IMAGE', { type: 'string', demandOption: true })
      .options(EXPLAIN_OPTIONS)
      .options(PROPOSAL_OPTIONS)
      .epilog(exitCodesHelp('explained', 'the pull cannot work (podman fails before any source, or every source is blocked)')),
  handler: async (args, io) => {
    parseReference(args.IMAGE);
    const [{ explain, explainOutcome }, { renderExplain }] = await Promise.all([import('../../app/explain.js'), import('../../report/explain-report.js')]);
    const result = await explain(
      {
        image: args.IMAGE,
        files: args.filename,
        registriesConf: args.registriesConf,
        registriesConfD: args.registriesConfD,
        policyJson: args.policyJson,
        registriesD: args.registriesD,
        change: { proposed: args.proposed, without: args.without },
      },
      () => clientRunner(args, io),
    );
    io.out(await renderExplain(result, args.output, io.columns));
    return exitFor(explainOutcome(result));
  },
});

export const renderCommand = defineCommand({
  command: 'render',
  describe: COMMANDS.render.describe,
  builder: (y) => withClientOptions(withFiles(y)).options(RENDER_OPTIONS).options(PROPOSAL_OPTIONS),
  handler: async (args, io) => {
    const { loadPolicies, renderFile, renderAsides } = await import('../../app/policies.js');
    const now = await loadPolicies(args.filename, () => clientRunner(args, io));
    const { proposedChange } = await import('../../app/proposal.js');
    const changed = await proposedChange(now, args.proposed, args.without);
    const set = changed?.set ?? now;
    io.out(renderFile(set, args.file));
    if (changed) {
      const { proposalRollout } = await import('../../app/proposal.js');
      const { proposalWords, rolloutWords } = await import('../../report/proposal-words.js');
      io.err(`note: ${proposalWords(changed.proposal)}\n`);
      io.err(`rollout: ${rolloutWords(proposalRollout(now, set))}\n`);
    }
    if (args.file === 'registries.conf') for (const aside of renderAsides(set)) io.err(`note: ${aside}\n`);
    else if (args.file === 'sigstore-registries.yaml' && set.imagePolicies.length === 0) io.err('note: no ClusterImagePolicy or ImagePolicy: the MCO writes no sigstore-registries.yaml\n');
    return EXIT.ok;
  },
});

export const listCommand = defineCommand({
  command: 'list',
  describe: COMMANDS.list.describe,
  builder: (y) => withOutputOption(withClientOptions(withFiles(y))).options(PROPOSAL_OPTIONS),
  handler: async (args, io) => {
    const [{ loadPolicies, listRows, signaturePolicyRows }, { renderList }, { proposedChange }] = await Promise.all([
      import('../../app/policies.js'),
      import('../../report/list-report.js'),
      import('../../app/proposal.js'),
    ]);
    const now = await loadPolicies(args.filename, () => clientRunner(args, io));
    const changed = await proposedChange(now, args.proposed, args.without);
    if (changed) io.err(`note: ${(await import('../../report/proposal-words.js')).proposalWords(changed.proposal)}\n`);
    const set = changed?.set ?? now;
    const [rows, signatures] = [listRows(set), signaturePolicyRows(set)];
    if (rows.length === 0 && signatures.length === 0 && !set.credentialProvider && isTableFormat(args.output)) io.err('no mirror policies found\n');
    else io.out(await renderList(rows, args.output, io.columns, signatures, set.credentialProvider));
    return EXIT.ok;
  },
});

export const migrateCommand = defineCommand({
  command: 'migrate',
  describe: COMMANDS.migrate.describe,
  builder: (y) => y.options(COMMANDS.migrate.options),
  handler: async (args, io) => {
    if (args.filename.length === 0) throw new UserError('migrate needs -f FILE with ImageContentSourcePolicy objects');
    const { migrateToIdms } = await import('../../app/policies.js');
    const { readManifestFiles } = await import('../../app/manifests.js');
    const { yaml, untouched } = await migrateToIdms(await readManifestFiles(args.filename));
    io.out(yaml);
    if (untouched.length) io.err(`note: left out, as they need no migrating: ${untouched.join(', ')}\n`);
    return EXIT.ok;
  },
});

export const completionCommand = defineCommand({
  command: 'completion <SHELL>',
  describe: COMMANDS.completion.describe,
  builder: (y) => y.positional('SHELL', { choices: ['bash', 'zsh'] as const, demandOption: true }),
  handler: async (args, io) => {
    const { completionScript } = await import('../completion-scripts.js');
    io.out(completionScript(args.SHELL));
    return EXIT.ok;
  },
});
