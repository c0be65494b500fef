// The sandbox's API server, driven by the machine's real kubectl and nothing of ours: discovery,
// OpenAPI-validated creates, generateName, whoami, Status errors, and pod logs that refuse a
// container still waiting and stream one that runs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, canRunSandbox, envFor, requests, sandbox, type Sandbox, suiteDir, useSandbox, waitFor } from './helpers.js';

let s: Sandbox;
const work = suiteDir('oc-icsp-kube-api');
useSandbox(work, [{ name: 'worker-0', config: 'mirrored' }, { name: 'infra-0', config: 'mirrored', role: 'infra' }], (created) => {
  s = created;
}, { settings: { podLatencyMs: 1500 } });

const kubectl = (args: string[], input?: string) => spawnSync('kubectl', args, { encoding: 'utf8', env: envFor(s), input });

describe.skipIf(!canRunSandbox)('the real kubectl against the sandbox', () => {
  it('get nodes: a table the server printed', () => {
    const r = kubectl(['get', 'nodes']);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toMatch(/^NAME +STATUS +ROLES +AGE +VERSION\nworker-0 +Ready +worker +\S+ +v1\.31\.\d+\ninfra-0 +Ready +infra /);
  });

  it("discovery: /api and /apis once each, aggregated, as an API server of Kubernetes 1.27 and later answers kubectl", () => {
    const before = requests(s).length;
    const cache = mkdtempSync(join(work, 'kube-cache-'));
    const r = spawnSync('kubectl', ['get', 'daemonsets', '-A', '-o', 'name'], { encoding: 'utf8', env: { ...envFor(s), KUBECACHEDIR: cache } });
    expect(r.status).toBe(0);
    expect(requests(s, before).map((q) => q.path)).toEqual(['/api', '/apis', '/apis/apps/v1/daemonsets']);
  });

  it('get imagecontentsourcepolicies,imagedigestmirrorsets', () => {
    const r = kubectl(['get', 'imagecontentsourcepolicies,imagedigestmirrorsets', '-o', 'name']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      'imagecontentsourcepolicy.operator.openshift.io/sandbox-mirrors',
      'imagedigestmirrorset.config.openshift.io/sandbox-tls-mirror',
      'imagedigestmirrorset.config.openshift.io/sandbox-fallback',
    ]);
  });

  it('auth whoami -o json: a SelfSubjectReview', () => {
    const r = kubectl(['auth', 'whoami', '-o', 'json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', status: { userInfo: { username: 'system:admin' } } });
  });

  it('create -f - of a namespace by generateName, validated on the server', () => {
    const before = sandbox.ledger(s.dir).length;
    const r = kubectl(['create', '-f', '-', '-o', 'name'], JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { generateName: 'try-' } }));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^namespace\/try-[bcdfghjklmnpqrstvwxz2456789]{5}\n$/);
    expect(requests(s, before).find((q) => q.method === 'POST')!.query).toMatch(/fieldValidation=Strict/);
    expect(kubectl(['delete', r.stdout.trim()]).stdout).toMatch(/deleted/);
  });

  it('logs -f of a pod: 400 while its container waits, then the stream until it ends', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'talker', namespace: 'default' },
      spec: { nodeName: 'worker-0', restartPolicy: 'Never', containers: [{ name: 'c', image: 'tools:1', command: ['sh', '-c', 'echo hello; sleep 1; echo bye'] }] },
    };
    expect(kubectl(['create', '-f', '-'], JSON.stringify(pod)).status).toBe(0);
    const early = kubectl(['logs', '-f', 'pod/talker']);
    expect(early.status).toBe(1);
    expect(early.stderr).toBe('Error from server (BadRequest): container "c" in pod "talker" is waiting to start: ContainerCreating\n');
    await waitFor(() => /Running|Succeeded/.test(kubectl(['get', 'pod', 'talker', '-o', 'jsonpath={.status.phase}']).stdout), 10_000);
    const r = kubectl(['logs', '-f', 'pod/talker']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('hello\nbye\n');
    expect(kubectl(['delete', 'pod', 'talker', '--wait=false']).status).toBe(0);
  });

  it('errors as Status: NotFound, Forbidden, AlreadyExists, and a logged-out user', () => {
    expect(kubectl(['get', 'node', 'nope']).stderr).toBe('Error from server (NotFound): nodes "nope" not found\n');
    expect(kubectl(['--context', 'developer', 'get', 'nodes']).stderr).toBe(
      'Error from server (Forbidden): nodes is forbidden: User "developer" cannot list resource "nodes" in API group "" at the cluster scope\n',
    );
    expect(kubectl(['create', 'namespace', 'default']).stderr).toBe('Error from server (AlreadyExists): namespaces "default" already exists\n');
    sandbox.fault(s, { kind: 'logged-out' });
    try {
      expect(kubectl(['get', 'nodes']).stderr).toMatch(/error: You must be logged in to the server \(Unauthorized\)\n$/);
    } finally {
      sandbox.clearFault(s, 'logged-out');
    }
  });

  it('the plugin as a user without rights: the forbidden answer, and what to do', () => {
    const r = spawnSync(BIN, ['verify', s.image, '--context', 'developer'], { encoding: 'utf8', env: envFor(s) });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: cannot list nodes: Error from server \(Forbidden\): nodes is forbidden: User "developer" cannot list resource "nodes"/);
  });
});
