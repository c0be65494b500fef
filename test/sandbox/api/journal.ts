// The kubelet's journal endpoint, GET /api/v1/nodes/NODE/proxy/logs/journal, as OpenShift
// 4.12-4.18 serve it (openshift/kubernetes pkg/kubelet/kubelet_server_journal.go: the
// journalServer type, newJournalArgsFromURL, validJournalDateRange, safeString, journalArgs.Copy):
// - grep: at most 100 characters, each of [a-zA-Z0-9 -_.@] (the check is the regexp
//   `[^a-zA-Z\-_.0-9\s@]+`), else 400 "input contains unsupported characters";
// - since/until: `(+|-)N(s|m|h|d)` or a date in the layout `2006-01-02 15:04:05.999999`;
// - journalctl runs with --utc --no-pager and is killed at the deadline (the `timeout`
//   parameter, 1-60 s, 30 by default); the answer is 200 with whatever it had written, oldest
//   first, and says nothing of the cut.
// oc adm node-logs sends unit and query (the unit), since, until, grep and pattern, and
// case-sensitive (openshift/oc pkg/cli/admin/node/logs.go RunLogs).
import { journalctl } from '../crio.js';
import { badRequest } from './types.js';

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
  args: string[];
  deadlineMs: number;
}

/** The journalctl arguments for a query, or the 400 the kubelet answers. */
export function journalQuery(query: URLSearchParams, defaultDeadlineMs: number): JournalQuery {
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
  return { args, deadlineMs };
}

/**
 * Streams the node's journal as journalctl would, at the node's reading speed, and stops without
 * a word at the deadline.
 */
export function streamJournal(nodeDir: string, q: JournalQuery, linesPerSecond: number | undefined, write: (chunk: string) => void, end: () => void): () => void {
  const lines = journalctl(nodeDir, q.args).split('\n').filter(Boolean).map((l) => `${l}\n`);
  if (!linesPerSecond) {
    write(lines.join(''));
    end();
    return () => {};
  }
  const started = Date.now();
  let sent = 0;
  const timer = setInterval(() => {
    const due = Math.min(lines.length, Math.floor(((Date.now() - started) / 1000) * linesPerSecond));
    if (due > sent) write(lines.slice(sent, due).join(''));
    sent = due;
    if (sent >= lines.length || Date.now() - started >= q.deadlineMs) {
      clearInterval(timer);
      end();
    }
  }, 20);
  return () => clearInterval(timer);
}
