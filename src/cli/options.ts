// Options shared by every command, declared once.
import type { Argv, Options } from 'yargs';
import { parseDuration } from '../durations.js';
import { UserError } from '../errors.js';
import { type Client, clientTraits, findClient, openClient } from '../oc/client.js';
import { execaRunner, type OcRunner } from '../oc/runner.js';
import type { OutputFormat } from '../report/document.js';
import type { Io } from './io.js';
import { CLIENT_OPTIONS, OUTPUT_OPTION } from './spec.js';

export interface ClientOptions {
  client?: string;
  kubeconfig?: string;
  context?: string;
  requestTimeout?: string;
}

export interface CommonOptions extends ClientOptions {
  output: OutputFormat;
  color: boolean;
}

export function withClientOptions<T>(yargs: Argv<T>) {
  return yargs.options(CLIENT_OPTIONS).check((argv) => {
    if (argv.namespace !== undefined) {
      throw new UserError('-n/--namespace has no use here: the plugin creates a namespace of its own for each run and deletes it at the end; drop the flag');
    }
    const timeout = argv.requestTimeout as string | undefined;
    // Handed to the client as it is: read by the same grammar, less days, which Go's parser lacks.
    if (timeout !== undefined) parseDuration(timeout, '--request-timeout', { zero: true, days: false });
    return true;
  });
}

export function withOutputOption<T>(yargs: Argv<T>) {
  return yargs.options(OUTPUT_OPTION);
}

/** A command's options less the shared ones, which withClientOptions and withOutputOption declare once. */
export function ownOptions<O extends Record<string, Options>>(options: O): O {
  const shared = new Set([...Object.keys(CLIENT_OPTIONS), ...Object.keys(OUTPUT_OPTION)]);
  return Object.fromEntries(Object.entries(options).filter(([k]) => !shared.has(k))) as O;
}

/** A command that reads the cluster: the client options (checked), -o, its own, its exit codes. */
export function clusterCommandBuilder<O extends Record<string, Options>>(options: O, exitCodes: string) {
  return (yargs: Argv) => withOutputOption(withClientOptions(yargs)).options(ownOptions(options)).epilog(exitCodes);
}

/** The client, built from --client/--kubeconfig/--context: the one place a runner is made. */
export function openClientFrom(options: ClientOptions, io: Pick<Io, 'env' | 'invocation'>): Client {
  const choice = findClient(options.client, io.env.PATH, io.invocation.client);
  const globalArgs = [
    ...(options.kubeconfig ? [`--kubeconfig=${options.kubeconfig}`] : []),
    ...(options.context ? [`--context=${options.context}`] : []),
    ...(options.requestTimeout ? [`--request-timeout=${options.requestTimeout}`] : []),
  ];
  return openClient(choice.kind, execaRunner({ binary: choice.binary, loginAdvice: clientTraits(choice.kind).loginAdvice, globalArgs }));
}

/** Just the runner, for commands that only read the cluster. */
export function clientRunner(options: ClientOptions, io: Pick<Io, 'env' | 'invocation'>): OcRunner {
  return openClientFrom(options, io).runner;
}

const NODE_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** --nodes: comma-separated node names, each a valid name (so nothing odd reaches a client call). */
export function nodeNamesOption(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const names = text.split(',').map((n) => n.trim()).filter(Boolean);
  if (names.length === 0) throw new UserError('--nodes needs at least one node name');
  for (const name of names) {
    if (!NODE_NAME.test(name)) throw new UserError(`--nodes: ${JSON.stringify(name)} is not a valid node name`);
  }
  return names;
}

/** A count flag (--parallel, --max-images): a whole number of at least 1. */
export function countOption(value: number, flag: string): number {
  if (!Number.isInteger(value) || value < 1) throw new UserError(`${flag} must be a whole number of at least 1, not ${value}`);
  return value;
}
