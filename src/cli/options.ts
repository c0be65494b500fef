// Options shared by every command, declared once.
import type { Argv } from 'yargs';
import { findClient } from '../oc/client.js';
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

/** The injected client runner, built from --client/--kubeconfig/--context. */
export function clientRunner(options: ClientOptions, env: NodeJS.ProcessEnv = process.env): OcRunner {
  const choice = findClient(options.client, env.PATH);
  const globalArgs = [
    ...(options.kubeconfig ? [`--kubeconfig=${options.kubeconfig}`] : []),
    ...(options.context ? [`--context=${options.context}`] : []),
  ];
  return execaRunner({ ...choice, globalArgs });
}
