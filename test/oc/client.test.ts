// Which client is driven: --client by name or path, else the one the user typed, else the other;
// and what each one is (its traits), decided in client.ts only.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clientTraits, findClient, listContexts, lookPath, openClient } from '../../src/oc/client.js';
import { fakeRunner } from '../fake-runner.js';

const root = mkdtempSync(join(tmpdir(), 'oc-icsp-client-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
function dirWith(name: string, files: string[], executable = true): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const f of files) {
    writeFileSync(join(dir, f), '#!/bin/sh\n');
    chmodSync(join(dir, f), executable ? 0o755 : 0o644);
  }
  return dir;
}
const both = dirWith('both', ['oc', 'kubectl']);
const onlyKubectl = dirWith('kubectl-only', ['kubectl']);
const notExecutable = dirWith('plain', ['oc'], false);
mkdirSync(join(root, 'dir-named-oc', 'oc'), { recursive: true });

describe('findClient', () => {
  it('the client the user typed, from PATH; the other when it is missing', () => {
    expect(findClient(undefined, both, 'oc')).toEqual({ binary: join(both, 'oc'), kind: 'oc' });
    expect(findClient(undefined, both, 'kubectl')).toEqual({ binary: join(both, 'kubectl'), kind: 'kubectl' });
    expect(findClient(undefined, `${notExecutable}:${onlyKubectl}`, 'oc')).toEqual({ binary: join(onlyKubectl, 'kubectl'), kind: 'kubectl' });
  });

  it('--client by name or by path; its kind from its name', () => {
    expect(findClient('kubectl', both)).toEqual({ binary: join(both, 'kubectl'), kind: 'kubectl' });
    expect(findClient(join(both, 'oc'), '')).toEqual({ binary: join(both, 'oc'), kind: 'oc' });
  });

  it('a --client that is not there or not executable, or nothing on PATH: an error that says what to do', () => {
    expect(() => findClient('/nonexistent/oc', both)).toThrow('client "/nonexistent/oc" not found or not executable: pass --client with the path of oc or kubectl');
    expect(() => findClient(join(notExecutable, 'oc'), both)).toThrow(/not found or not executable/);
    expect(() => findClient(undefined, `${notExecutable}:${join(root, 'dir-named-oc')}`)).toThrow('neither oc nor kubectl is on PATH: install the OpenShift CLI (oc), or pass --client PATH');
  });

  it('PATH entries that are empty or relative are skipped, as exec does for a plugin', () => {
    expect(lookPath('oc', `:relative:${both}`)).toBe(join(both, 'oc'));
    expect(lookPath('oc', undefined)).toBeUndefined();
  });
});

describe('what each client is', () => {
  it('oc: login advice, adm node-logs, oc debug; kubectl: none of oc\'s verbs, pods made by hand', () => {
    expect(clientTraits('oc')).toEqual({ loginAdvice: 'run `oc login`', nodeLogs: true, podPerNode: 'oc debug' });
    expect(clientTraits('kubectl')).toEqual({ loginAdvice: 'point kubectl at a cluster (`kubectl config use-context`, or --kubeconfig)', nodeLogs: false, podPerNode: 'kubectl pods' });
    const kubectl = openClient('kubectl', fakeRunner([]));
    expect([kubectl.name, kubectl.nodeLogs, kubectl.nodeRunner({ image: 'tools:1', strategy: 'debug' }).strategy]).toEqual(['kubectl', false, 'kubectl pods']);
    const oc = openClient('oc', fakeRunner([]));
    expect(oc.nodeRunner({ image: undefined, strategy: 'debug' }).strategy).toBe('oc debug');
    expect(oc.nodeRunner({ image: undefined, strategy: 'daemonset' }).strategy).toBe('daemonset');
    expect(oc.nodeRunner({ image: undefined, strategy: 'auto', threshold: 25 }).strategy).toBe('auto (oc debug up to 25 nodes, else daemonset)');
  });
});

describe('listContexts', () => {
  it("the kubeconfig's context names; none when the client fails", async () => {
    expect(await listContexts(fakeRunner([{ args: ['config', 'get-contexts', '-o', 'name'], result: { stdout: 'admin\n developer \n\n' } }]))).toEqual(['admin', 'developer']);
    expect(await listContexts(fakeRunner([{ args: ['config', 'get-contexts', '-o', 'name'], result: { exitCode: 1 } }]))).toEqual([]);
  });
});
