// Which client binary to drive, and whether it has a session.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { UserError } from '../errors.js';
import type { OcRunner } from './runner.js';

export interface ClientChoice {
  binary: string;
  kind: 'oc' | 'kubectl';
}

/** `--client` wins; otherwise `oc` from PATH, then `kubectl`. */
export function findClient(requested: string | undefined, pathEnv: string | undefined): ClientChoice {
  if (requested) {
    const binary = requested.includes('/') ? requested : lookPath(requested, pathEnv);
    if (!binary || !isExecutable(binary)) {
      throw new UserError(`client ${JSON.stringify(requested)} not found or not executable: pass --client with the path of oc or kubectl`);
    }
    return { binary, kind: /kubectl[^/]*$/.test(binary) ? 'kubectl' : 'oc' };
  }
  for (const kind of ['oc', 'kubectl'] as const) {
    const binary = lookPath(kind, pathEnv);
    if (binary) return { binary, kind };
  }
  throw new UserError('neither oc nor kubectl is on PATH: install the OpenShift CLI (oc), or pass --client PATH');
}

export function lookPath(name: string, pathEnv: string | undefined): string | undefined {
  for (const dir of (pathEnv ?? '').split(delimiter)) {
    if (dir === '' || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The logged-in user, or a UserError telling how to log in. */
export async function whoAmI(oc: OcRunner): Promise<string> {
  const args = oc.kind === 'oc' ? ['whoami'] : ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'];
  const result = await oc.run(args);
  if (result.failedToStart) throw new UserError(`cannot run ${oc.binary}: ${result.failedToStart}`);
  if (result.exitCode !== 0) {
    const reason = firstErrorLine(result.stderr);
    throw new UserError(`not logged in to a cluster (${reason}): run \`oc login\` first`);
  }
  return result.stdout.trim();
}

export function firstErrorLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const line = lines.find((l) => /^error:/i.test(l)) ?? lines.at(-1) ?? 'no output';
  return line.replace(/^error:\s*/i, '');
}
