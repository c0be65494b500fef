// Options shared by every command, declared once.
import type { Argv } from 'yargs';
import { type Client, findClient, loginAdvice, openClient } from '../oc/client.js';
import { execaRunner, type OcRunner } from '../oc/runner.js';
import type { OutputFormat } from '../report/document.js';

export interface ClientOptions {
  client?: string;
  kubeconfig?: string;
  context?: string;
}

export interface CommonOptions extends ClientOptions {
  output: OutputFormat;
  color: boolean;
}

export const OUTPUT_FORMATS = ['table', 'wide', 'json', 'yaml'] as const;

export function withClientOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('client', { type: 'string', describe: 'oc or kubectl binary, by name or path (default: oc from PATH, else kubectl)' })
    .option('kubeconfig', { type: 'string', describe: 'passed to every client call' })
    .option('context', { type: 'string', describe: 'passed to every client call' });
}

export function withOutputOption<T>(yargs: Argv<T>, formats: readonly OutputFormat[] = OUTPUT_FORMATS) {
  return yargs.option('output', {
    alias: 'o',
    choices: formats,
    default: 'table' as OutputFormat,
    describe: 'output format',
  });
}

/** The client, built from --client/--kubeconfig/--context: the one place a runner is made. */
export function openClientFrom(options: ClientOptions, env: NodeJS.ProcessEnv = process.env): Client {
  const choice = findClient(options.client, env.PATH);
  const globalArgs = [
    ...(options.kubeconfig ? [`--kubeconfig=${options.kubeconfig}`] : []),
    ...(options.context ? [`--context=${options.context}`] : []),
  ];
  return openClient(choice.kind, execaRunner({ binary: choice.binary, loginAdvice: loginAdvice(choice.kind), globalArgs }));
}

/** Just the runner, for commands that only read the cluster. */
export function clientRunner(options: ClientOptions, env: NodeJS.ProcessEnv = process.env): OcRunner {
  return openClientFrom(options, env).runner;
}
