// The DaemonSet probe's wrapper, run for real with sh, tee, gzip and base64: what it writes to
// its log and its termination message is what the run reads back (probeReport). The container's
// termination log is a file bound at /dev/termination-log in a mount namespace of its own, as
// the kubelet mounts it (kuberuntime_container.go makeMounts); that needs root.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runObjectsManifest } from '../../src/oc/daemonset-objects.js';
import { probeReport } from '../../src/oc/daemonset-pods.js';

const isRoot = process.getuid?.() === 0;
const work = mkdtempSync(join(tmpdir(), 'oc-icsp-probe-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The probe's command for this node command: the init container's, from the DaemonSet sent. */
function probeCommand(nodeCommand: string[]): string[] {
  const ds = runObjectsManifest('r1', ['w0'], 'tools:1', nodeCommand).trim().split('\n').map((l) => JSON.parse(l))[2];
  return ds.spec.template.spec.initContainers[0].command;
}

interface Run {
  code: number | null;
  log: string;
  message: string;
  /** What the wrapper left in its temporary directory's parent. */
  left: string[];
}

/** The POSIX shells a node's /bin/sh may be: the wrapper must behave the same under each. */
const SHELLS = [['dash'], ['bash', '--posix']];

function runProbe(nodeCommand: string[], onLog: (log: string, stop: () => void) => void = () => {}, shell = ['/bin/sh']): Promise<Run> {
  const dir = mkdtempSync(join(work, 'run-'));
  const message = join(dir, 'termination-log');
  const tmp = join(dir, 'tmp');
  writeFileSync(message, '');
  const bind = 'set -e; [ -e /dev/termination-log ] || : >/dev/termination-log; mount --bind "$0" /dev/termination-log; exec "$@"';
  const [sh, ...wrapper] = probeCommand(nodeCommand);
  expect(sh).toBe('/bin/sh');
  const child = spawn('unshare', ['--mount', '--propagation', 'private', '--', 'sh', '-c', bind, message, ...shell, ...wrapper], {
    env: { ...process.env, TMPDIR: (rmSync(tmp, { force: true, recursive: true }), mkdtempSync(tmp)) },
  });
  let log = '';
  child.stdout.on('data', (d) => {
    log += d;
    onLog(log, () => child.kill('SIGTERM'));
  });
  return new Promise((resolve) => child.on('close', (code) => {
    const tmpDir = readdirSync(dir).find((f) => f.startsWith('tmp'))!;
    resolve({ code, log, message: readFileSync(message, 'utf8'), left: readdirSync(join(dir, tmpDir)) });
  }));
}

const FIXTURE = 'test/fixtures/node-logs/digest-mirrored.log';
const ANOTHER = 'test/fixtures/node-logs/digest-proxy-down.log';

describe.skipIf(!isRoot)('the DaemonSet probe, run for real (root: a mount namespace of its own)', () => {
  it.each(SHELLS)("%s: logs the node script's output as it comes and puts it all, with the exit status, in the termination message", async (...shell) => {
    const text = readFileSync(FIXTURE, 'utf8');
    const run = await runProbe(['sh', '-c', 'cat "$0"; exit 3', FIXTURE], undefined, shell);
    expect(run.code).toBe(0);
    expect(run.log).toBe(text);
    expect(run.message.length).toBeLessThanOrEqual(4096);
    expect(probeReport(run.message)).toEqual({ exitCode: 3, lines: text.split('\n').slice(0, -1) });
    expect(run.left).toEqual([]);
  });

  it.each(SHELLS)('%s: an output too long for the message: nothing in the message, all of it in the log', async (...shell) => {
    const text = readFileSync(FIXTURE, 'utf8') + readFileSync(ANOTHER, 'utf8');
    const run = await runProbe(['cat', FIXTURE, ANOTHER], undefined, shell);
    expect(run.code).toBe(0);
    expect(run.log).toBe(text);
    expect(run.message).toBe('');
    expect(run.left).toEqual([]);
  });

  it('SIGTERM reaches the node script, whose trap runs; the wrapper leaves nothing behind', async () => {
    // As the node script does (head.sh stop): its trap stops what it runs, once its PID is known.
    // The wrapper's second TERM, a second after the first, can come while the first trap still
    // waits (seen under the full suite's load): the child is gone by then, and kill says nothing.
    const script = `stop() { if [ -n "$c" ] && kill "$c" 2>/dev/null; then (sleep 1; kill "$c" 2>/dev/null) & wait "$c"; fi; echo stopped; exit 0; }; trap 'stopping=1; [ -n "$forking" ] || stop' TERM; forking=1; echo started; sleep 30 & c=$!; forking=; [ -z "$stopping" ] || stop; wait`;
    let stopping = false;
    const run = await runProbe(['sh', '-c', script], (log, stop) => {
      if (!stopping && log.includes('started')) {
        stopping = true;
        stop();
      }
    });
    expect(run.code).toBe(143);
    // `stopped` is the trap's: the 30 s sleep was stopped, not waited for. Between the two, dash may say "Terminated" of the job it stopped.
    expect(run.log).toMatch(/^started\n(Terminated\n)?stopped\n$/);
    expect(run.message).toBe('');
    expect(run.left).toEqual([]);
  });
});

describe.skipIf(isRoot)('the DaemonSet probe, run for real', () => {
  it.skip('needs root: a mount namespace to bind its termination log in (CI runs it as root)', () => {});
});

it('the fixtures it runs exist', () => expect([FIXTURE, ANOTHER].every((f) => existsSync(f))).toBe(true));
