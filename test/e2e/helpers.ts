// Runs the built binary against a sandbox, the way a user runs it: the sandbox's kubeconfig, its thin oc
// first on PATH, the machine's kubectl.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { sandboxSkipReason } from '../sandbox-support.js';
import {
  clearFault,
  clientEnv,
  createSandbox,
  destroySandbox,
  editNodeConfig,
  type Fault,
  kubeconfigText,
  ledgerEvents,
  type Leftovers,
  leftovers,
  type NodeBehaviour,
  rebootNode,
  type NodeSpec,
  type Sandbox,
  type SandboxOptions,
  setFault,
  setNodeBehaviour,
  settled,
} from '../sandbox/sandbox.js';

export type { NodeSpec, Sandbox, SandboxOptions };
export { kubeconfigText };

export const BIN = join(process.cwd(), 'dist/oc-icsp');

/** Root and the Debian packages; otherwise the suites are skipped (the reason is printed once). */
export const canRunSandbox = sandboxSkipReason() === null;

export const sandbox = {
  create: (dir: string, nodes: NodeSpec[], options: SandboxOptions = {}): Promise<Sandbox> => createSandbox(dir, nodes, options),
  destroy: (s: Sandbox): void => destroySandbox(s),
  leftovers: (dir: string): Leftovers => leftovers(dir),
  /** What is left once accepted deletions have run their course (up to 15 s). */
  settled: (dir: string): Promise<Leftovers> => settled(dir),
  ledger: (dir: string) => ledgerEvents(dir),
  /** A hand edit of a node's registries.conf: one of the sandbox's named configs (sandbox.ts nodeConfigs). */
  editConfig: (dir: string, node: string, config: string): void => editNodeConfig(dir, node, config),
  /** A fault switched on, or off, while the sandbox runs (model.ts Fault). */
  fault: (s: Sandbox, fault: Fault): void => setFault(s.dir, fault),
  clearFault: (s: Sandbox, kind: Fault['kind']): void => clearFault(s.dir, kind),
  behaviour: (dir: string, node: string, behaviour: NodeBehaviour): void => setNodeBehaviour(dir, node, behaviour),
  /** The node reboots (its journal starts a new boot). */
  reboot: (s: Sandbox, node: string): void => rebootNode(s.dir, node),
};

/** The sandbox's kubeconfig and discovery cache, its thin oc first on PATH. */
const clientEnvOf: (s: Sandbox) => NodeJS.ProcessEnv = clientEnv;

/** A scratch folder for one suite, named after it. */
export function suiteDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `${prefix}-`));
}

/** The suite's sandbox in work: made before its tests (when they can run here), then handed to
 * ready; it and work are removed after the suite, even when ready failed. */
export function useSandbox(work: string, nodes: NodeSpec[], ready: (s: Sandbox) => void, options: SandboxOptions = {}): void {
  let created: Sandbox | undefined;
  beforeAll(async () => {
    if (!canRunSandbox) return;
    created = await sandbox.create(join(work, 'sandbox'), nodes, options);
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

/** The user's shell pointed at the sandbox: its kubeconfig, the thin oc first on PATH, the machine's kubectl. */
export function envFor(s: Sandbox): NodeJS.ProcessEnv {
  return { ...clientEnvOf(s), NO_COLOR: '1' };
}

/** Requests the API server answered since the ledger had `since` lines. */
export function requests(s: Sandbox, since = 0): { method: string; path: string; query: string; user: string; credential: string; agent: string }[] {
  return sandbox.ledger(s.dir).slice(since).filter((e) => e.event === 'request') as never;
}

/** Client processes (oc, kubectl) still running with the sandbox's kubeconfig. */
export function liveClients(s: Sandbox): number[] {
  const mine = `KUBECONFIG=${s.api.kubeconfig}`;
  const found: number[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (Number(pid) !== process.pid && environ.includes(mine) && /kubectl|oc\.mjs/.test(cmd)) found.push(Number(pid));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/** Command lines of the processes the sandbox's kubelets run (every descendant of its API server). */
export function nodeProcesses(s: Sandbox): string[] {
  const parent = new Map<number, number>();
  const cmdline = new Map<number, string>();
  for (const entry of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      // The parent is the 2nd field after the command name in parentheses (proc(5), /proc/pid/stat).
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      cmdline.set(Number(entry), readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim());
    } catch {
      // gone meanwhile
    }
  }
  const under = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === s.api.pid) return true;
    return false;
  };
  return [...cmdline].filter(([pid]) => under(pid)).map(([, line]) => line);
}

export function runVerify(s: Sandbox, args: string[]) {
  const result = spawnSync(BIN, ['verify', ...args], { encoding: 'utf8', env: envFor(s) });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function startVerify(s: Sandbox, args: string[], env = envFor(s)) {
  const child = spawn(BIN, ['verify', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done, stderrSoFar: () => stderr };
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
    input: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { generateName: 'e2e-' } }),
    encoding: 'utf8',
    env: envFor(s),
  });
  const namespace = created.stdout.trim().replace('namespace/', '');
  try {
    return spawnSync(oc, ['debug', `node/${node}`, '--to-namespace', namespace, '--', 'chroot', '/host', ...command], { stdio: 'ignore', env: envFor(s) }).status;
  } finally {
    spawnSync(oc, ['delete', 'namespace', namespace, '--wait=false'], { env: envFor(s) });
  }
}

/** A VerifyImages document's outcomes, one row per node and image, sorted: for comparing two runs. */
export function nodeImageRows(stdout: string): string[] {
  const doc = JSON.parse(stdout) as {
    nodeSets: string[][];
    images: { image: string; outcomes: { verdict: string; code: string; pulledFrom: string | null; attempts: { reference: string; ok: boolean; reason: string | null }[]; nodes: number }[] }[];
  };
  return doc.images
    .flatMap(({ image, outcomes }) =>
      outcomes.flatMap((o) => doc.nodeSets[o.nodes]!.map((node) => `${node} ${image} ${o.verdict} ${o.code} ${o.pulledFrom} [${o.attempts.map((a) => `${a.reference} ${a.ok} ${a.reason}`).join(', ')}]`)),
    )
    .sort();
}
