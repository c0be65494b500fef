// argv → the verify request, as a table that runs nothing: the action that would do the work
// only records what it was asked. Bad input never gets that far.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { VerifyInvocation } from '../../src/cli/commands/verify.js';
import type { Io } from '../../src/cli/io.js';
import { invocationFrom } from '../../src/cli/invocation.js';
import { main } from '../../src/cli/main.js';
import { scratch } from './in-process.js';

const D64 = 'a'.repeat(64);
const IMG = `quay.io/a@sha256:${D64}`;
const IMG2 = `quay.io/b@sha256:${'b'.repeat(64)}`;
const { write } = scratch('oc-icsp-verify-args-');
const LIST = write('images.txt', `# the team's images\n${IMG2}\n${IMG}\n`);
const BAD_LIST = write('bad.txt', `${IMG}\nQuay.io/X\n`);
const POLICY = write('idms.yaml', 'apiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata: {name: x}\n');

async function parse(argv: string[], startedAs = '/usr/local/bin/oc-icsp') {
  const asked: VerifyInvocation[] = [];
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t), env: {}, invocation: invocationFrom([startedAs]), columns: undefined };
  const code = await main(argv, io, {
    verify: async (invocation) => {
      asked.push(invocation);
      return 0;
    },
  });
  return { code, asked, stdout: out.join(''), stderr: err.join('') };
}

const DEFAULTS: VerifyInvocation = {
  request: { images: [IMG], running: false, exhaustive: false, check: 'auto', engine: 'podman', maxImages: 5, selector: undefined, nodeNames: undefined, parallel: 10, timeoutMs: 300_000, keepImage: false },
  podImage: undefined,
  strategy: 'auto',
  group: undefined,
  client: { client: undefined, kubeconfig: undefined, context: undefined, requestTimeout: undefined },
  output: 'table',
  color: true,
  logDir: undefined,
  dryRun: false,
  proposed: [],
  without: [],
  report: undefined,
};

describe('verify: argv to request', () => {
  const cases: [string[], Partial<Omit<VerifyInvocation, 'request'>> & { request?: Partial<VerifyInvocation['request']> }][] = [
    [['verify', IMG], {}],
    [['verify'], { request: { images: [] } }],
    [['verify', IMG, IMG2], { request: { images: [IMG, IMG2] } }],
    // The file's images after the typed ones, each once.
    [['verify', IMG, '-f', LIST], { request: { images: [IMG, IMG2] } }],
    [['verify', '--images-from', LIST], { request: { images: [IMG2, IMG] } }],
    [['verify', '--running'], { request: { images: [], running: true } }],
    [['verify', '--max-images', '2'], { request: { images: [], maxImages: 2 } }],
    [['verify', IMG, '-l', 'node-role.kubernetes.io/worker'], { request: { selector: 'node-role.kubernetes.io/worker' } }],
    [['verify', IMG, '--selector=!node-role.kubernetes.io/master'], { request: { selector: '!node-role.kubernetes.io/master' } }],
    [['verify', IMG, '--nodes', 'w0, w1,'], { request: { nodeNames: ['w0', 'w1'] } }],
    [['verify', IMG, '--parallel', '3', '--timeout', '90'], { request: { parallel: 3, timeoutMs: 90_000 } }],
    [['verify', IMG, '--timeout=1m30s'], { request: { timeoutMs: 90_000 } }],
    [['verify', IMG, '--keep-image'], { request: { keepImage: true } }],
    [['verify', IMG, '--strategy', 'daemonset', '--check', 'manifest', '--group'], { strategy: 'daemonset', group: true, request: { check: 'manifest' } }],
    [['verify', IMG, '--no-group'], { group: false }],
    [['verify', IMG, '--engine', 'both'], { request: { engine: 'both' } }],
    [['verify', IMG, '--image', 'mirror.example:5000/tools:1'], { podImage: 'mirror.example:5000/tools:1' }],
    [['verify', IMG, '-o', 'json', '--no-color'], { output: 'json', color: false }],
    [['verify', IMG, '--log-dir', '/tmp/logs', '--dry-run'], { logDir: '/tmp/logs', dryRun: true }],
    [['verify', IMG, '--report', join(tmpdir(), 'page.html')], { report: join(tmpdir(), 'page.html') }],
    [['verify', IMG, '--client', 'kubectl', '--kubeconfig', '/k', '--context=prod'], { client: { client: 'kubectl', kubeconfig: '/k', context: 'prod', requestTimeout: undefined } }],
    [['verify', IMG, '--request-timeout', '30s'], { client: { client: undefined, kubeconfig: undefined, context: undefined, requestTimeout: '30s' } }],
  ];
  for (const [argv, expected] of cases) {
    it(argv.slice(2).join(' ') || 'defaults', async () => {
      const { code, asked, stderr } = await parse(argv);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(asked).toEqual([{ ...DEFAULTS, ...expected, request: { ...DEFAULTS.request, ...expected.request } }]);
    });
  }
});

describe('verify: bad input is one error line, exit 2, and nothing is run', () => {
  const cases: [string[], string | RegExp][] = [
    [['verify', 'Quay.io/Org/App'], 'error: invalid image reference "Quay.io/Org/App": repository name "Org/App" must be lowercase\n'],
    [['verify', 'quay.io/a@sha256:123'], /^error: invalid image reference .*sha256 digest needs 64 hex characters, got 3\n$/],
    [['verify', 'quay.io/a;touch /tmp/pwned'], /^error: .*white space\n$/],
    [['verify', 'quay.io/a$(id)'], /^error: .*path component "a\$\(id\)"/],
    [['verify', `quay.io/a:${'x'.repeat(129)}`], /tag is 129 characters long/],
    [['verify', IMG, '--timeout', 'soon'], 'error: --timeout "soon" is not a duration: use e.g. 90s, 5m, 1h, 2d or plain seconds\n'],
    [['verify', IMG, '--timeout', '0'], 'error: --timeout "0" must be more than zero\n'],
    [['verify', IMG, '--parallel', '0'], 'error: --parallel must be a whole number of at least 1, not 0\n'],
    [['verify', IMG, '--parallel', '2.5'], 'error: --parallel must be a whole number of at least 1, not 2.5\n'],
    [['verify', IMG, '--nodes', 'w0,$(id)'], 'error: --nodes: "$(id)" is not a valid node name\n'],
    [['verify', IMG, '--nodes', ','], 'error: --nodes needs at least one node name\n'],
    [['audit', '--nodes', 'w0,$(id)'], 'error: --nodes: "$(id)" is not a valid node name\n'],
    // One line, in our words, naming the choices and where to read more.
    [['verify', IMG, '-o', 'xml'], 'error: -o/--output "xml" is not one of: table, wide, json, yaml (see `oc icsp verify --help`)\n'],
    [['verify', IMG, '--strategy', 'ssh'], 'error: --strategy "ssh" is not one of: auto, debug, daemonset (see `oc icsp verify --help`)\n'],
    [['verify', IMG, '--check', 'blob'], 'error: --check "blob" is not one of: auto, pull, manifest (see `oc icsp verify --help`)\n'],
    [['verify', IMG, '--engine', 'crictl', '--check', 'manifest'], 'error: --engine crictl pulls through CRI-O, which has no manifest-only read: use --check pull, or --engine podman with --check manifest\n'],
    [['verify', IMG, '--bogus'], 'error: Unknown argument: bogus (see `oc icsp verify --help`)\n'],
    [['explain'], 'error: explain needs IMAGE: oc icsp explain <IMAGE> (see `oc icsp explain --help`)\n'],
    [['verify', '--max-images', '0'], 'error: --max-images must be a whole number of at least 1, not 0\n'],
    [['frobnicate'], 'error: Unknown argument: frobnicate (see `oc icsp --help`)\n'],
    [['verify', IMG, '--image=-rf'], /^error: --image: invalid image reference "-rf"/],
    [['verify', IMG, '--image', 'Bad Image'], 'error: --image: invalid image reference "Bad Image": it contains white space\n'],
    [['verify', IMG, '-n', 'default'], 'error: -n/--namespace has no use here: the plugin creates a namespace of its own for each run and deletes it at the end; drop the flag\n'],
    [['verify', IMG, '--namespace=openshift-debug'], /^error: -n\/--namespace has no use here/],
    [['verify', '-f', BAD_LIST], /^error: .*bad\.txt: 1 bad line\(s\): line 2: invalid image reference "Quay\.io\/X": /],
    [['verify', '-f', '/nonexistent/images.txt'], 'error: /nonexistent/images.txt: no such file or directory\n'],
    [['verify', IMG, 'Quay.io/X'], /^error: invalid image reference "Quay\.io\/X"/],
    [['verify', IMG, '--running'], 'error: --running checks the images running pods use: give it no IMAGE, --images-from or --release\n'],
    [['verify', IMG, '--proposed', 'x.yaml', '--engine', 'both'], 'error: --engine both with a proposed change: CRI-O pulls with the configuration it has loaded, not the proposal\'s; check a proposal with --engine podman\n'],
    [['verify', '-f', POLICY], `error: --images-from ${POLICY}: a mirror policy manifest, not a list of images: to check a change before applying it, pass it with --proposed\n`],
    [['verify', IMG, '--without', 'deployment/x'], /^error: --without "deployment\/x": not TYPE\/NAME of an object a change deletes/],
    [['verify', '--release', 'quay.io/a b'], 'error: --release: invalid image reference "quay.io/a b": it contains white space\n'],
    [['verify', IMG, '--request-timeout', 'soon'], 'error: --request-timeout "soon" is not a duration: use e.g. 90s, 5m, 1h or plain seconds\n'],
  ];
  for (const [argv, message] of cases) {
    it(argv.join(' ').slice(0, 80), async () => {
      const { code, asked, stdout, stderr } = await parse(argv);
      expect(code).toBe(2);
      expect(asked).toEqual([]);
      expect(stdout).toBe('');
      if (typeof message === 'string') expect(stderr).toBe(message);
      else expect(stderr).toMatch(message);
      expect(stderr).not.toMatch(/\n\s+at /);
    });
  }
});

describe('started as kubectl icsp', () => {
  it('usage errors point at kubectl icsp --help', async () => {
    const { code, stderr } = await parse(['frobnicate'], '/home/u/.krew/bin/kubectl-icsp');
    expect(code).toBe(2);
    expect(stderr).toBe('error: Unknown argument: frobnicate (see `kubectl icsp --help`)\n');
  });
  it('help names kubectl icsp', async () => {
    const { code, stdout } = await parse(['--help'], '/home/u/.krew/bin/kubectl-icsp');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^kubectl icsp <command> \[options\]/);
    expect(stdout).not.toMatch(/oc icsp/);
  });
});
