// What runs on nodes is shell: shellcheck reads every .sh file of src/, and the node script runs
// for real under both POSIX shells a node's /bin/sh may be (dash, bash --posix), with the
// machine's real podman and skopeo, its output read back by the reader verify uses.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPORT, REPORT_PREFIX, REPORT_ROOM } from '../../src/oc/daemonset-objects.js';
import { NODE_SCRIPT, NODE_SCRIPT_SOURCE, nodeCommand } from '../../src/node-check/node-script.js';
import { withoutComments } from '../../src/node-check/shell-text.js';
import { MARKER, NodeOutputReader } from '../../src/node-check/node-output.js';

const has = (command: string) => spawnSync('sh', ['-c', 'command -v "$0"', command]).status === 0;
const isRoot = process.getuid?.() === 0;
const shellFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? shellFiles(join(dir, e.name)) : e.name.endsWith('.sh') ? [join(dir, e.name)] : []));

// The node script's parts use what the parts before them define: they are read put together.
const nodeScriptParts = shellFiles('src').filter((file) => NODE_SCRIPT_SOURCE.includes(readFileSync(file, 'utf8')));
const shellcheck = (args: string[], input?: string) => spawnSync('shellcheck', ['--shell=sh', '--severity=style', ...args], { encoding: 'utf8', input });

describe.skipIf(!has('shellcheck'))('shellcheck', () => {
  it.each(shellFiles('src').filter((f) => !nodeScriptParts.includes(f)))('%s: no finding', (file) => {
    const run = shellcheck([file]);
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
  it(`the node script, put together from ${nodeScriptParts.length} parts: no finding`, () => {
    expect(nodeScriptParts.length).toBeGreaterThan(2);
    const run = shellcheck(['-'], NODE_SCRIPT_SOURCE);
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
describe.skipIf(has('shellcheck'))('shellcheck', () => {
  it.skip('is not installed (the Debian package shellcheck; .ci/run installs it)', () => {});
});

describe('the scripts as shipped', () => {
  it('lose their whole-line comments only', () => {
    expect(withoutComments('#!/bin/sh\n# why\n  # indented why\necho "#not" # kept\n')).toBe('#!/bin/sh\necho "#not" # kept\n');
    expect(withoutComments('# a\ncat <<EOF\n# text\nEOF\n# b\n')).toBe('cat <<EOF\n# text\nEOF\n# b\n');
    expect(NODE_SCRIPT).not.toMatch(/^\s*#/m);
    expect(NODE_SCRIPT.length).toBeLessThan(NODE_SCRIPT_SOURCE.length);
    expect(withoutComments(NODE_SCRIPT_SOURCE)).toBe(NODE_SCRIPT);
  });
  it("say the protocol's words as the TypeScript side does", () => {
    expect(NODE_SCRIPT).toContain(`printf '\\n${MARKER} %s\\n'`);
    expect(REPORT).toContain(`[ \${#m} -le ${REPORT_ROOM} ] && printf '%s %s %s' ${REPORT_PREFIX} "$status"`);
  });
});

const SHELLS = [['dash'], ['bash', '--posix']];
// Nothing listens on port 1 of loopback: every attempt is refused, for real.
const IMAGE = '127.0.0.1:1/team/app:1';

/**
 * The script's argv under `shell`. With `varTmp`, it runs in a mount namespace of its own with
 * that directory bound over /var/tmp, so what it leaves there is its own (e2e suites beside it
 * run node scripts too).
 */
function runNodeScript(shell: string[], check: 'manifest' | 'pull', varTmp?: string) {
  const [, , , , script, ...args] = nodeCommand({ images: [IMAGE], check, keepImage: false, repositories: ['127.0.0.1:1/team'] });
  expect(script).toBe(NODE_SCRIPT);
  const argv = [...shell, '-c', script!, ...args];
  const bind = 'mount --bind "$0" /var/tmp && exec "$@"';
  const [command, ...rest] = varTmp ? ['unshare', '--mount', '--propagation', 'private', '--', 'sh', '-c', bind, varTmp, ...argv] : argv;
  const run = spawnSync(command!, rest, { encoding: 'utf8', timeout: 60_000 });
  const reader = new NodeOutputReader();
  for (const line of run.stdout.split('\n')) reader.feed(line);
  return { status: run.status, report: reader.result() };
}

const tools = has('podman') && has('skopeo');
describe.skipIf(!tools)('the node script, run for real under each POSIX shell', () => {
  it.each(SHELLS)('%s: a manifest read refused by the registry, read back whole', (...shell) => {
    const { status, report } = runNodeScript(shell, 'manifest');
    expect(status).toBe(0);
    expect(report.complete).toBe(true);
    expect(report.facts.podman).toMatch(/^\d+\.\d+/);
    expect(report.facts.credentials).toEqual({ '127.0.0.1:1/team': false });
    expect(report.pulls).toHaveLength(1);
    expect(report.pulls[0]!.exitCode).toBe(1);
    expect(report.pulls[0]!.log.attempts.map((a) => [a.reference, a.ok, a.reason])).toEqual([[IMAGE, false, 'connection-refused']]);
  });
  // This machine has no pull secret at /var/lib/kubelet/config.json: podman refuses the pull
  // before any attempt, as it would on a node without one.
  it.runIf(isRoot).each(SHELLS)('%s: a pull into a throwaway store under /var/tmp, removed after', (...shell) => {
    const varTmp = mkdtempSync(join(tmpdir(), 'oc-icsp-var-tmp-'));
    try {
      const { status, report } = runNodeScript(shell, 'pull', varTmp);
      expect(status).toBe(0);
      expect(report.complete).toBe(true);
      expect(report.facts.lowDisk).not.toBeNull();
      expect(report.pulls[0]!.exitCode).toBe(125);
      expect(report.pulls[0]!.log.error).toContain('/var/lib/kubelet/config.json: no such file or directory');
      expect(readdirSync(varTmp)).toEqual([]);
    } finally {
      rmSync(varTmp, { recursive: true, force: true });
    }
  });
});
describe.skipIf(tools)('the node script, run for real under each POSIX shell', () => {
  it.skip('needs podman and skopeo (Debian packages; .ci/run installs them)', () => {});
});
