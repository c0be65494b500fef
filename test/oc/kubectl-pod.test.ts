import { describe, expect, it } from 'vitest';
import { followLogsArgs, kubectlPodStrategy, nodePodManifest, runNodePod } from '../../src/oc/kubectl-pod.js';
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
      '/usr/bin/kubectl',
    );
    const out: string[] = [];
    const err: string[] = [];
    const run = runNodePod(kubectl, request, { onStdoutLine: (l) => out.push(l), onStderrLine: (l) => err.push(l) });
    expect(await run.done).toEqual({ exitCode: 0, signal: null });
    expect(out).toEqual(['line one', 'line two']);
    expect(kubectl.calls.map((c) => c[0])).toEqual(['create', 'logs', 'delete']);
    expect(err.at(-1)).toBe('Removing debug pod ...');
  });

  it('a pod that cannot be created could not start, and nothing else runs', async () => {
    const kubectl = fakeRunner([{ args: ['create', '-f', '-', '-o', 'name'], result: { exitCode: 1, stderr: 'Error from server (Forbidden): pods is forbidden: violates PodSecurity "restricted:latest"' } }], '/usr/bin/kubectl');
    const run = runNodePod(kubectl, request, { onStdoutLine: () => {}, onStderrLine: () => {} });
    expect(await run.done).toEqual({
      exitCode: null,
      signal: null,
      failedToStart: 'cannot create the debug pod on worker-0.example.com: Error from server (Forbidden): pods is forbidden: violates PodSecurity "restricted:latest": log in as a cluster administrator',
    });
    expect(kubectl.calls).toHaveLength(1);
  });

  it('stopped while the container waits: says why it is not running, then deletes the pod', async () => {
    const pod = 'worker-0examplecom-icsp-x1';
    const kubectl = fakeRunner(
      [
        { args: ['create', '-f', '-', '-o', 'name'], result: { stdout: `pod/${pod}\n` } },
        { args: followLogsArgs(pod, 'oc-icsp-abcde'), hang: true },
        {
          args: ['get', 'pod', pod, '-n', 'oc-icsp-abcde', '-o', 'json'],
          result: { stdout: JSON.stringify({ status: { phase: 'Pending', containerStatuses: [{ state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "x"' } } }] } }) },
        },
        { args: ['delete', 'pod', pod, '-n', 'oc-icsp-abcde', '--wait=false', '--grace-period=0', '--ignore-not-found'] },
      ],
      '/usr/bin/kubectl',
    );
    const err: string[] = [];
    const run = runNodePod(kubectl, request, { onStdoutLine: () => {}, onStderrLine: (l) => err.push(l) });
    await new Promise((r) => setTimeout(r, 10));
    run.stop();
    await run.done;
    expect(kubectl.stopped).toEqual([followLogsArgs(pod, 'oc-icsp-abcde')]);
    expect(err).toContain('warning: Container container-00 is unable to start due to an error: ImagePullBackOff: Back-off pulling image "x"');
  });

  it('without --image it says which image it uses; the plan is create, follow, delete', () => {
    const kubectl = fakeRunner([], '/usr/bin/kubectl');
    expect(kubectlPodStrategy(kubectl, undefined).notices).toEqual([
      'kubectl has no default node-debug image: using registry.redhat.io/rhel9/support-tools; pass --image where it is not mirrored',
    ]);
    expect(kubectlPodStrategy(kubectl, 'm.io/tools:1').notices).toEqual([]);
    const plan = kubectlPodStrategy(kubectl, 'm.io/tools:1').plan('w0', 'ns', ['true']);
    expect(plan.map((c) => c.argv)).toEqual([
      ['/usr/bin/kubectl', 'create', '-f', '-', '-o', 'name'],
      ['/usr/bin/kubectl', 'logs', '-f', 'pod/w0-icsp-<generated>', '-n', 'ns', '-c', 'container-00', '--pod-running-timeout=15m'],
      ['/usr/bin/kubectl', 'delete', 'pod', 'w0-icsp-<generated>', '-n', 'ns', '--wait=false', '--grace-period=0', '--ignore-not-found'],
    ]);
    expect(JSON.parse(plan[0]!.stdin!).spec.containers[0].image).toBe('m.io/tools:1');
  });
});
