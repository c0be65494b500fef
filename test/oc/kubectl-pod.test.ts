import { describe, expect, it } from 'vitest';
import { SERVER_VERSION_ARGS } from '../../src/oc/cluster.js';
import { containerProgress, fallbackDebugImage, followLogsArgs, kubectlPodStrategy, nodePodManifest, runNodePod, watchContainerArgs } from '../../src/oc/kubectl-pod.js';
import { fakeRunner } from '../fake-runner.js';
import { hostPodShape } from './host-pod-shape.js';
import { settleUntil } from '../fake-clock.js';

const request = { node: 'worker-0.example.com', namespace: 'oc-icsp-abcde', image: undefined, command: ['chroot', '/host', 'sh', '-c', 'x', 'sh', 'img'] };

describe('node pod for the kubectl path', () => {
  it('is the pod oc debug would make: pinned to the node, privileged, host namespaces, / at /host', () => {
    const pod = JSON.parse(nodePodManifest(request));
    expect(pod.metadata).toMatchObject({ generateName: 'worker-0examplecom-icsp-', namespace: 'oc-icsp-abcde' });
    expect(pod.spec).toMatchObject({ nodeName: 'worker-0.example.com', hostNetwork: true, hostPID: true, hostIPC: true, restartPolicy: 'Never' });
    expect(pod.spec.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(pod.spec.volumes).toEqual([{ name: 'host', hostPath: { path: '/' } }]);
    // The privileged SCC, and no custom SCC of higher priority (openshift/oc#1763); no priority class that preempts.
    expect(pod.metadata.annotations['openshift.io/required-scc']).toBe('privileged');
    expect(pod.spec.priorityClassName).toBeUndefined();
    const [container] = pod.spec.containers;
    expect(container).toMatchObject({
      name: 'container-00',
      image: 'registry.redhat.io/rhel9/support-tools',
      command: request.command,
      securityContext: { privileged: true, runAsUser: 0 },
      volumeMounts: [{ name: 'host', mountPath: '/host' }],
    });
  });

  it('field by field, as the API is sent it', () => {
    expect(JSON.parse(nodePodManifest({ ...request, image: 'tools:1' }))).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        generateName: 'worker-0examplecom-icsp-',
        namespace: 'oc-icsp-abcde',
        labels: { 'app.kubernetes.io/managed-by': 'oc-icsp' },
        annotations: { 'debug.openshift.io/source-resource': '/v1, Resource=nodes/worker-0.example.com', 'openshift.io/required-scc': 'privileged' },
      },
      spec: {
        ...hostPodShape('container-00', 'tools:1', request.command, [{ name: 'HOST', value: '/host' }]),
        nodeName: 'worker-0.example.com',
        hostIPC: true,
        restartPolicy: 'Never',
      },
    });
  });

  it('follows the logs of that container, waiting for it to run', () => {
    expect(followLogsArgs('p', 'ns')).toEqual(['logs', '-f', 'pod/p', '-n', 'ns', '-c', 'container-00', '--pod-running-timeout=15m']);
  });

  it('creates, streams, deletes', async () => {
    const kubectl = fakeRunner(
      [
        { args: ['create', '-f', '-', '-o', 'name'], result: { stdout: 'pod/worker-0examplecom-icsp-x1\n' } },
        // kubectl get --watch: the container waits, then runs; only then are its logs followed.
        { args: watchContainerArgs('worker-0examplecom-icsp-x1', 'oc-icsp-abcde'), result: { stdout: '{"waiting":{"reason":"ContainerCreating"}}\n{"running":{"startedAt":"2026-11-30T05:00:00Z"}}' }, hang: true },
        { args: followLogsArgs('worker-0examplecom-icsp-x1', 'oc-icsp-abcde'), result: { stdout: 'line one\nline two' } },
        { args: ['delete', 'pod', 'worker-0examplecom-icsp-x1', '-n', 'oc-icsp-abcde', '--wait=false', '--ignore-not-found'] },
      ],
      '/usr/bin/kubectl',
    );
    const out: string[] = [];
    const err: string[] = [];
    const run = runNodePod(kubectl, request, { onStdoutLine: (l) => out.push(l), onStderrLine: (l) => err.push(l) });
    expect(await run.done).toEqual({ exitCode: 0, signal: null });
    expect(out).toEqual(['line one', 'line two']);
    expect(kubectl.calls.map((c) => c[0])).toEqual(['create', 'get', 'logs', 'delete']);
    expect(kubectl.stopped).toEqual([watchContainerArgs('worker-0examplecom-icsp-x1', 'oc-icsp-abcde')]);
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
        { args: watchContainerArgs(pod, 'oc-icsp-abcde'), result: { stdout: '{"waiting":{"reason":"ContainerCreating"}}' }, hang: true },
        {
          args: ['get', 'pod', pod, '-n', 'oc-icsp-abcde', '-o', 'json'],
          result: { stdout: JSON.stringify({ status: { phase: 'Pending', containerStatuses: [{ state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "x"' } } }] } }) },
        },
        { args: ['delete', 'pod', pod, '-n', 'oc-icsp-abcde', '--wait=false', '--ignore-not-found'] },
      ],
      '/usr/bin/kubectl',
    );
    const err: string[] = [];
    const run = runNodePod(kubectl, request, { onStdoutLine: () => {}, onStderrLine: (l) => err.push(l) });
    await settleUntil(() => kubectl.calls.length >= 2);
    run.stop();
    await run.done;
    expect(kubectl.stopped).toEqual([watchContainerArgs(pod, 'oc-icsp-abcde')]);
    expect(err).toContain('warning: Container container-00 is unable to start due to an error: ImagePullBackOff: Back-off pulling image "x"');
  });

  it('a container stuck in a waiting reason the kubelet will not leave by itself is a verdict, not a wait', async () => {
    const pod = 'worker-0examplecom-icsp-x1';
    const kubectl = fakeRunner(
      [
        { args: ['create', '-f', '-', '-o', 'name'], result: { stdout: `pod/${pod}\n` } },
        { args: watchContainerArgs(pod, 'oc-icsp-abcde'), result: { stdout: '{"waiting":{"reason":"ContainerCreating"}}\n{"waiting":{"message":"Back-off pulling image \\"x\\"","reason":"ImagePullBackOff"}}' }, hang: true },
        { args: ['delete', 'pod', pod, '-n', 'oc-icsp-abcde', '--wait=false', '--ignore-not-found'] },
      ],
      '/usr/bin/kubectl',
    );
    const run = runNodePod(kubectl, request, { onStdoutLine: () => {}, onStderrLine: () => {} });
    expect(await run.done).toEqual({ exitCode: null, signal: null, failedToStart: 'Container container-00 is unable to start due to an error: ImagePullBackOff: Back-off pulling image "x"' });
  });

  it('falls back to the support-tools image of the cluster\'s release, as oc debug of that release does', async () => {
    const version = (minor: string) => fakeRunner([{ args: SERVER_VERSION_ARGS, result: { stdout: JSON.stringify({ clientVersion: {}, serverVersion: { major: '1', minor } }) } }], '/usr/bin/kubectl');
    expect(await fallbackDebugImage(version('25'))).toBe('registry.redhat.io/rhel8/support-tools');
    expect(await fallbackDebugImage(version('28'))).toBe('registry.redhat.io/rhel8/support-tools');
    expect(await fallbackDebugImage(version('29'))).toBe('registry.redhat.io/rhel9/support-tools');
    expect(await fallbackDebugImage(version('31+'))).toBe('registry.redhat.io/rhel9/support-tools');
    const offline = fakeRunner([{ args: SERVER_VERSION_ARGS, result: { exitCode: 1, stdout: '' } }], '/usr/bin/kubectl');
    expect(await fallbackDebugImage(offline)).toBe('registry.redhat.io/rhel9/support-tools');
  });

  it('reads each watched state: started when running or ended, stuck on a reason that does not pass by itself', () => {
    expect(containerProgress('{"running":{"startedAt":"t"}}')).toEqual({ kind: 'started' });
    expect(containerProgress('{"terminated":{"exitCode":0}}')).toEqual({ kind: 'started' });
    expect(containerProgress('{"waiting":{"reason":"ContainerCreating"}}')).toEqual({ kind: 'waiting' });
    expect(containerProgress('')).toEqual({ kind: 'waiting' });
    for (const reason of ['ImagePullBackOff', 'ErrImagePull', 'CreateContainerConfigError', 'CreateContainerError', 'InvalidImageName']) {
      expect(containerProgress(JSON.stringify({ waiting: { reason } }))).toEqual({ kind: 'stuck', said: `Container container-00 is unable to start due to an error: ${reason}` });
    }
  });

  it('without --image it says which image it uses; the plan is create, watch, follow, delete', () => {
    const kubectl = fakeRunner([], '/usr/bin/kubectl');
    expect(kubectlPodStrategy(kubectl, undefined).notices).toEqual([
      { code: 'kubectl-default-image' },
    ]);
    expect(kubectlPodStrategy(kubectl, 'm.io/tools:1').notices).toEqual([]);
    const plan = kubectlPodStrategy(kubectl, 'm.io/tools:1').plan('w0', 'ns', ['true']);
    expect(plan.map((c) => c.argv)).toEqual([
      ['/usr/bin/kubectl', 'create', '-f', '-', '-o', 'name'],
      ['/usr/bin/kubectl', 'get', 'pod', 'w0-icsp-<generated>', '-n', 'ns', '--watch', '-o', 'jsonpath={.status.containerStatuses[0].state}{"\\n"}'],
      ['/usr/bin/kubectl', 'logs', '-f', 'pod/w0-icsp-<generated>', '-n', 'ns', '-c', 'container-00', '--pod-running-timeout=15m'],
      ['/usr/bin/kubectl', 'delete', 'pod', 'w0-icsp-<generated>', '-n', 'ns', '--wait=false', '--ignore-not-found'],
    ]);
    expect(JSON.parse(plan[0]!.stdin!).spec.containers[0].image).toBe('m.io/tools:1');
  });
});
