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
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { REPORT_PREFIX, TERMINATION_MESSAGE_BYTES } from '../../../src/oc/daemonset-objects.js';
import { runInNode } from '../node-namespace.js';
import { lightPlay } from './light-node.js';
import type { ClusterState } from './cluster-state.js';
import { killWindowSeconds } from './pod-deletion.js';
import type { PodLogs } from './pod-logs.js';
import type { Resource } from './resources.js';
import { now, type Store } from './store.js';
import type { Container, KubeObject, PodSpec } from './types.js';

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

  /** Statuses set and not yet sent, by pod uid. */
  private readonly unsent = new Map<string, { pod: KubeObject; status: Record<string, unknown> }>();

  /**
   * The status manager keeps a pod's latest status and sends it in its next batch: changes made
   * before then go in one update (pkg/kubelet/status/status_manager.go updateStatusInternal,
   * syncBatch).
   */
  private setStatus(pod: KubeObject, status: Record<string, unknown>): void {
    const uid = pod.metadata.uid!;
    if (this.running.get(uid)?.stopped) return;
    const waiting = this.unsent.get(uid);
    if (waiting) return void (waiting.status = { ...waiting.status, ...status });
    this.unsent.set(uid, { pod, status });
    setImmediate(() => {
      const latest = this.unsent.get(uid)!;
      this.unsent.delete(uid);
      if (this.running.get(uid)?.stopped) return;
      try {
        this.store.update(this.pods, pod.metadata.namespace, pod.metadata.name!, (p) => {
          p.status = { ...p.status, ...latest.status };
        });
      } catch {
        // deleted meanwhile
      }
    });
  }

  private start(pod: KubeObject): void {
    const uid = pod.metadata.uid!;
    const spec = pod.spec as PodSpec;
    const node = spec.nodeName!;
    const behaviour = this.state.behaviour(node);
    if (behaviour === 'not-ready') return;
    const run: Running = { stopped: false };
    this.running.set(uid, run);
    const inits = spec.initContainers ?? [];
    const main = spec.containers[0]!;
    const sequence = [...inits, main];
    // Before it runs, a container waits: being created, or, in a pod with init containers,
    // PodInitializing (pkg/kubelet/kubelet_pods.go convertToAPIContainerStatuses).
    const notYet = { waiting: { reason: inits.length > 0 ? 'PodInitializing' : 'ContainerCreating' } };
    const statuses = new Map(sequence.map((c) => [c.name, containerStatus(c, notYet)]));
    const set = (c: Container, state: ContainerState, extra: Partial<ContainerStatus> = {}) => {
      const was = statuses.get(c.name)!;
      statuses.set(c.name, { ...containerStatus(c, state), restartCount: was.restartCount, ...extra });
    };
    const startTime = now();
    const publish = () => this.setStatus(pod, podStatus(spec, inits, main, statuses, startTime));
    publish();
    const latency = this.state.settings.podLatencyMs;
    const first = sequence[0]!;
    if (behaviour === 'pod-fails' || first.image.includes('does-not-exist')) {
      const pullError = `rpc error: code = Unknown desc = reading manifest latest in ${first.image.replace(/[:@].*$/, '')}: manifest unknown`;
      setTimeout(() => (set(first, { waiting: { reason: 'ErrImagePull', message: pullError } }), publish()), latency);
      setTimeout(() => (set(first, { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${first.image}"` } }), publish()), latency * 2);
      return;
    }
    // Init containers one after the other, each to its end, then the container
    // (pkg/kubelet/kuberuntime/kuberuntime_manager.go computePodActions).
    const runFrom = (i: number) => {
      const c = sequence[i];
      if (!c || run.stopped) return;
      const startedAt = now();
      set(c, { running: { startedAt } });
      publish();
      void this.runContainer(pod, c, i === 0, run).then((ended) => {
        if (run.stopped || !ended) return;
        this.logs.close(uid, c.name);
        const terminated = { exitCode: ended.exitCode, reason: ended.exitCode === 0 ? 'Completed' : 'Error', ...(ended.message ? { message: ended.message } : {}), startedAt, finishedAt: now() };
        if (c === main) {
          // A container that restarts is not modelled: it stays as it was.
          if (spec.restartPolicy === 'Always') return;
          set(c, { terminated });
          return publish();
        }
        if (ended.exitCode === 0 || spec.restartPolicy === 'Never') {
          set(c, { terminated });
          publish();
          if (ended.exitCode === 0) runFrom(i + 1);
          return;
        }
        // A failed init container shows its failed run first (state.terminated, as the runtime
        // reports it), then waits in CrashLoopBackOff with that run as lastState, and runs again
        // after a back-off, 10 s the first time (kuberuntime_manager.go computeInitContainerActions,
        // doBackOff; pkg/kubelet/kubelet.go backOffPeriod; the status manager may merge the two
        // updates, status/status_manager.go: here they come one sync apart).
        const was = statuses.get(c.name)!;
        set(c, { terminated });
        publish();
        setTimeout(() => {
          set(c, { waiting: { reason: 'CrashLoopBackOff', message: `back-off 10s restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${uid})` } }, { lastState: { terminated }, restartCount: was.restartCount + 1 });
          publish();
        }, Math.min(latency, 1000));
        setTimeout(() => runFrom(i), 10_000);
      });
    };
    setTimeout(() => runFrom(0), latency);
  }

  /**
   * Runs one container to its end: its exit code and termination message, or null for one that
   * never ends (a hung node's, or one that only stays). The message is the last 4096 bytes of its
   * terminationMessagePath, or with FallbackToLogsOnError and a failure and no message, the
   * end of its log (pkg/kubelet/kuberuntime/kuberuntime_container.go getTerminationMessage,
   * readLastStringFromContainerLogs; pkg/kubelet/container/runtime.go for the limits).
   */
  private async runContainer(pod: KubeObject, c: Container, first: boolean, run: Running): Promise<{ exitCode: number; message: string } | null> {
    const uid = pod.metadata.uid!;
    const node = pod.spec!.nodeName!;
    const light = this.state.settings.light;
    if (light) {
      // Light mode replays a recorded node script's output in the pod's first container.
      if (!first) return null;
      const play = lightPlay(light, [...(c.command ?? []), ...(c.args ?? [])], node);
      let output = play.head;
      this.logs.append(uid, c.name, play.head);
      for (const part of play.parts) {
        if (part.delayMs) await new Promise((done) => setTimeout(done, part.delayMs));
        if (run.stopped) return null;
        this.logs.append(uid, c.name, part.text);
        output += part.text;
      }
      return { exitCode: 0, message: pod.spec!.initContainers?.length ? reportAsWritten(output) : '' };
    }
    const behaviour = this.state.behaviour(node);
    if (behaviour === 'hang' || behaviour === 'slow-stop') return null;
    const command = [...(c.command ?? []), ...(c.args ?? [])];
    // The kubelet makes the file in the pod's directory and binds it at the container's
    // terminationMessagePath (kuberuntime_container.go makeMounts).
    const dir = join(this.state.nodeDir(node), 'pods', uid);
    const messageFile = join(dir, `${c.name}.termination-log`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(messageFile, '');
    const spawned = (child: ChildProcess) => {
      run.child = child;
      run.ended = false;
      child.once('exit', () => (run.ended = true));
    };
    const files: [string, string][] = [[messageFile, c.terminationMessagePath ?? '/dev/termination-log']];
    run.exited = runInNode(this.state.nodeDir(node), command, spawned, (chunk) => this.logs.append(uid, c.name, chunk.toString('utf8')), files);
    const exitCode = await run.exited;
    let message = readFileSync(messageFile).subarray(-MAX_MESSAGE_BYTES).toString('utf8');
    if (!message && exitCode !== 0 && c.terminationMessagePolicy === 'FallbackToLogsOnError') message = logTail(this.logs.text(uid, c.name));
    return { exitCode: exitCode as number, message };
  }

  /** Stops a deleted pod's container (SIGTERM, SIGKILL after its window), then removes the pod. */
  private stop(pod: KubeObject): Promise<void> {
    const uid = pod.metadata.uid!;
    const run = this.running.get(uid) ?? { stopped: false };
    if (run.stopped) return Promise.resolve();
    run.stopped = true;
    this.running.set(uid, run);
    const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.name);
    const slow = pod.spec?.nodeName && this.state.behaviour(pod.spec.nodeName) === 'slow-stop';
    const stopped = run.child && run.exited && !run.ended ? this.terminate(run, run.child, run.exited, killWindowSeconds(pod)) : (run.exited ?? Promise.resolve());
    return stopped.then(
      () =>
        new Promise<void>((done) => {
          for (const c of containers) this.logs.close(uid, c);
          setTimeout(() => {
            try {
              this.store.delete(this.pods, pod.metadata.namespace, pod.metadata.name!);
            } catch {
              // already removed
            }
            this.running.delete(uid);
            if (pod.spec?.nodeName) rmSync(join(this.state.nodeDir(pod.spec.nodeName), 'pods', uid), { recursive: true, force: true });
            done();
          }, slow ? 3000 : 50);
        }),
    );
  }

  /**
   * The runtime's StopContainer: the stop signal (SIGTERM) to the container's own process with
   * `runc kill`, SIGKILL once the window is over (cri-o internal/oci/runtime_oci.go
   * StopContainer). The pods share the host's PID namespace, so once that process has ended CRI-O
   * kills whatever else is left in the container at once, as soon as it sees the exit
   * (internal/oci/runtime_oci.go: `if c.nodeLevelPIDNamespace() { return r.signalContainer(c,
   * syscall.SIGKILL, true) }`, which is `runc kill -a`; commit 9fea6e219e, from v1.25.0, so
   * OpenShift 4.12 on).
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

/** pkg/kubelet/container/runtime.go: MaxContainerTerminationMessageLength, and the log fallback's. */
const MAX_MESSAGE_BYTES = 4096;
const MAX_LOG_MESSAGE_BYTES = 2048;
const MAX_LOG_MESSAGE_LINES = 80;

function logTail(text: string): string {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const tail = lines.slice(-MAX_LOG_MESSAGE_LINES).join('\n');
  return Buffer.from(tail).subarray(-MAX_LOG_MESSAGE_BYTES).toString('utf8');
}

/**
 * Light mode stands in for the node script and the DaemonSet probe that wraps it: what the
 * wrapper writes to the termination message (src/oc/daemonset-objects.ts REPORT), nothing when
 * the report does not fit.
 */
function reportAsWritten(output: string): string {
  const encoded = gzipSync(output, { level: 9 }).toString('base64');
  const message = `${REPORT_PREFIX} 0 ${encoded}`;
  return message.length <= TERMINATION_MESSAGE_BYTES ? message : '';
}

interface ContainerState {
  waiting?: { reason: string; message?: string };
  running?: { startedAt: string };
  terminated?: { exitCode: number; reason: string; message?: string; startedAt: string; finishedAt: string };
}

interface ContainerStatus {
  name: string;
  image: string;
  imageID: string;
  ready: boolean;
  restartCount: number;
  started: boolean;
  state: ContainerState;
  lastState?: ContainerState;
}

function containerStatus(c: Container, state: ContainerState): ContainerStatus {
  return { name: c.name, image: c.image, imageID: '', ready: Boolean(state.running), restartCount: 0, started: Boolean(state.running), state };
}

/**
 * The pod's status from its containers' (pkg/kubelet/kubelet_pods.go getPhase and
 * generateAPIPodStatus; pkg/kubelet/status/generate.go for the conditions): Pending until the
 * init containers have ended well and the container runs; Failed when an init container fails
 * in a pod that does not restart; Succeeded or Failed when a container that does not restart ends.
 */
function podStatus(spec: PodSpec, inits: Container[], main: Container, statuses: Map<string, ContainerStatus>, startTime: string): Record<string, unknown> {
  const initialized = inits.every((c) => statuses.get(c.name)!.state.terminated?.exitCode === 0);
  const initFailed = spec.restartPolicy === 'Never' && inits.some((c) => (statuses.get(c.name)!.state.terminated?.exitCode ?? 0) !== 0);
  const state = statuses.get(main.name)!.state;
  const phase = state.terminated ? (state.terminated.exitCode === 0 ? 'Succeeded' : 'Failed') : initFailed ? 'Failed' : state.running ? 'Running' : 'Pending';
  const condition = (type: string, ok: boolean) => ({ type, status: ok ? 'True' : 'False' });
  return {
    phase,
    conditions: [condition('Initialized', initialized), condition('Ready', Boolean(state.running)), condition('ContainersReady', Boolean(state.running)), condition('PodScheduled', true)],
    hostIP: '127.0.0.1',
    startTime,
    ...(inits.length > 0 ? { initContainerStatuses: inits.map((c) => statuses.get(c.name)!) } : {}),
    containerStatuses: [statuses.get(main.name)!],
  };
}
