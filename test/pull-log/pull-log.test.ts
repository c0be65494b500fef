// The reader against real podman 4.3 logs: the shared captures and our own sandbox captures.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPullLog } from '../../src/pull-log/pull-log.js';
import { readReference } from '../reference-data.js';

const DIGEST = 'sha256:2cc61de807ab6eb22a0587fb00fdf82d0627e1739b64b4b63e79cdcfc933ac34';
const SOURCE = `registry.example.com/team/app@${DIGEST}`;

function reference(name: string, exitCode: number) {
  return readPullLog(readReference(`podman-logs/${name}.stderr`), exitCode);
}

const summary = (log: ReturnType<typeof readPullLog>) => log.attempts.map((a) => [a.reference, a.ok ? 'ok' : a.reason]);

describe('shared podman-logs captures', () => {
  const cases: [string, number, [string, string | null][], boolean][] = [
    ['mirrored-digest', 0, [[`127.0.0.1:32915/mirror/team/app@${DIGEST}`, 'ok']], true],
    [
      'second-mirror-after-manifest-unknown',
      0,
      [
        [`127.0.0.1:32915/not-there/team/app@${DIGEST}`, 'manifest-unknown'],
        [`127.0.0.1:32915/mirror/team/app@${DIGEST}`, 'ok'],
      ],
      true,
    ],
    [
      'mirror-unauthorized-then-source-dns',
      125,
      [
        [`127.0.0.1:35943/secure/team/app@${DIGEST}`, 'unauthorized'],
        [SOURCE, 'dns'],
      ],
      false,
    ],
    ['mirror-with-credentials', 0, [[`127.0.0.1:35943/secure/team/app@${DIGEST}`, 'ok']], true],
    [
      'mirror-x509-then-source-dns',
      125,
      [
        [`127.0.0.1:38031/tls/team/app@${DIGEST}`, 'tls'],
        [SOURCE, 'dns'],
      ],
      false,
    ],
    [
      'mirror-http-to-https-client',
      125,
      [
        [`127.0.0.1:32915/mirror/team/app@${DIGEST}`, 'tls'],
        [SOURCE, 'dns'],
      ],
      false,
    ],
    [
      'mirror-connection-refused',
      125,
      [
        [`127.0.0.1:1/mirror/team/app@${DIGEST}`, 'connection-refused'],
        [SOURCE, 'dns'],
      ],
      false,
    ],
    ['tag-under-digest-only-policy', 125, [['registry.example.com/team/app:latest', 'dns']], false],
    ['no-matching-entry', 125, [[SOURCE, 'dns']], false],
    ['tag-only-mirror-ITMS-style', 0, [['127.0.0.1:32915/mirror/team/app:latest', 'ok']], true],
    [
      'blocked-source-NeverContactSource-style',
      125,
      [
        [`127.0.0.1:32915/not-there/team/app@${DIGEST}`, 'manifest-unknown'],
        [SOURCE, 'blocked'],
      ],
      false,
    ],
  ];
  for (const [name, exitCode, attempts, pulled] of cases) {
    it(name, () => {
      const log = reference(name, exitCode);
      expect(summary(log)).toEqual(attempts);
      expect(log.pulled).toBe(pulled);
      if (!pulled) expect(log.error).toMatch(/^initializing source docker:\/\//);
    });
  }

  it('keeps the full failure message of each attempt', () => {
    const log = reference('mirror-x509-then-source-dns', 125);
    expect(log.attempts[0]!.message).toBe(
      'pinging container registry 127.0.0.1:38031: Get "https://127.0.0.1:38031/v2/": x509: certificate signed by unknown authority',
    );
    expect(log.registriesFiles).toContain('/var/tmp/case/registries.conf');
  });

  it('does not mistake local-storage "Trying" lines for attempts', () => {
    const text = readReference('podman-logs/mirrored-digest.stderr');
    expect(text).toContain('msg="Trying \\"registry.example.com');
    expect(reference('mirrored-digest', 0).attempts).toHaveLength(1);
  });

  it('reads the log one line at a time, whatever the chunking', () => {
    const whole = reference('second-mirror-after-manifest-unknown', 0);
    const text = readReference('podman-logs/second-mirror-after-manifest-unknown.stderr');
    expect(readPullLog(text.replace(/\n/g, '\n\n'), 0)).toEqual(whole);
  });
});

describe('terminal (DEBU[0000]) format, captured through a pty', () => {
  it('strips colours and carriage returns', () => {
    const log = readPullLog(readFileSync('test/fixtures/podman-terminal-format.log', 'utf8'), 125);
    expect(summary(log)).toEqual([
      ['127.0.0.1:1/mirror/team/app@sha256:ed0758f0c3025b18efd9a6be002cb052ea209fee69fabe818979512ae18433c0', 'connection-refused'],
      ['registry.sandbox.invalid/team/app@sha256:ed0758f0c3025b18efd9a6be002cb052ea209fee69fabe818979512ae18433c0', 'dns'],
    ]);
    expect(log.attempts[1]!.message).toContain('no such host');
  });
});

describe('a source chosen, then the copy failing (captured against a mirror that fails its blobs)', () => {
  it('charges the failure to that attempt', () => {
    const log = readPullLog(readFileSync('test/fixtures/podman-blob-failure.log', 'utf8'), 125);
    expect(log.pulled).toBe(false);
    expect(log.attempts).toHaveLength(1);
    expect(log.attempts[0]).toMatchObject({
      ok: false,
      reason: 'other',
      message: 'parsing image configuration: Error fetching blob: invalid status code from registry 500 (Internal Server Error)',
    });
  });
});

// A real retry, captured in the sandbox: a node whose cluster proxy is down (proxyconnect
// errors are retryable), so c/common's retry runs the whole sequence four times.
describe('retries repeat the whole sequence; the last round decides', () => {
  it('resets on c/common retry warnings', () => {
    const text = readFileSync('test/fixtures/node-logs/digest-proxy-down.log', 'utf8');
    const pull = text.slice(text.indexOf('section pull'), text.indexOf('pull-exit'));
    expect(pull.match(/Failed, retrying in 1s/g)).toHaveLength(3);
    const log = readPullLog(pull, 125);
    expect(log.attempts.map((a) => a.reason)).toEqual(['connection-refused', 'connection-refused']);
  });
});
