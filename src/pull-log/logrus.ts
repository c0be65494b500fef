// podman logs through logrus in one of two text formats: `time="…" level=debug msg="…"`
// when stderr is not a terminal (as under oc debug), `DEBU[0000] …` when it is.

export interface LogLine {
  level: string | undefined;
  message: string;
  /** logrus's time field, as written. */
  time?: string;
  /** The fields after msg (CRI-O's id= and name=, file=), unquoted. */
  fields?: Record<string, string>;
}

const KEY_VALUE = /^time="([^"]*)" level=(\w+) msg="((?:[^"\\]|\\.)*)"(.*)$/;
const FIELD = / (\w+)=("(?:[^"\\]|\\.)*"|\S*)/g;
const TERMINAL = /^(DEBU|INFO|WARN|ERRO|FATA|PANI|TRAC)\[[^\]]*\] ?(.*)$/;
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const TERMINAL_LEVELS: Record<string, string> = {
  DEBU: 'debug',
  INFO: 'info',
  WARN: 'warning',
  ERRO: 'error',
  FATA: 'fatal',
  PANI: 'panic',
  TRAC: 'trace',
};

/** A line podman printed, with the logrus decoration removed; plain lines keep level undefined. */
export function readLogLine(rawLine: string): LogLine {
  // On a terminal logrus colours the level and the pty turns \n into \r\n.
  const line = rawLine.includes('\u001b') || rawLine.endsWith('\r') ? rawLine.replace(ANSI, '').replace(/\r$/, '') : rawLine;
  const kv = KEY_VALUE.exec(line);
  if (kv) return { level: kv[2], message: unquoteGo(kv[3]!), time: kv[1], fields: readFields(kv[4]!) };
  const terminal = TERMINAL.exec(line);
  if (terminal) return { level: TERMINAL_LEVELS[terminal[1]!], message: terminal[2]!.trimEnd() };
  return { level: undefined, message: line };
}

function readFields(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of text.matchAll(FIELD)) fields[m[1]!] = m[2]!.startsWith('"') ? unquoteGo(m[2]!.slice(1, -1)) : m[2]!;
  return fields;
}

// logrus quotes msg with strconv.Quote; only the escapes it emits are handled.
function unquoteGo(text: string): string {
  return text.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_, esc: string) => {
    switch (esc[0]) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'x':
      case 'u':
      case 'U':
        return String.fromCodePoint(parseInt(esc.slice(1), 16));
      default:
        return esc;
    }
  });
}
