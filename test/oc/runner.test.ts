// The process layer against real processes: /bin/sh stands in for the client binary.
import { describe, expect, it } from 'vitest';
import { execaRunner, liveClientCount } from '../../src/oc/runner.js';

const sh = (grace = { term: 200, kill: 200 }) => execaRunner({ binary: '/bin/sh', loginAdvice: 'run `oc login`', globalArgs: [], stopGraceMs: grace });

function collect() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, handlers: { onStdoutLine: (l: string) => out.push(l), onStderrLine: (l: string) => err.push(l) } };
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
    const { out, handlers } = collect();
    const proc = sh().stream(['-c', "trap 'echo removing pod; exit 1' INT; echo started; while :; do sleep 0.05; done"], handlers);
    while (!out.includes('started')) await new Promise((r) => setTimeout(r, 10));
    expect(liveClientCount()).toBe(1);
    proc.stop();
    expect(await proc.done).toEqual({ exitCode: 1, signal: null });
    expect(out).toEqual(['started', 'removing pod']);
    expect(liveClientCount()).toBe(0);
  });

  it('stop: then SIGTERM, then SIGKILL for a client that ignores both', async () => {
    const { out, handlers } = collect();
    const proc = sh({ term: 100, kill: 100 }).stream(['-c', "trap '' INT; trap 'echo term' TERM; echo started; while :; do sleep 0.05; done"], handlers);
    while (!out.includes('started')) await new Promise((r) => setTimeout(r, 10));
    const before = Date.now();
    proc.stop();
    const end = await proc.done;
    expect(end.signal).toBe('SIGKILL');
    expect(out).toContain('term');
    expect(Date.now() - before).toBeGreaterThanOrEqual(150);
  });

  it('a stream that could not start says so', async () => {
    const proc = execaRunner({ binary: '/nonexistent/oc', loginAdvice: '', globalArgs: [] }).stream(['debug'], collect().handlers);
    expect((await proc.done).failedToStart).toMatch(/^could not run the client: .*ENOENT/);
  });

  it('runDetached: the call outlives us and waits for nothing; the client runs with NO_COLOR where we wait for it', async () => {
    const { mkdtempSync, readFileSync, existsSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'oc-icsp-detached-'));
    const runner = sh();
    // A run first: child_process is loaded with execa.
    expect((await runner.run(['-c', 'printf %s "$NO_COLOR"'])).stdout).toBe('1');
    const started = Date.now();
    runner.runDetached(['-c', `sleep 0.2; echo done > "${join(dir, 'out')}"`]);
    expect(Date.now() - started).toBeLessThan(150);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    for (let i = 0; i < 100 && !existsSync(join(dir, 'out')); i++) await new Promise((r) => setTimeout(r, 20));
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('done\n');
    rmSync(dir, { recursive: true, force: true });
  });

  it('stopped before it started: it is stopped as soon as it starts', async () => {
    const proc = sh().stream(['-c', "trap 'echo stopped; exit 7' INT; echo started; while :; do sleep 0.05; done"], collect().handlers);
    const asked = Date.now();
    proc.stop();
    const end = await proc.done;
    // SIGINT reached it before or after its trap was set; either way it ended at once.
    expect([7, 'SIGINT']).toContain(end.exitCode === 7 ? 7 : end.signal);
    expect(Date.now() - asked).toBeLessThan(2000);
    expect(liveClientCount()).toBe(0);
  });
});
