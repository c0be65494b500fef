// The kubelet's journal endpoint, GET /api/v1/nodes/NODE/proxy/logs/journal, in its two
// generations.
//
// OpenShift 4.12 and 4.13 (Kubernetes 1.25, 1.26) run OpenShift's old carry (openshift/kubernetes
// pkg/kubelet/kubelet_server_journal.go on those branches: journalServer, newJournalArgsFromURL,
// validJournalDateRange, safeString, journalArgs.Copy; origin#24105):
// - grep: at most 100 characters, each of [a-zA-Z0-9 -_.@] (the check is the regexp
//   `[^a-zA-Z\-_.0-9\s@]+`), else 400 "input contains unsupported characters";
// - since/until: `(+|-)N(s|m|h|d)` or a date in the layout `2006-01-02 15:04:05.999999`;
// - journalctl runs with --utc --no-pager and is killed at the deadline (the `timeout`
//   parameter, 1-60 s, 30 by default);
// - without `boot`, Copy runs journalctl for the previous boot (errors eaten), then the current
//   one (copyForBoot(-1), copyForBoot(0)): entries of older boots never come, whatever the window.
//
// From 4.14 (Kubernetes 1.27) the kubelet serves the upstream NodeLogQuery code with OpenShift's
// carry for oc (openshift/kubernetes pkg/kubelet/kubelet_server_journal.go newNodeLogQuery,
// validate, Copy, copyForBoot, splitNativeVsFileLoggers; pkg/kubelet/kubelet.go: 400 for a query
// that does not parse, 406 for one that does not validate; machine-config-operator 813ad2f76 turns
// enableSystemLogQuery on from 4.14):
// - no `timeout`: a 30 s deadline, which also covers a `journalctl --field _SYSTEMD_UNIT` check
//   run once per service (oc sends the unit as both `unit` and `query`: twice for crio);
// - a service that check does not find is taken for a file logger: with since or until given,
//   the answer is 200 with only "options present and query resolved to log files for [crio crio]";
// - services of [a-zA-Z-_.:0-9@], at most 256 characters, at most 4; the pattern is any regular
//   expression; every boot is read.
//
// Both answer 200 with whatever journalctl had written when it was killed, oldest first, and say
// nothing of the cut. journalctl writes to a pipe, fully buffered and not flushed when killed, so
// a cut answer ends inside a line.
// oc adm node-logs sends unit and query (the unit), since, until, grep and pattern,
// case-sensitive, and boot when --boot is given (openshift/oc pkg/cli/admin/node/logs.go RunLogs).
import { journalctl } from '../crio.js';
/**
 * The kubelet's own refusal: http.Error's plain text (`message\n`), which the API server's node
 * proxy passes on as it is, never a Status object.
 */
export class KubeletError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}
const badRequest = (message: string) => new KubeletError(400, message);

const UNSAFE = /[^a-zA-Z\-_.0-9\s@]+/;
const RELATIVE = /^(\+|-)?\d+(s|m|h|d)$/;
const DATE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?$/;

function safeString(name: string, value: string, max = 100): void {
  if (value.length > max) throw badRequest(`parameter '${name}' is invalid: input is too long, max length is ${max}`);
  if (UNSAFE.test(value)) throw badRequest(`parameter '${name}' is invalid: input contains unsupported characters`);
}

function validDate(name: string, value: string | null): void {
  if (value === null || value === '') return;
  if (!RELATIVE.test(value) && !DATE.test(value)) {
    throw badRequest(`parameter '${name}' is invalid: date must be a relative time of the form '(+|-)[0-9]+(s|m|h|d)' or a date in 'YYYY-MM-DD HH:MM:SS' form`);
  }
}

export interface JournalQuery {
  /** Each journalctl run, in order (the old carry reads the previous boot, then the current one). */
  runs: string[][];
  deadlineMs: number;
  /** How many `journalctl --field _SYSTEMD_UNIT` checks run first (the newer kubelet: one per service). */
  fieldChecks: number;
  /** The services, as the newer kubelet names them in its answer when a check fails. */
  services: string[];
}

/** The query as the kubelet of that Kubernetes minor reads it, or the error it answers. */
export function journalQuery(query: URLSearchParams, defaultDeadlineMs: number, kubeMinor = 25): JournalQuery {
  return kubeMinor >= 27 ? nodeLogQuery(query, defaultDeadlineMs) : carryQuery(query, defaultDeadlineMs);
}

const notAcceptable = (message: string) => new KubeletError(406, message);
const SERVICE_UNSAFE = /[^a-zA-Z\-_.:0-9@]+/;
// dateLayout "2006-1-2 15:4:5"; Go's time.Parse takes a fraction after the seconds too.
const QUERY_DATE = /^\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?$/;

/** `deadlineMs`: the kubelet's fixed 30 s (Copy), or the sandbox's setting that stands for it. */
function nodeLogQuery(query: URLSearchParams, deadlineMs: number): JournalQuery {
  // newNodeLogQuery: every query, then every unit (query first), blank ones left out.
  const services = [...query.getAll('query'), ...query.getAll('unit')].filter((s) => s.trim() !== '');
  const errors: string[] = [];
  for (const s of services) {
    if (s.length > 256) errors.push(`query: Invalid value: "${s}": length must be less than 100`);
    else if (SERVICE_UNSAFE.test(s)) errors.push(`query: Invalid value: "${s}": input contains unsupported characters`);
  }
  if (services.length > 4) errors.push(`query: Too many: ${services.length}: must have at most 4 items`);
  const pattern = query.get('pattern') || query.get('grep') || '';
  try {
    new RegExp(pattern);
  } catch (error) {
    errors.push(`pattern: Invalid value: "${pattern}": ${(error as Error).message}`);
  }
  for (const name of ['since', 'until']) {
    const value = query.get(name) ?? '';
    if (value && !RELATIVE.test(value) && !QUERY_DATE.test(value)) errors.push(`${name}: Invalid value: "${value}": date must be a relative time of the form '(+|-)[0-9]+(s|m|h|d)' or a date in 'YYYY-MM-DD HH:MM:SS' form`);
  }
  const boot = query.get('boot');
  if (boot !== null && !(Number(boot) <= 0)) errors.push(`boot: Invalid value: ${boot}: must be less than 1`);
  if (errors.length) throw notAcceptable(errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`);
  // getLoggingCmd: --utc --no-pager --output=short-precise, since/until, boot, lines, units, grep.
  const args: string[] = [];
  if (query.get('since')) args.push(`--since=${query.get('since')}`);
  if (query.get('until')) args.push(`--until=${query.get('until')}`);
  if (boot !== null) args.push(`--boot=${boot}`);
  const tail = query.get('tailLines') ?? query.get('tail');
  if (tail !== null) args.push('--pager-end', `--lines=${tail}`);
  for (const s of services) args.push(`--unit=${s}`);
  if (pattern) args.push(`--grep=${pattern}`);
  return { runs: [args], deadlineMs, fieldChecks: services.length, services };
}

/** The journalctl arguments for a query, or the 400 the old carry answers. */
function carryQuery(query: URLSearchParams, defaultDeadlineMs: number): JournalQuery {
  const args: string[] = [];
  const units = [...query.getAll('unit'), ...query.getAll('query')];
  const unique = [...new Set(units)];
  if (unique.join('').length > 1000) throw badRequest("parameter 'unit' is invalid: input is too long, max length is 1000");
  for (const u of unique) {
    safeString('unit', u, 1000);
    args.push('-u', u);
  }
  validDate('since', query.get('since'));
  validDate('until', query.get('until'));
  if (query.get('since')) args.push(`--since=${query.get('since')}`);
  if (query.get('until')) args.push(`--until=${query.get('until')}`);
  const grep = query.get('grep') ?? query.get('pattern');
  if (grep) {
    safeString('grep', grep);
    args.push(`--grep=${grep}`);
  }
  const tail = query.get('tail');
  if (tail !== null) {
    const n = Number(tail);
    if (!Number.isInteger(n) || n < 0 || n > 100000) throw badRequest("parameter 'tail' is invalid: must be a number between 0 and 100000");
    args.push('-n', String(n));
  }
  let deadlineMs = defaultDeadlineMs;
  const timeout = query.get('timeout');
  if (timeout !== null) {
    const n = Number(timeout);
    if (!Number.isInteger(n) || n < 1 || n > 60) throw badRequest("parameter 'timeout' is invalid: must be a number between 1 and 60");
    deadlineMs = n * 1000;
  }
  const boot = query.get('boot');
  // Copy: one boot when asked for; else the previous boot, then the current one.
  const runs = boot !== null ? [[...args, `--boot=${boot}`]] : [[...args, '--boot=-1'], [...args, '--boot=0']];
  return { runs, deadlineMs, fieldChecks: 0, services: unique };
}

export interface NodeJournal {
  /** Lines journalctl writes a second (unset: all at once). */
  linesPerSecond?: number;
  /** How long each `journalctl --field _SYSTEMD_UNIT` check takes. */
  fieldCheckMs?: number;
  /** The check does not find the unit (it failed, or it ran out of time). */
  fieldCheckFails?: boolean;
}

/**
 * Answers a query as the kubelet does: its unit checks first (the newer kubelet), then journalctl
 * at the node's reading speed, stopped without a word at the deadline, inside the line it was
 * writing.
 */
export function streamJournal(nodeDir: string, q: JournalQuery, node: NodeJournal, write: (chunk: string) => void, end: () => void): () => void {
  const started = Date.now();
  const checksMs = Math.min(q.deadlineMs, q.fieldChecks * (node.fieldCheckMs ?? 0));
  let timer: NodeJS.Timeout | undefined;
  const start = setTimeout(() => {
    if (q.fieldChecks > 0 && (node.fieldCheckFails || checksMs >= q.deadlineMs)) {
      write(`\noptions present and query resolved to log files for [${q.services.join(' ')}]\ntry without specifying options\n`);
      return end();
    }
    const lines = q.runs.flatMap((run) => journalctl(nodeDir, run).split('\n').filter(Boolean)).map((l) => `${l}\n`);
    if (!node.linesPerSecond) {
      write(lines.join(''));
      return end();
    }
    let sent = 0;
    timer = setInterval(() => {
      const due = Math.min(lines.length, Math.floor(((Date.now() - started - checksMs) / 1000) * node.linesPerSecond!));
      if (due > sent) write(lines.slice(sent, due).join(''));
      sent = due;
      const cut = Date.now() - started >= q.deadlineMs;
      if (sent >= lines.length || cut) {
        clearInterval(timer);
        // Killed mid-write: part of the next line got out.
        if (cut && sent < lines.length) write(lines[sent]!.slice(0, Math.ceil(lines[sent]!.length / 2)));
        end();
      }
    }, 20);
  }, checksMs);
  return () => {
    clearTimeout(start);
    clearInterval(timer);
  };
}
