// Bad input: one `error: …` line on stderr, exit 2, no stack, and the client is never run.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = join(process.cwd(), 'dist/oc-icsp');
const dir = mkdtempSync(join(tmpdir(), 'oc-icsp-cli-'));
const called = join(dir, 'called');
// A client that only records that it was started.
writeFileSync(join(dir, 'oc'), `#!/bin/sh\necho "$@" >> "${called}"\necho system:admin\n`);
chmodSync(join(dir, 'oc'), 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(BIN, args, { encoding: 'utf8', env: { PATH: `${dir}:/usr/bin:/bin`, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const D64 = 'a'.repeat(64);
const cases: [string[], RegExp][] = [
  [['verify', 'Quay.io/Org/App'], /^error: invalid image reference "Quay\.io\/Org\/App": repository name "Org\/App" must be lowercase$/],
  [['verify', 'quay.io/a@sha256:123'], /sha256 digest needs 64 hex characters, got 3/],
  [['verify', 'quay.io/a;touch /tmp/pwned'], /white space/],
  [['verify', 'quay.io/a$(id)'], /path component "a\$\(id\)"/],
  [['verify', `quay.io/a:${'x'.repeat(129)}`], /tag is 129 characters long/],
  [['verify', `quay.io/a@sha256:${D64}`, '--timeout', 'soon'], /^error: --timeout "soon" is not a duration: use e\.g\. 90s, 5m, 1h or plain seconds$/],
  [['verify', `quay.io/a@sha256:${D64}`, '--timeout', '0'], /--timeout "0" must be more than zero/],
  [['verify', `quay.io/a@sha256:${D64}`, '--parallel', '0'], /--parallel must be a whole number of at least 1/],
  [['verify', `quay.io/a@sha256:${D64}`, '--parallel', '2.5'], /--parallel must be a whole number/],
  [['verify', `quay.io/a@sha256:${D64}`, '--nodes', 'w0,$(id)'], /--nodes: "\$\(id\)" is not a valid node name/],
  [['verify', `quay.io/a@sha256:${D64}`, '-o', 'xml'], /Invalid values/],
  [['verify', `quay.io/a@sha256:${D64}`, '--bogus'], /Unknown argument/],
  [['verify'], /Not enough non-option arguments/],
  [['frobnicate'], /Unknown argument: frobnicate/],
  [['verify', `quay.io/a@sha256:${D64}`, '--image=-rf'], /^error: --image: invalid image reference "-rf"/],
  [['verify', `quay.io/a@sha256:${D64}`, '--image', 'Bad Image'], /^error: --image: invalid image reference "Bad Image": it contains white space/],
  [['verify', `quay.io/a@sha256:${D64}`, '--client', '/nonexistent/oc'], /client "\/nonexistent\/oc" not found or not executable/],
];

describe('bad input never reaches a node', () => {
  for (const [args, message] of cases) {
    it(args.join(' ').slice(0, 80), () => {
      const { code, stdout, stderr } = run(args);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.split('\n')[0]).toMatch(message);
      expect(stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(called)).toBe(false);
    });
  }
});

describe('environment errors', () => {
  it('no oc and no kubectl on PATH', () => {
    // node is started directly: with this PATH the shebang's env could not find it.
    const direct = spawnSync(process.execPath, [BIN, 'verify', `quay.io/a@sha256:${D64}`], { encoding: 'utf8', env: { PATH: '/nonexistent' } });
    expect(direct.status).toBe(2);
    expect(direct.stderr).toBe('error: neither oc nor kubectl is on PATH: install the OpenShift CLI (oc), or pass --client PATH\n');
  });
});
