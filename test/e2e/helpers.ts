// Runs the built binary against a sandbox, the way a user runs it: the test oc first on PATH.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { sandboxSkipReason } from '../sandbox-support.js';
// @ts-expect-error plain JavaScript module shared with npm run sandbox
import { createSandbox, destroySandbox, leftovers, ledgerEvents, recordEvent } from '../sandbox/sandbox.mjs';

export const BIN = join(process.cwd(), 'dist/oc-icsp');

/** Root and the Debian packages; otherwise the suites are skipped (the reason is printed once). */
export const canRunSandbox = sandboxSkipReason() === null;

export interface Sandbox {
  dir: string;
  image: string;
  tagImage: string;
  digest: string;
  fallbackImage: string;
  registries: Record<'open' | 'auth' | 'tls' | 'quay', { host: string; port: number }>;
  proxy: { host: string; port: number };
}

export interface NodeSpec {
  name: string;
  config?: string;
  behaviour?: 'normal' | 'not-ready' | 'pod-fails' | 'hang' | 'slow-stop';
  credentials?: boolean;
  role?: string;
  rollout?: boolean;
  proxy?: 'working' | 'dead';
  /** Images pulled through the node's CRI-O when the sandbox starts (its journal keeps them). */
  workloads?: ('mirrored' | 'fallback' | 'tag' | 'failed')[];
}

export const sandbox = {
  create: (dir: string, nodes: NodeSpec[]): Promise<Sandbox> => createSandbox(dir, nodes),
  destroy: (s: Sandbox): void => destroySandbox(s),
  leftovers: (dir: string): { pods: string[]; namespaces: string[]; daemonsets: string[] } => leftovers(dir),
  ledger: (dir: string): Record<string, unknown>[] => ledgerEvents(dir),
  /** An object event, as if the test client had made it (a namespace an earlier run left). */
  record: (dir: string, event: Record<string, unknown>): void => recordEvent(dir, event),
};

/** A scratch folder for one suite, named after it. */
export function suiteDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `${prefix}-`));
}

/** The suite's sandbox in work: made before its tests (when they can run here), then handed to
 * ready; it and work are removed after the suite, even when ready failed. */
export function useSandbox(work: string, nodes: NodeSpec[], ready: (s: Sandbox) => void): void {
  let created: Sandbox | undefined;
  beforeAll(async () => {
    if (!canRunSandbox) return;
    created = await sandbox.create(join(work, 'sandbox'), nodes);
    ready(created);
  });
  afterAll(() => {
    if (created) sandbox.destroy(created);
    rmSync(work, { recursive: true, force: true });
  });
}

/** Requests the sandbox's cluster proxy saw: method and host:port. */
export function proxyLedger(s: Sandbox): { method: string; host: string }[] {
  const file = join(s.dir, 'proxy-ledger.jsonl');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
}

export function envFor(s: Sandbox): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${join(s.dir, 'bin')}:${process.env.PATH}`, NO_COLOR: '1' };
}

export function runVerify(s: Sandbox, args: string[]) {
  const result = spawnSync(BIN, ['verify', ...args], { encoding: 'utf8', env: envFor(s) });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function startVerify(s: Sandbox, args: string[]) {
  const child = spawn(BIN, ['verify', ...args], { env: envFor(s), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}

export async function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Highest number of debug pods alive at once, from the ledger events given. */
export function maxConcurrentPods(events: Record<string, unknown>[]): number {
  let alive = 0;
  let max = 0;
  for (const e of events) {
    if (e.event === 'pod-created') max = Math.max(max, ++alive);
    if (e.event === 'pod-deleted') alive--;
  }
  return max;
}

/** Runs a command on a node through the sandbox's oc, in a namespace made for it. */
export function onNode(s: Sandbox, node: string, command: string[]): number | null {
  const oc = join(s.dir, 'bin', 'oc');
  const created = spawnSync(oc, ['create', '-f', '-', '-o', 'name'], {
    input: JSON.stringify({ kind: 'Namespace', metadata: { generateName: 'e2e-' } }),
    encoding: 'utf8',
  });
  const namespace = created.stdout.trim().replace('namespace/', '');
  try {
    return spawnSync(oc, ['debug', `node/${node}`, '--to-namespace', namespace, '--', 'chroot', '/host', ...command], { stdio: 'ignore' }).status;
  } finally {
    spawnSync(oc, ['delete', 'namespace', namespace]);
  }
}
