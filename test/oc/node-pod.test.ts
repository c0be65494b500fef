import { describe, expect, it } from 'vitest';
import { followLogsArgs, nodePodManifest, runNodePod } from '../../src/oc/node-pod.js';
import { fakeRunner } from '../fake-runner.js';

const request = { node: 'worker-0.example.com', namespace: 'oc-icsp-abcde', image: undefined, command: ['chroot', '/host', 'sh', '-c', 'x', 'sh', 'img'] };

describe('node pod for the kubectl path', () => {
  it('is the pod oc debug would make: pinned to the node, privileged, host namespaces, / at /host', () => {
    const pod = JSON.parse(nodePodManifest(request));
    expect(pod.metadata).toMatchObject({ generateName: 'worker-0examplecom-icsp-', namespace: 'oc-icsp-abcde' });
    expect(pod.spec).toMatchObject({ nodeName: 'worker-0.example.com', hostNetwork: true, hostPID: true, hostIPC: true, restartPolicy: 'Never' });
    expect(pod.spec.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(pod.spec.volumes).toEqual([{ name: 'host', hostPath: { path: '/' } }]);
    const [container] = pod.spec.containers;
    expect(container).toMatchObject({
      name: 'container-00',
      image: 'registry.redhat.io/rhel9/support-tools',
      command: request.command,
      securityContext: { privileged: true, runAsUser: 0 },
      volumeMounts: [{ name: 'host', mountPath: '/host' }],
    });
  });

  it('follows the logs of that container, waiting for it to run', () => {
    expect(followLogsArgs('p', 'ns')).toEqual(['logs', '-f', 'pod/p', '-n', 'ns', '-c', 'container-00', '--pod-running-timeout=15m']);
  });

  it('creates, streams, deletes', async () => {
    const kubectl = fakeRunner(
      [
        { args: ['create', '-f', '-', '-o', 'name'], result: { stdout: 'pod/worker-0examplecom-icsp-x1\n' } },
        { args: followLogsArgs('worker-0examplecom-icsp-x1', 'oc-icsp-abcde'), result: { stdout: 'line one\nline two' } },
        { args: ['delete', 'pod', 'worker-0examplecom-icsp-x1', '-n', 'oc-icsp-abcde', '--wait=false', '--grace-period=0', '--ignore-not-found'] },
      ],
      'kubectl',
    );
    const out: string[] = [];
    const err: string[] = [];
    const run = runNodePod(kubectl, request, { onStdoutLine: (l) => out.push(l), onStderrLine: (l) => err.push(l) });
    expect(await run.done).toEqual({ exitCode: 0, signal: null });
    expect(out).toEqual(['line one', 'line two']);
    expect(kubectl.calls.map((c) => c[0])).toEqual(['create', 'logs', 'delete']);
    expect(err.at(-1)).toBe('Removing debug pod ...');
  });

  it('a pod that cannot be created is reported, nothing else runs', async () => {
    const kubectl = fakeRunner([{ args: ['create', '-f', '-', '-o', 'name'], result: { exitCode: 1, stderr: 'Error from server (Forbidden): pods is forbidden: violates PodSecurity "restricted:latest"' } }], 'kubectl');
    const err: string[] = [];
    const run = runNodePod(kubectl, request, { onStdoutLine: () => {}, onStderrLine: (l) => err.push(l) });
    expect((await run.done).exitCode).toBe(1);
    expect(err[0]).toMatch(/^error: cannot create the debug pod on worker-0\.example\.com: .*forbidden.*log in as a cluster administrator$/);
    expect(kubectl.calls).toHaveLength(1);
  });
});
