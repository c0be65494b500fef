// The sandbox's CRI-O, on each node: `crictl` pulls through the real podman (containers/image)
// with the configuration CRI-O last loaded (a copy taken when the node started, refreshed only
// by a reload), and writes what it did into the node's journal the way CRI-O does at info level
// (Pulling image / Trying to access / Pulled image, CRI-O's logrus text behind journalctl's
// short-precise prefix); `journalctl` reads that journal back. Both run inside the node's mount
// namespace (node-side: `crictl ...`, `journalctl ...`), and the sandbox calls the helpers below.
import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KUBE_MINOR_OF_OPENSHIFT } from './api/resources.js';

const CRIO_PID = 1484;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** One journal line: journalctl's short-precise prefix, then CRI-O's logrus text. */
export function journalLine(node: string, level: string, msg: string, fields: Record<string, string> = {}, when = new Date()): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const micros = pad(when.getUTCMilliseconds() * 1000, 6);
  const prefix = `${MONTHS[when.getUTCMonth()]} ${pad(when.getUTCDate())} ${pad(when.getUTCHours())}:${pad(when.getUTCMinutes())}:${pad(when.getUTCSeconds())}.${micros}`;
  const time = `${when.toISOString().slice(0, 10)} ${prefix.slice(7)}000Z`;
  const quoted = JSON.stringify(msg);
  const extra = Object.entries(fields).map(([k, v]) => ` ${k}=${v}`).join('');
  return `${prefix} ${node} crio[${CRIO_PID}]: time="${time}" level=${level} msg=${quoted}${extra}\n`;
}

export function crioStarted(nodeDir: string, node: string, when: Date): void {
  // The file CRI-O loaded was written before it started.
  const before = new Date(when.getTime() - 60_000);
  utimesSync(join(nodeDir, 'registries.conf'), before, before);
  copyFileSync(join(nodeDir, 'registries.conf'), join(nodeDir, 'crio-loaded.conf'));
  appendFileSync(join(nodeDir, 'journal.log'), journalLine(node, 'info', startLine(nodeDir), {}, when));
}

/**
 * The CRI-O each release runs: its minor is the Kubernetes minor (cri-o README, compatibility
 * matrix). The z-streams are the sandbox's own pick (which one each OpenShift release ships is
 * not pinned anywhere public), chosen where the behaviours below hold.
 */
const CRIO_PATCH: Record<number, string> = { 25: '1.25.4', 26: '1.26.5', 27: '1.27.4', 28: '1.28.4', 29: '1.29.5', 30: '1.30.14', 31: '1.31.6', 32: '1.32.8', 33: '1.33.5', 34: '1.34.3', 35: '1.35.2', 36: '1.36.0' };

export interface CrioProfile {
  version: string;
  /** 1.25 to 1.30 open the source twice for a new image (PrepareImage, then the copy; cri-o#5039, gone in 1.31). */
  opensTwice: boolean;
  /**
   * The OCI-artifact fallback (internal/storage/image.go at each tag): 1.33.0-1.33.3 probe for an
   * artifact first; 1.33.4-1.35.0 try one after any failed image pull; from 1.35.1 after one that
   * did not fail on the network, saying so at info.
   */
  artifact: 'probe-first' | 'after-failure' | 'after-failure-logged' | null;
  /** 1.32 and later wrap a refused signature as SignatureValidationFailed. */
  wrapsSignatures: boolean;
}

export function crioProfile(minor: number): CrioProfile {
  const version = CRIO_PATCH[minor] ?? CRIO_PATCH[30]!;
  const [, m = 30, patch = 0] = version.split('.').map(Number);
  const artifact = m < 33 ? null : m === 33 && patch <= 3 ? 'probe-first' : m < 35 || (m === 35 && patch === 0) ? 'after-failure' : 'after-failure-logged';
  return { version, opensTwice: m <= 30, artifact, wrapsSignatures: m >= 32 };
}

function startLine(nodeDir: string): string {
  return `Starting CRI-O, version: ${crioProfile(crioMinor(join(nodeDir, 'journal.log'))).version}, git: unknown(clean)`;
}

/** `systemctl reload crio`: CRI-O reads registries.conf again. */
export function crioReloaded(nodeDir: string, node: string): void {
  copyFileSync(join(nodeDir, 'registries.conf'), join(nodeDir, 'crio-loaded.conf'));
  appendFileSync(join(nodeDir, 'journal.log'), journalLine(node, 'info', 'Applied new registry configuration: &{Registries:[...]}'));
}

/**
 * crictl pull, as CRI-O would do it: podman with CRI-O's loaded configuration and the global pull
 * secret, and CRI-O's journal lines around it (cri-o server/image_pull.go, release-1.25 to 1.31):
 * - `Pulling image` for every request, then a request for an image already being pulled joins that
 *   pull (pullOperationsInProgress) and gets its own `Pulled image` line when it ends;
 * - the sandbox plays CRI-O 1.30, which opens the image source twice for one pull (PrepareImage,
 *   then the copy: cri-o/cri-o#5039), so each `Trying to access` line comes twice, in order, unless
 *   the image is already stored;
 * - a failed pull leaves no line at info level (its error is a debug line).
 */
/** What one pull did: its digest, or its error. */
type PullResult = { ok: true; digest: string } | { ok: false; error: string | null };

export async function crictlPull(nodeDir: string, node: string, image: string): Promise<{ code: number; output: string }> {
  const journal = join(nodeDir, 'journal.log');
  const id = randomUUID();
  const fields = { id, name: '/runtime.v1.ImageService/PullImage' };
  appendFileSync(journal, journalLine(node, 'info', `Pulling image: ${image}`, fields));
  mkdirSync(join(nodeDir, 'pulls'), { recursive: true });
  const lock = join(nodeDir, 'pulls', createHash('sha256').update(image).digest('hex'));
  let result: PullResult;
  try {
    writeFileSync(`${lock}.lock`, String(process.pid), { flag: 'wx' });
  } catch {
    // Joined: the pull in flight answers for this request too, once it ends.
    while (existsSync(`${lock}.lock`)) await new Promise((r) => setTimeout(r, 20));
    result = JSON.parse(readFileSync(`${lock}.done`, 'utf8')) as PullResult;
    return finish(journal, node, image, fields, result);
  }
  try {
    result = pullOnce(nodeDir, node, image, journal, fields);
    writeFileSync(`${lock}.done`, JSON.stringify(result));
  } finally {
    rmSync(`${lock}.lock`, { force: true });
  }
  return finish(journal, node, image, fields, result);
}

function pullOnce(nodeDir: string, node: string, image: string, journal: string, fields: Record<string, string>): PullResult {
  const crio = crioProfile(crioMinor(journal));
  const stored = spawnSync('podman', ['image', 'exists', image]).status === 0;
  const run = spawnSync('podman', ['pull', '--log-level=debug', '--authfile', '/var/lib/kubelet/config.json', image], {
    encoding: 'utf8',
    env: { ...process.env, CONTAINERS_REGISTRIES_CONF: join(nodeDir, 'crio-loaded.conf') },
  });
  const tried: string[] = [];
  for (const line of run.stderr.split('\n')) {
    const trying = /msg="Trying to access \\"(.*)\\""$/.exec(line);
    if (trying) tried.push(trying[1]!);
  }
  const pass = () => tried.forEach((ref) => appendFileSync(journal, journalLine(node, 'info', `Trying to access "${ref}"`)));
  // The artifact probe goes over the sources first (1.33.0-1.33.3); 1.25-1.30 open a new image's source twice.
  if (crio.artifact === 'probe-first' || (crio.opensTwice && !stored)) pass();
  pass();
  // podman's error is the rest of its stderr from `Error: ` (the mirrors' errors are on lines of their own).
  const at = run.stderr.indexOf('\nError: ');
  const error = at === -1 ? null : run.stderr.slice(at + '\nError: '.length).trimEnd();
  if (run.status !== 0) return { ok: false, error: artifactWrapped(crio, error ?? 'pull failed', node, image, journal, fields, pass) };
  const digest = spawnSync('podman', ['image', 'inspect', '--format', '{{.Digest}}', image], { encoding: 'utf8' }).stdout.trim();
  return { ok: true, digest };
}

function finish(journal: string, node: string, image: string, fields: Record<string, string>, result: PullResult): { code: number; output: string } {
  if (result.ok) {
    const name = image.includes('@') ? image.split('@')[0] : image.replace(/:[^/:]+$/, '');
    appendFileSync(journal, journalLine(node, 'info', `Pulled image: ${name}@${result.digest}`, fields));
    return { code: 0, output: `Image is up to date for ${name}@${result.digest}\n` };
  }
  // crictl's own words for a failed pull (its logrus fatal line), CRI-O's error behind them.
  const error = signatureWrapped(result.error ?? 'pull failed', crioMinor(journal));
  return { code: 1, output: `time="${new Date().toISOString()}" level=fatal msg=${JSON.stringify(`pulling image: rpc error: code = Unknown desc = ${error}`)}\n` };
}

/**
 * A failed image pull, as CRI-O 1.33 and later report it after its OCI-artifact attempt (which
 * goes over the same sources, and here fails as the image pull did: the sandbox has no
 * artifacts). 1.35.1 and later skip the attempt after a network error (shouldTryArtifact:
 * context errors and net.Error), and log the fall back at info, with the pull's id.
 */
function artifactWrapped(crio: CrioProfile, error: string, node: string, image: string, journal: string, fields: Record<string, string>, pass: () => void): string {
  if (crio.artifact === 'probe-first') return `unable to try pulling possible OCI artifact: ${error}`;
  if (crio.artifact === null) return error;
  const network = /no such host|connection refused|i\/o timeout|dial tcp|context deadline exceeded/.test(error.split('): ').at(-1) ?? error);
  if (crio.artifact === 'after-failure-logged') {
    if (network) return error;
    appendFileSync(journal, journalLine(node, 'info', `Falling back to pull ${image} as an OCI artifact: ${error}`, fields));
  }
  pass();
  return `unable to pull image or OCI artifact: pull image err: ${error}; artifact err: ${error}`;
}

/**
 * From CRI-O 1.32 a pull the signature policy refused is wrapped as SignatureValidationFailed
 * (cri-o internal/storage/image.go WrapSignatureCRIErrorIfNeeded, `%w: %w` with
 * k8s.io/cri-api pkg/errors ErrSignatureValidationFailed; absent before v1.32.0). The policy's
 * refusal is containers/image's "Source image rejected: ..." (copy/single.go).
 */
export function signatureWrapped(error: string, minor: number): string {
  return crioProfile(minor).wrapsSignatures && error.includes('Source image rejected: ') ? `SignatureValidationFailed: ${error}` : error;
}

/** The CRI-O minor the sandbox plays: the Kubernetes minor of its OpenShift (cri-o README compatibility matrix). */
function crioMinor(journal: string): number {
  try {
    const settings = JSON.parse(readFileSync(join(journal, '..', '..', '..', 'settings.json'), 'utf8')) as { openshift?: string };
    return KUBE_MINOR_OF_OPENSHIFT[settings.openshift ?? ''] ?? 31;
  } catch {
    return 31;
  }
}

/** Lines of a busy CRI-O that audit does not read (server/image_status.go, at info), `count` of them. */
export function journalNoise(nodeDir: string, node: string, count: number, image: string): void {
  const lines: string[] = [];
  const start = Date.now() - 3_600_000;
  for (let i = 0; i < count; i++) lines.push(journalLine(node, 'info', `Checking image status: ${image}`, { id: randomUUID(), name: '/runtime.v1.ImageService/ImageStatus' }, new Date(start + i * 1000)));
  appendFileSync(join(nodeDir, 'journal.log'), lines.join(''));
}

/** journalctl -u crio [--since WHEN] [--grep RE] over the node's journal. */
/** A line of the node's journal file that starts a boot (the sandbox keeps its journal as text). */
const BOOT = /^-- Boot ([0-9a-f]{32}) --$/;

/**
 * journalctl over the node's journal, as systemd's does (journalctl.c): --since/--until, --grep,
 * -n/--lines, --boot N (0 the current boot, -1 the one before, ...; none that old: nothing, and
 * an error on stderr), "-- Boot ID --" between lines of different boots, and "-- No entries --"
 * when nothing is shown (`if (n_shown == 0 && !arg_quiet)`).
 */
export function journalctl(nodeDir: string, args: string[]): string {
  const value = (...flags: string[]): string | undefined => {
    for (const flag of flags) {
      const joined = args.find((a) => a.startsWith(`${flag}=`));
      if (joined) return joined.slice(flag.length + 1);
      const at = args.indexOf(flag);
      if (at !== -1) return args[at + 1];
    }
    return undefined;
  };
  const path = join(nodeDir, 'journal.log');
  const boots: { id: string; lines: string[] }[] = [{ id: 'f'.repeat(32), lines: [] }];
  if (existsSync(path)) {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      const boot = BOOT.exec(line);
      if (boot) boots.push({ id: boot[1]!, lines: [] });
      else if (line) boots.at(-1)!.lines.push(line);
    }
  }
  const since = parseSince(value('--since', '-S'));
  const until = parseSince(value('--until', '-U'));
  const grep = value('--grep', '-g');
  const pattern = grep ? new RegExp(grep) : null;
  const bootArg = value('--boot', '-b');
  const chosen = bootArg === undefined ? boots : [boots[boots.length - 1 + Number(bootArg)]].filter((b) => b !== undefined);
  // "Data from the specified boot is not available": an error, and nothing on stdout.
  if (chosen.length === 0) return '';
  const shown = chosen.map((b) => ({
    id: b.id,
    lines: b.lines.filter((l) => (!since || lineTime(l) >= since) && (!until || lineTime(l) <= until) && (!pattern || pattern.test(l.slice(l.indexOf('msg='))))),
  }));
  const last = value('-n', '--lines');
  let entries = shown.flatMap((b) => b.lines.map((line) => ({ boot: b.id, line })));
  if (last) entries = entries.slice(-Number(last));
  if (entries.length === 0) return '-- No entries --\n';
  let out = '';
  entries.forEach((e, i) => {
    if (i > 0 && entries[i - 1]!.boot !== e.boot) out += `-- Boot ${e.boot} --\n`;
    out += `${e.line}\n`;
  });
  return out;
}

/** The node reboots: its journal starts a new boot, and CRI-O starts again. */
export function nodeRebooted(nodeDir: string, node: string, when = new Date()): void {
  appendFileSync(join(nodeDir, 'journal.log'), `-- Boot ${randomUUID().replaceAll('-', '')} --\n`);
  appendFileSync(join(nodeDir, 'journal.log'), journalLine(node, 'info', startLine(nodeDir), {}, when));
}

function lineTime(line: string): number {
  const m = /time="([^"]+)"/.exec(line);
  return m ? new Date(m[1]!.replace(' ', 'T')).getTime() : 0;
}

/** journalctl's --since and --until (systemd.time(7)): "-24h", "+5m", or "YYYY-MM-DD HH:MM:SS[.ffffff]", UTC (the kubelet runs it with --utc). */
function parseSince(text: string | undefined): number | null {
  if (!text) return null;
  const rel = /^([+-]?)(\d+)([smhd])$/.exec(text);
  if (rel) return Date.now() + (rel[1] === '+' ? 1 : -1) * Number(rel[2]) * { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 }[rel[3] as 's' | 'm' | 'h' | 'd'];
  return new Date(`${text.replace(' ', 'T')}Z`).getTime();
}

// Node-side entry: `crictl pull|rmi|inspecti IMAGE`, `journalctl ...`, with the node's directory.
// (Only as its own program: the API server's bundle includes this module too.)
if (process.argv[1] && basename(process.argv[1]) === 'crio.mjs' && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [, , nodeDir = '', tool, ...args] = process.argv;
  const node = basename(nodeDir);
  if (tool === 'crictl' && args[0] === 'pull') {
    const r = await crictlPull(nodeDir, node, args[1]!);
    process[r.code === 0 ? 'stdout' : 'stderr'].write(r.output);
    process.exit(r.code);
  } else if (tool === 'crictl' && args[0] === 'rmi') {
    process.exit(spawnSync('podman', ['rmi', args[1]!], { stdio: 'ignore' }).status ?? 1);
  } else if (tool === 'crictl' && args[0] === 'inspecti') {
    process.exit(spawnSync('podman', ['image', 'exists', args[1]!]).status ?? 1);
  } else if (tool === 'journalctl') {
    process.stdout.write(journalctl(nodeDir, args));
  } else {
    process.stderr.write(`sandbox ${tool}: unsupported: ${args.join(' ')}\n`);
    process.exit(1);
  }
}
