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
writeFileSync(join(dir, 'status.json'), JSON.stringify({ apiVersion: 'oc-icsp/v1', kind: 'Status', pools: [], nodes: [] }));
writeFileSync(join(dir, 'not-json.json'), '{"apiVersion": "oc-icsp/v3", ');
// Edited by hand: an attempt that is no object.
writeFileSync(join(dir, 'edited.json'), JSON.stringify({ apiVersion: 'oc-icsp/v1', kind: 'VerifyImages', summary: 'x', check: 'manifest', strategy: 'oc debug', nodeSets: [['a']], images: [{ image: 'q', outcomes: [{ verdict: 'mirrored', nodes: 0, attempts: [null] }] }] }));

function run(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(BIN, args, { encoding: 'utf8', env: { PATH: `${dir}:/usr/bin:/bin`, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const D64 = 'a'.repeat(64);
// The whole table is in verify-args.test.ts, in-process; these few cross the process boundary.
const cases: [string[], RegExp][] = [
  [['verify', 'Quay.io/Org/App'], /^error: invalid image reference "Quay\.io\/Org\/App": repository name "Org\/App" must be lowercase$/],
  [['verify', 'quay.io/a;touch /tmp/pwned'], /white space/],
  [['verify', `quay.io/a@sha256:${D64}`, '--timeout', 'soon'], /^error: --timeout "soon" is not a duration/],
  [['verify', `quay.io/a@sha256:${D64}`, '--bogus'], /Unknown argument/],
  [['verify', `quay.io/a@sha256:${D64}`, '--client', '/nonexistent/oc'], /client "\/nonexistent\/oc" not found or not executable/],
  [['verify', `quay.io/a@sha256:${D64}`, '--report', '/nonexistent/page.html'], /^error: --report \/nonexistent\/page\.html: \/nonexistent is not a directory: create it first/],
  [['verify', `quay.io/a@sha256:${D64}`, '--report', '-'], /^error: --report names a file to write the page to; stdout keeps the verify output/],
  [['verify', `quay.io/a@sha256:${D64}`, '--report', '/tmp'], /^error: --report \/tmp: is a directory: name a file, such as \/tmp\/report\.html$/],
  [['verify', `quay.io/a@sha256:${D64}`, '--report', join(dir, 'p.html'), '--dry-run'], /^error: --report draws the verdicts of a run, and --dry-run runs nothing/],
  [['audit', '--report', '/nonexistent/page.html'], /^error: --report \/nonexistent\/page\.html: \/nonexistent is not a directory/],
  [['report', join(dir, 'status.json')], /^error: .*status\.json: a Status document \(oc-icsp\/v1\): the page is drawn from Verify \(oc-icsp\/v3\), VerifyImages \(oc-icsp\/v1\), Audit \(oc-icsp\/v1\)/],
  [['report', join(dir, 'not-json.json')], /^error: .*not-json\.json: not JSON \(.*\): give a document saved with -o json or -o yaml$/],
  [['report', join(dir, 'edited.json')], /^error: .*edited\.json: a VerifyImages document with fields not as -o json writes them \(.*\): save it again with -o json$/],
  [['report', join(dir, 'none.json')], /^error: .*none\.json: no such file or directory$/],
  [['report'], /^error: report needs one DOCUMENT: a file saved with -o json or -o yaml, or - for stdin/],
  [['verify', `quay.io/a@sha256:${D64}`, '--log-dir', '/etc/passwd/x'], /^error: \/etc\/passwd\/x: a part of the path is not a directory \(mkdir\): give a path whose parents are directories$/],
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
