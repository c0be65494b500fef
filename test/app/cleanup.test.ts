// cleanup and verify's leftover warning, in-process against the table-driven client answering
// with what the real kubectl printed after a killed run (test/fixtures/cluster).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanup, cleanupOutcome, leftoverWarning } from '../../src/app/cleanup.js';
import { openClient } from '../../src/oc/client.js';
import { type Expected, fakeRunner } from '../fake-runner.js';
import { warned } from '../words.js';

const NAMESPACES = readFileSync('test/fixtures/cluster/leftover-namespaces.json', 'utf8');
const CONTENTS = readFileSync('test/fixtures/cluster/leftover-contents.txt', 'utf8');
const NS = JSON.parse(NAMESPACES).items[0].metadata.name as string;
const CREATED = new Date(JSON.parse(NAMESPACES).items[0].metadata.creationTimestamp as string);
const LIST: Expected = { args: ['get', 'namespaces', '--selector=app.kubernetes.io/managed-by=oc-icsp', '-o', 'json'], result: { stdout: NAMESPACES } };
const WHOAMI: Expected = { args: ['whoami'], result: { stdout: 'system:admin\n' } };
const CONTENTS_CALL: Expected = { args: ['get', 'daemonsets,pods', '-n', NS, '-o', 'name'], result: { stdout: CONTENTS } };
const DELETE = (exitCode = 0): Expected => ({ args: ['delete', 'namespace', NS, '--ignore-not-found', '--wait=false'], result: { exitCode, stderr: exitCode ? 'Error from server (Forbidden): namespaces "x" is forbidden' : '' } });
const hours = (h: number) => new Date(CREATED.getTime() + h * 3_600_000);

describe('cleanup', () => {
  it('removes a namespace older than --older-than, saying what it held', async () => {
    const result = await cleanup(openClient('oc', fakeRunner([WHOAMI, LIST, CONTENTS_CALL, DELETE()])), { olderThanMs: 3_600_000, dryRun: false, now: hours(2) });
    expect(result.kept).toBe(0);
    expect(result.leftovers).toEqual([{ namespace: NS, runId: NS.replace('oc-icsp-', ''), ageMs: 7_200_000, contents: CONTENTS.trim().split('\n'), removed: true }]);
    expect(result.leftovers[0]!.contents[0]).toBe('daemonset.apps/oc-icsp-probe-0');
    expect(cleanupOutcome(result.leftovers, false)).toBe('clean');
  });

  it('keeps a younger one, and counts it', async () => {
    const result = await cleanup(openClient('oc', fakeRunner([WHOAMI, LIST])), { olderThanMs: 3_600_000, dryRun: false, now: hours(0.5) });
    expect(result).toEqual({ leftovers: [], kept: 1 });
  });

  it('a dry run removes nothing and finds nothing wrong in that; a refused delete is a finding', async () => {
    const dry = await cleanup(openClient('oc', fakeRunner([WHOAMI, LIST, CONTENTS_CALL])), { olderThanMs: 0, dryRun: true, now: hours(0) });
    expect(dry.leftovers.map((l) => l.removed)).toEqual([false]);
    expect(cleanupOutcome(dry.leftovers, true)).toBe('clean');
    const refused = await cleanup(openClient('oc', fakeRunner([WHOAMI, LIST, CONTENTS_CALL, DELETE(1)])), { olderThanMs: 0, dryRun: false, now: hours(0) });
    expect(refused.leftovers.map((l) => l.removed)).toEqual([false]);
    expect(cleanupOutcome(refused.leftovers, false)).toBe('findings');
  });
});

describe("verify's leftover warning", () => {
  it('an hour old or more: how many, which, and the command as the user typed the plugin', async () => {
    expect(warned((await leftoverWarning(openClient('oc', fakeRunner([LIST])), hours(1)))!, { invokedAs: 'kubectl icsp' })).toBe(
      `1 namespace(s) of earlier oc icsp runs are over an hour old (${NS}): remove them with \`kubectl icsp cleanup\``,
    );
  });
  it('younger, or the list refused: no warning', async () => {
    expect(await leftoverWarning(openClient('oc', fakeRunner([LIST])), hours(0.99))).toBeNull();
    expect(await leftoverWarning(openClient('oc', fakeRunner([{ ...LIST, result: { exitCode: 1, stderr: 'Error from server (Forbidden)' } }])), hours(5))).toBeNull();
  });
});
