// The process layer against real processes: /bin/sh stands in for the client binary.
import { describe, expect, it } from 'vitest';
import { existsSync, watch } from 'node:fs';
import { DRAIN_AFTER_EXIT_MS, escalator, execaRunner, liveClientCount } from '../../src/oc/runner.js';
import { FakeClock } from '../fake-clock.js';

// On a clock nobody moves, stop() sends SIGINT only: a slow machine cannot turn it into a SIGTERM.
const sh = () => execaRunner({ binary: '/bin/sh', loginAdvice: 'run `oc login`', globalArgs: [], clock: new FakeClock() });

/** A process's lines, and a promise for a line to come (the tests wait on the process, never on time). */
function collect() {
  const out: string[] = [];
  const err: string[] = [];
  const waiting: [string, () => void][] = [];
  const onStdoutLine = (l: string) => {
    out.push(l);
    for (const [line, resolve] of waiting) if (line === l) resolve();
  };
  const line = (text: string) => (out.includes(text) ? Promise.resolve() : new Promise<void>((resolve) => waiting.push([text, resolve])));
  return { out, err, line, handlers: { onStdoutLine, onStderrLine: (l: string) => err.push(l) } };
}

/** Until `name` exists in `dir`, by the file system's own event. */
function fileAppears(dir: string, name: string): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      if (!existsSync(`${dir}/${name}`)) return;
      watcher.close();
      resolve();
    };
    const watcher = watch(dir, done);
    done();
  });
}

describe('execaRunner', () => {
  it('run: exit code, both streams, stdin', async () => {
    const result = await sh().run(['-c', 'cat; echo oops >&2; exit 3'], { input: 'hello\n' });
    expect(result).toEqual({ exitCode: 3, stdout: 'hello\n', stderr: 'oops\n' });
  });

  it('run: a binary that does not exist could not start', async () => {
    const result = await execaRunner({ binary: '/nonexistent/oc', loginAdvice: '', globalArgs: [] }).run(['whoami']);
    expect(result.failedToStart).toMatch(/ENOENT/);
  });

  it('global flags go after the args, before --', () => {
    const runner = execaRunner({ binary: '/usr/bin/oc', loginAdvice: '', globalArgs: ['--context=prod'] });
    expect(runner.commandLine(['debug', 'node/a', '--', 'sh', '--context=x'])).toEqual(['/usr/bin/oc', 'debug', 'node/a', '--context=prod', '--', 'sh', '--context=x']);
  });

  it('stream: each stream line by line, then the exit', async () => {
    const { out, err, handlers } = collect();
    const proc = sh().stream(['-c', 'echo one; echo two >&2; printf three; exit 4'], handlers);
    expect(await proc.done).toEqual({ exitCode: 4, signal: null });
    expect(out).toEqual(['one', 'three']);
    expect(err).toEqual(['two']);
    expect(liveClientCount()).toBe(0);
  });

  it('stop: SIGINT first, and a client that cleans up on it exits its own way', async () => {
    const { out, line, handlers } = collect();
    const proc = sh().stream(['-c', "trap 'echo removing pod; exit 1' INT; echo started; while :; do sleep 0.05; done"], handlers);
    await line('started');
    expect(liveClientCount()).toBe(1);
    proc.stop();
    expect(await proc.done).toEqual({ exitCode: 1, signal: null });
    expect(out).toEqual(['started', 'removing pod']);
    expect(liveClientCount()).toBe(0);
  });

  it('stop: then SIGTERM, then SIGKILL for a client that ignores both', async () => {
    // The grace periods run on a clock the test moves, so the process answers each signal before the next.
    const clock = new FakeClock();
    const { out, line, handlers } = collect();
    const runner = execaRunner({ binary: '/bin/sh', loginAdvice: '', globalArgs: [], stopGraceMs: { term: 100, kill: 100 }, clock });
    const proc = runner.stream(['-c', "trap '' INT; trap 'echo term' TERM; echo started; while :; do sleep 0.05; done"], handlers);
    await line('started');
    proc.stop();
    await clock.step(100);
    await line('term');
    await clock.step(100);
    const end = await proc.done;
    expect(end.signal).toBe('SIGKILL');
    expect(out).toEqual(['started', 'term']);
  });

  it('stop reaches the whole process group: an oc that is a wrapper script which does not exec', async () => {
    const { out, handlers } = collect();
    const proc = sh().stream(['-c', "sh -c 'echo $$; while :; do sleep 0.05; done'; echo after"], handlers);
    while (out.length === 0) await new Promise((r) => setTimeout(r, 10));
    const inner = Number(out[0]);
    proc.stop();
    await proc.done;
    expect(() => process.kill(inner, 0)).toThrow(/ESRCH/);
    expect(liveClientCount()).toBe(0);
  });

  it('a process that left the group and holds the pipes: the output is cut once the client has exited and the grace is over', async () => {
    const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'oc-icsp-held-'));
    const clock = new FakeClock();
    const { out, handlers } = collect();
    const runner = execaRunner({ binary: '/bin/sh', loginAdvice: '', globalArgs: [], clock });
    const appears = fileAppears(dir, 'pid');
    const proc = runner.stream(['-c', `setsid sh -c 'echo $$ > "${dir}/pid.tmp"; mv "${dir}/pid.tmp" "${dir}/pid"; exec sleep 60' & echo started`], handlers);
    let ended = false;
    void proc.done.then(() => (ended = true));
    await appears;
    // The timer starts when the client exits, which the test cannot see: step until the end.
    while (!ended) {
      await clock.step(DRAIN_AFTER_EXIT_MS);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await proc.done).toEqual({ exitCode: 0, signal: null });
    expect(out).toEqual(['started']);
    process.kill(Number(readFileSync(join(dir, 'pid'), 'utf8')), 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('the escalation on the clock: SIGINT at once, SIGTERM after the first grace period, SIGKILL after both; none once cancelled', async () => {
    const clock = new FakeClock();
    const sent: [number, string][] = [];
    const start = clock.now();
    const stopping = escalator((sig) => sent.push([clock.now() - start, sig]), { term: 3000, kill: 2000 }, clock);
    stopping.start();
    stopping.start();
    await clock.step(10_000);
    expect(sent).toEqual([[0, 'SIGINT'], [3000, 'SIGTERM'], [5000, 'SIGKILL']]);
    const cancelled: string[] = [];
    const other = escalator((sig) => cancelled.push(sig), { term: 3000, kill: 2000 }, clock);
    other.start();
    await clock.step(3000);
    other.cancel();
    await clock.step(10_000);
    expect(cancelled).toEqual(['SIGINT', 'SIGTERM']);
  });

  it('a stream that could not start says so', async () => {
    const proc = execaRunner({ binary: '/nonexistent/oc', loginAdvice: '', globalArgs: [] }).stream(['debug'], collect().handlers);
    expect((await proc.done).failedToStart).toMatch(/^could not run the client: .*ENOENT/);
  });

  it('runDetached: the call outlives us and waits for nothing; the client runs with NO_COLOR where we wait for it', async () => {
    const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'oc-icsp-detached-'));
    const runner = sh();
    // A run first: child_process is loaded with execa.
    expect((await runner.run(['-c', 'printf %s "$NO_COLOR"'])).stdout).toBe('1');
    const appears = fileAppears(dir, 'done');
    runner.runDetached(['-c', `sleep 0.2; echo done > "${join(dir, 'out')}"; mv "${join(dir, 'out')}" "${join(dir, 'done')}"`]);
    // It returned before the call did its work (the call sleeps first).
    expect(existsSync(join(dir, 'done'))).toBe(false);
    await appears;
    expect(readFileSync(join(dir, 'done'), 'utf8')).toBe('done\n');
    rmSync(dir, { recursive: true, force: true });
  });

  it('stopped before it started: it is stopped as soon as it starts', async () => {
    const proc = sh().stream(['-c', "trap 'echo stopped; exit 7' INT; echo started; while :; do sleep 0.05; done"], collect().handlers);
    proc.stop();
    const end = await proc.done;
    // SIGINT reached it before or after its trap was set; either way it ended on it (not on a later SIGTERM or SIGKILL).
    expect([7, 'SIGINT']).toContain(end.exitCode === 7 ? 7 : end.signal);
    expect(liveClientCount()).toBe(0);
  });
});
