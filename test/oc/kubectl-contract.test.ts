// Contract with the real kubectl (1.32 on these machines): every command line the kubectl path
// builds, run against a server that refuses connections, must fail on the connection, never on
// a flag, a verb or a usage error. The command lines are recorded from a whole verify run (one
// node that answers, one that hangs until the timeout, so the pod status is read too), plus
// --dry-run, so none is written out by hand here.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planVerify, verify } from '../../src/app/verify.js';
import { openClient } from '../../src/oc/client.js';
import { probeLogArgs } from '../../src/oc/daemonset-objects.js';
import type { OcRunner, ProcessEnd } from '../../src/oc/runner.js';

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const haveKubectl = kubectl.status === 0;
const dir = mkdtempSync(join(tmpdir(), 'oc-icsp-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const kubeconfig = join(dir, 'kubeconfig');
writeFileSync(
  kubeconfig,
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'closed', cluster: { server: 'https://127.0.0.1:1' } }],
    users: [{ name: 'u', user: { token: 'not-a-real-token' } }],
    contexts: [{ name: 'closed', context: { cluster: 'closed', user: 'u' } }],
    'current-context': 'closed',
  }),
);

const IMAGE = `registry.example.com/team/app@sha256:${'e'.repeat(64)}`;
const node = (name: string) => ({ metadata: { name }, status: { conditions: [{ type: 'Ready', status: 'True' }] } });

/** Answers like a cluster that has two nodes and no policies, and records every call with its stdin. */
function recordingKubectl(): OcRunner & { recorded: { args: string[]; input: string }[] } {
  const recorded: { args: string[]; input: string }[] = [];
  return {
    binary: 'kubectl',
    loginAdvice: 'x',
    recorded,
    commandLine: (args) => ['kubectl', ...args],
    runDetached: (args) => recorded.push({ args, input: '' }),
    async run(args, options) {
      recorded.push({ args, input: options?.input ?? '' });
      const [verb, what] = args;
      if (verb === 'auth') return { exitCode: 0, stdout: 'admin', stderr: '' };
      if (verb === 'get' && what === 'nodes') return { exitCode: 0, stdout: JSON.stringify({ items: [node('answers'), node('hangs')] }), stderr: '' };
      if (verb === 'get' && what === 'namespaces') return { exitCode: 0, stdout: '{"items":[]}', stderr: '' };
      if (verb === 'get' && what === 'pod') return { exitCode: 0, stdout: '{"status":{"phase":"Pending"}}', stderr: '' };
      if (verb === 'get') return { exitCode: 0, stdout: what === 'images.config.openshift.io' ? '' : '{"items":[]}', stderr: '' };
      if (verb === 'create') {
        const first = JSON.parse((options?.input ?? '{}').split('\n')[0]!);
        const name = first.kind === 'Namespace' ? `namespace/${first.metadata.name ?? 'oc-icsp-abcde'}` : `pod/${first.spec.nodeName}-icsp-x1`;
        return { exitCode: 0, stdout: `${name}\n`, stderr: '' };
      }
      return { exitCode: 0, stdout: '', stderr: '' };
    },
    stream(args, handlers) {
      recorded.push({ args, input: '' });
      let end: (e: ProcessEnd) => void = () => {};
      const done = new Promise<ProcessEnd>((resolve) => (end = resolve));
      // A log read without -f ends by itself.
      if (args.includes('pod/answers-icsp-x1') || (args[0] === 'logs' && !args.includes('-f'))) setImmediate(() => end({ exitCode: 0, signal: null }));
      // The DaemonSet's pod watch: one probe ended with no report in its message (its log is
      // read), the other still running at the timeout (what it has logged so far is read).
      if (args.includes('--watch') && args[1] === 'pods') {
        const states = ['{"terminated":{"exitCode":0}}', '{"running":{}}'];
        setImmediate(() => ['answers', 'hangs'].forEach((n, i) => handlers.onStdoutLine([`oc-icsp-probe-0-${i}`, n, n, states[i], ''].join('\x1f'))));
      }
      return { stop: () => end({ exitCode: 1, signal: null }), done: done.then((e) => (handlers.onStderrLine(''), e)) };
    },
  };
}

async function kubectlCommandLines(): Promise<{ args: string[]; input: string }[]> {
  const runner = recordingKubectl();
  const client = openClient('kubectl', runner);
  const request = { images: [IMAGE], check: 'pull' as const, maxImages: 5, selector: 'node-role.kubernetes.io/worker', nodeNames: undefined, parallel: 2, timeoutMs: 50, keepImage: false };
  const nodeRunner = client.nodeRunner({ image: 'registry.example.com/tools:1' });
  await verify(request, { client, nodeRunner, signal: new AbortController().signal, logSink: undefined });
  const plan = await planVerify(request, { client, nodeRunner });
  for (const call of plan.calls) runner.recorded.push({ args: call.argv.slice(1), input: call.stdin ?? '' });
  // A probe whose report did not fit, read on its own once its shard has been read.
  runner.recorded.push({ args: probeLogArgs('oc-icsp-abcdef01', 'oc-icsp-probe-0-x1'), input: '' });
  // The DaemonSet way, run for real (its plan names a run id no selector accepts: not sent).
  await verify(request, { client, nodeRunner: client.nodeRunner({ image: 'registry.example.com/tools:1', strategy: 'daemonset' }), signal: new AbortController().signal, logSink: undefined });
  const seen = new Set<string>();
  return runner.recorded.filter((c) => !seen.has(JSON.stringify(c.args)) && seen.add(JSON.stringify(c.args)));
}

describe.skipIf(!haveKubectl)('kubectl accepts every command line the plugin builds for it', async () => {
  const lines = haveKubectl ? await kubectlCommandLines() : [];

  it('covers each verb the kubectl path uses', () => {
    expect([...new Set(lines.map((l) => l.args.slice(0, 2).join(' ')))].sort()).toEqual([
      'auth whoami',
      'create -f',
      'delete daemonsets',
      'delete namespace',
      'delete pod',
      'get clusterimagepolicies.config.openshift.io',
      'get criocredentialproviderconfigs.config.openshift.io',
      'get imagecontentsourcepolicies.operator.openshift.io',
      'get imagedigestmirrorsets.config.openshift.io',
      'get imagepolicies.config.openshift.io',
      'get images.config.openshift.io',
      'get imagetagmirrorsets.config.openshift.io',
      'get machineconfigpools.machineconfiguration.openshift.io',
      'get namespaces',
      'get nodes',
      'get pod',
      'get pods',
      'logs -f',
      'logs -n',
    ]);
  });

  it('never an oc-only flag or verb', () => {
    for (const { args } of lines) {
      expect(args).not.toContain('debug');
      expect(args.some((a) => a.startsWith('--to-namespace'))).toBe(false);
    }
  });

  it.each(lines.map((l) => [l.args.slice(0, 3).join(' '), l] as const))('%s', (_name, { args, input }) => {
    const run = spawnSync('kubectl', [...args, `--kubeconfig=${kubeconfig}`, '--request-timeout=2s'], {
      input,
      encoding: 'utf8',
      timeout: 20_000,
      env: { PATH: process.env.PATH, HOME: dir },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/127\.0\.0\.1:1.*(was refused|connection refused)/);
    expect(run.stderr).not.toMatch(/unknown flag|unknown command|unknown shorthand|invalid argument|for usage|required flag/i);
  });
});

// kubectl's version, for the record in a failure.
it.skipIf(!haveKubectl)('kubectl is 1.26 or later (plugin completion helpers)', () => {
  const minor = Number(/Client Version: v1\.(\d+)/.exec(kubectl.stdout)?.[1]);
  expect(minor).toBeGreaterThanOrEqual(26);
});
