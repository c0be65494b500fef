// The sandbox's kubelets: each pod bound to a node runs for real in that node's mount namespace
// (../node-namespace.mjs), its output kept as the container's log. The status goes as a
// kubelet reports it (kubernetes pkg/kubelet/kubelet_pods.go generateAPIPodStatus): Pending
// with the container waiting in ContainerCreating, then Running, then Succeeded or Failed for a
// pod that does not restart; an image that cannot be pulled leaves the container waiting in
// ErrImagePull, then ImagePullBackOff (pkg/kubelet/images/image_manager.go). A deleted pod gets
// its deletionTimestamp first; the kubelet stops the containers (SIGTERM, then SIGKILL once the
// grace period is over: pod-deletion.ts) and then removes the pod (pkg/kubelet/status/
// status_manager.go, canBeDeleted): a slow kubelet (`slow-stop`) takes seconds. A pod deleted at
// once (grace 0) is stopped the same way.
// A NotReady node has no kubelet: its pods stay Pending without a status.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { runInNode } from '../node-namespace.mjs';
import type { ClusterState } from './cluster-state.js';
import { killWindowSeconds } from './pod-deletion.js';
import type { PodLogs } from './pod-logs.js';
import type { Resource } from './resources.js';
import { now, type Store } from './store.js';
import type { KubeObject } from './types.js';

interface Running {
  child?: ChildProcess;
  /** Settles when the container's process has ended. */
  exited?: Promise<unknown>;
  /**
   * It has ended: its PID is free again, and this machine reuses PIDs within a test run
   * (pid_max 32768), so a signal to it or its group could reach a stranger, another sandbox's
   * API server even.
   */
  ended?: boolean;
  stopped: boolean;
  /** While it is being stopped: brings SIGKILL forward to a shorter window (a shorter grace period). */
  shorten?: (windowSeconds: number) => void;
}

export class Kubelets {
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly store: Store,
    private readonly pods: Resource,
    private readonly logs: PodLogs,
    private readonly state: ClusterState,
  ) {
    store.listen((type, r, pod) => {
      if (r !== pods) return;
      if (type === 'ADDED' && pod.spec?.nodeName) this.start(pod);
      if (type === 'MODIFIED' && pod.spec?.nodeName && !this.running.has(pod.metadata.uid!) && !pod.metadata.deletionTimestamp) this.start(pod);
      if (type === 'MODIFIED' && pod.metadata.deletionTimestamp) {
        // A grace period can only shrink once given (pod_workers.go calculateEffectiveGracePeriod).
        this.running.get(pod.metadata.uid!)?.shorten?.(killWindowSeconds(pod));
        void this.stop(pod);
      }
      if (type === 'DELETED') void this.stop(pod).then(() => this.logs.forget(pod.metadata.uid!));
    });
  }

  private setStatus(pod: KubeObject, status: Record<string, unknown>): void {
    if (this.running.get(pod.metadata.uid!)?.stopped) return;
    try {
      this.store.update(this.pods, pod.metadata.namespace, pod.metadata.name!, (p) => {
        p.status = { ...p.status, ...status };
      });
    } catch {
      // deleted meanwhile
    }
  }

  private start(pod: KubeObject): void {
    const uid = pod.metadata.uid!;
    const node = pod.spec!.nodeName!;
    const behaviour = this.state.behaviour(node);
    if (behaviour === 'not-ready') return;
    const run: Running = { stopped: false };
    this.running.set(uid, run);
    const container = pod.spec!.containers![0]!;
    const scheduled = { conditions: [{ type: 'PodScheduled', status: 'True' }], hostIP: '127.0.0.1', startTime: now() };
    const state = (s: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
      containerStatuses: [{ name: container.name, image: container.image, imageID: '', ready: 'running' in s, restartCount: 0, started: 'running' in s, state: s, ...extra }],
    });
    this.setStatus(pod, { phase: 'Pending', ...scheduled, ...state({ waiting: { reason: 'ContainerCreating' } }) });
    const latency = this.state.settings.podLatencyMs;
    if (behaviour === 'pod-fails' || container.image.includes('does-not-exist')) {
      const pullError = `rpc error: code = Unknown desc = reading manifest latest in ${container.image.replace(/[:@].*$/, '')}: manifest unknown`;
      setTimeout(() => this.setStatus(pod, state({ waiting: { reason: 'ErrImagePull', message: pullError } })), latency);
      setTimeout(() => this.setStatus(pod, state({ waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${container.image}"` } })), latency * 2);
      return;
    }
    setTimeout(() => {
      if (run.stopped) return;
      const startedAt = now();
      this.setStatus(pod, { phase: 'Running', conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'True' }], ...state({ running: { startedAt } }) });
      const finish = (exitCode: number) => {
        this.logs.close(uid, container.name);
        if (pod.spec!.restartPolicy === 'Always' || pod.spec!.restartPolicy === undefined) return;
        this.setStatus(pod, {
          phase: exitCode === 0 ? 'Succeeded' : 'Failed',
          ...state({ terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt, finishedAt: now() } }),
        });
      };
      const light = this.state.settings.light;
      if (light) {
        this.logs.append(uid, container.name, readFileSync(light.log, 'utf8'));
        if (pod.spec!.restartPolicy === 'Never') finish(0);
        return;
      }
      if (behaviour === 'hang' || behaviour === 'slow-stop') return;
      const command = [...(container.command ?? []), ...(container.args ?? [])];
      const spawned = (child: ChildProcess) => {
        run.child = child;
        child.once('exit', () => (run.ended = true));
      };
      run.exited = runInNode(this.state.nodeDir(node), command, spawned, (chunk) => this.logs.append(uid, container.name, chunk.toString('utf8'))).then((code) => {
        if (!run.stopped) finish(code);
      });
    }, latency);
  }

  /** Stops a deleted pod's container (SIGTERM, SIGKILL after its window), then removes the pod. */
  private stop(pod: KubeObject): Promise<void> {
    const uid = pod.metadata.uid!;
    const run = this.running.get(uid) ?? { stopped: false };
    if (run.stopped) return Promise.resolve();
    run.stopped = true;
    this.running.set(uid, run);
    const container = pod.spec?.containers?.[0]?.name;
    const slow = pod.spec?.nodeName && this.state.behaviour(pod.spec.nodeName) === 'slow-stop';
    const stopped = run.child && run.exited && !run.ended ? this.terminate(run, run.child, run.exited, killWindowSeconds(pod)) : (run.exited ?? Promise.resolve());
    return stopped.then(
      () =>
        new Promise<void>((done) => {
          if (container) this.logs.close(uid, container);
          setTimeout(() => {
            try {
              this.store.delete(this.pods, pod.metadata.namespace, pod.metadata.name!);
            } catch {
              // already removed
            }
            this.running.delete(uid);
            done();
          }, slow ? 3000 : 50);
        }),
    );
  }

  /**
   * The runtime's StopContainer: the stop signal (SIGTERM) to the container's own process with
   * `runc kill`, SIGKILL once the window is over (cri-o internal/oci/runtime_oci.go
   * StopContainer). The pods share the host's PID namespace, so once that process has ended runc
   * kills whatever else is left in the container's cgroup (runc libcontainer/state_linux.go
   * destroy: signalAllProcesses when the container has no PID namespace of its own).
   */
  private terminate(run: Running, child: ChildProcess, closed: Promise<unknown>, windowSeconds: number): Promise<unknown> {
    const pid = child.pid!;
    const signal = (target: number, name: NodeJS.Signals) => {
      try {
        process.kill(target, name);
      } catch {
        // already gone
      }
    };
    const leaderGone = new Promise((gone) => child.once('exit', gone));
    signal(pid, 'SIGTERM');
    const started = Date.now();
    let window = windowSeconds;
    let kill = setTimeout(() => signal(-pid, 'SIGKILL'), window * 1000);
    run.shorten = (seconds) => {
      if (seconds >= window) return;
      window = seconds;
      clearTimeout(kill);
      kill = setTimeout(() => signal(-pid, 'SIGKILL'), Math.max(0, started + window * 1000 - Date.now()));
    };
    // Whatever the command left behind goes with it, at once: while any of it lives, its
    // process group keeps the PID from being reused.
    return leaderGone.then(() => {
      clearTimeout(kill);
      run.shorten = undefined;
      signal(-pid, 'SIGKILL');
      return closed;
    });
  }

  /** Every pod process, killed (the sandbox going down). */
  stopAll(): void {
    for (const run of this.running.values()) {
      if (run.child?.pid && !run.ended) {
        try {
          process.kill(-run.child.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    }
  }
}
