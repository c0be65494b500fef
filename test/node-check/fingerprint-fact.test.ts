// The fingerprint fact read from real survey logs: the sandbox's nodes, each with its own files,
// surveyed by a composed `verify --log-dir` (scripts/capture-fixtures.mjs survey).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { reachOf } from '../../src/node-check/facts/fingerprint.js';
import { readNodeOutput } from '../../src/node-check/node-output.js';

const survey = (node: string) => readNodeOutput(readFileSync(`test/fixtures/node-logs-survey/${node}.survey.log`, 'utf8'));
const NODES = ['mirrored', 'missing-credentials', 'needs-credentials', 'no-entry', 'not-on-mirror', 'proxied', 'proxy-down', 'quay-missing', 'untrusted-tls'];

describe('the fingerprint fact', () => {
  it('gives each node with files of its own a digest of its own', () => {
    const digests = NODES.map((n) => survey(n).facts.fingerprint!.digest);
    for (const d of digests) expect(d).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(digests).size).toBe(NODES.length);
  });

  it('reads what each node network answered each host: a registry that answered (401, 404, plain HTTP) is reached', () => {
    const reach = survey('mirrored').facts.fingerprint!.reach;
    const hosts = Object.keys(reach);
    expect(hosts[0]).toBe('registry.sandbox.invalid');
    expect(reach['registry.sandbox.invalid']).toBe('dns');
    for (const h of hosts.slice(1)) expect(reach[h]).toBe('reached');
  });

  it('answers through the node proxy: the sandbox proxy ends the source request (unexpected EOF), a dead one refuses the source, and the mirrors in NO_PROXY are reached without it', () => {
    expect(survey('proxied').facts.fingerprint!.reach['registry.sandbox.invalid']).toBe('other');
    const { 'registry.sandbox.invalid': source, ...mirrors } = survey('proxy-down').facts.fingerprint!.reach;
    expect(source).toBe('connection-refused');
    expect(new Set(Object.values(mirrors))).toEqual(new Set(['reached']));
  });

  it('is not asked for in a run of one image (no hosts): no fingerprint', () => {
    const log = readFileSync('test/fixtures/node-logs/digest-mirrored.log', 'utf8');
    expect(readNodeOutput(log).facts.fingerprint).toBeNull();
  });

  it('reads a registry whose certificate the node does not trust as tls (a real line of the same ping, digest-untrusted-tls.log)', () => {
    const line = readFileSync('test/fixtures/node-logs/digest-untrusted-tls.log', 'utf8').split('\n').find((l) => l.includes('failed: pinging container registry'))!;
    expect(reachOf(1, line)).toBe('tls');
    expect(reachOf(0, '')).toBe('reached');
  });
});
