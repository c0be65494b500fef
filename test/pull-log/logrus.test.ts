// logrus's two text formats, read from real lines: a debug CRI-O journal (test-infra-34263, the
// key=value form with quoted fields) and podman on a terminal (podman-terminal-format.log, coloured
// levels and \r\n line ends).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readLogLine } from '../../src/pull-log/logrus.js';

const journal = readFileSync('test/fixtures/crio-journal/test-infra-34263.log', 'utf8').split('\n');
const terminal = readFileSync('test/fixtures/podman-terminal-format.log', 'utf8').split('\n');
const afterPrefix = (line: string) => line.slice(line.indexOf('time='));

describe('the key=value form', () => {
  it('level, time, msg unquoted (\\" inside), and the fields after it, quoted or not', () => {
    expect(readLogLine(afterPrefix(journal[0]!))).toEqual({
      level: 'debug',
      time: '2025-02-04T13:31:15.847174747Z',
      message: 'Using pull policy path for image registry.k8s.io/e2e-test-images/sample-device-plugin:1.7: "/etc/crio/policy.json"',
      fields: expect.objectContaining({ file: 'server/image_pull.go:130' }),
    });
    const second = readLogLine(afterPrefix(journal[1]!));
    expect(second.fields).toMatchObject({ file: 'server/image_pull.go:145', id: expect.stringMatching(/^cf751/) });
  });

  it('every line of the journal reads as logrus, none as plain text', () => {
    const lines = journal.filter((l) => l.includes('level='));
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const l of lines) expect(readLogLine(afterPrefix(l)).level).toMatch(/^(debug|info|warning|error)$/);
  });

  it("Go's escapes in msg: \\n, \\t, \\\\ and \\u00XX (strconv.Quote, as JSON.stringify writes them)", () => {
    const msg = 'line one\nline\ttwo \\ end \u0007';
    expect(readLogLine(`time="t" level=fatal msg=${JSON.stringify(msg)}`)).toEqual({ level: 'fatal', time: 't', message: msg, fields: {} });
    expect(readLogLine('time="t" level=info msg="x\\x41\\U0001F600"').message).toBe('xA😀');
  });
});

describe('the terminal form', () => {
  it('the coloured level becomes its name; the colour codes and the \\r go', () => {
    const first = readLogLine(terminal[0]!);
    expect(first).toEqual({ level: 'info', message: 'podman filtering at log level debug' });
    // The pty's line ends: the capture's lines end in \r.
    expect(terminal[1]!.endsWith('\r')).toBe(true);
    expect(readLogLine(terminal[1]!).level).toBe('debug');
    expect(readLogLine(terminal[1]!).message).toMatch(/^Called pull\.PersistentPreRunE\(podman --root/);
  });

  it('each four-letter level', () => {
    for (const [short, level] of [['DEBU', 'debug'], ['INFO', 'info'], ['WARN', 'warning'], ['ERRO', 'error'], ['FATA', 'fatal'], ['PANI', 'panic'], ['TRAC', 'trace']]) {
      expect(readLogLine(`${short}[0000] m `)).toEqual({ level, message: 'm' });
    }
  });

  it('a plain line keeps no level', () => {
    expect(readLogLine('Error: initializing source')).toEqual({ level: undefined, message: 'Error: initializing source' });
    expect(readLogLine('DEBUG[0000] not logrus')).toEqual({ level: undefined, message: 'DEBUG[0000] not logrus' });
  });
});
