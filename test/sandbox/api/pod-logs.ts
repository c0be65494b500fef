// What each container has written, kept by the sandbox's kubelet and served through pods/log.
// The kubelet answers a log request for a container that has not run with 400 and the waiting
// reason (kubernetes pkg/kubelet/kubelet_pods.go validateContainerLogStatus); the API server
// answers a pod not yet bound to a node with "does not have a host assigned"
// (pkg/registry/core/pod/strategy.go LogLocation).
import { badRequest, type KubeObject } from './types.js';

interface Log {
  text: string;
  closed: boolean;
  readers: Set<(chunk: string | null) => void>;
}

export class PodLogs {
  private readonly logs = new Map<string, Log>();

  private log(uid: string, container: string): Log {
    const key = `${uid}/${container}`;
    let l = this.logs.get(key);
    if (!l) this.logs.set(key, (l = { text: '', closed: false, readers: new Set() }));
    return l;
  }

  append(uid: string, container: string, chunk: string): void {
    const l = this.log(uid, container);
    l.text += chunk;
    for (const r of l.readers) r(chunk);
  }

  /** The container ended (or the pod went): followers get the end of the stream. */
  close(uid: string, container: string): void {
    const l = this.log(uid, container);
    l.closed = true;
    for (const r of l.readers) r(null);
    l.readers.clear();
  }

  forget(uid: string): void {
    for (const [key, l] of this.logs) {
      if (!key.startsWith(`${uid}/`)) continue;
      for (const r of l.readers) r(null);
      this.logs.delete(key);
    }
  }

  /** Everything the container has written. */
  text(uid: string, container: string): string {
    return this.log(uid, container).text;
  }

  /**
   * Checks the request as the API server and kubelet do; returns the container to read. Init
   * containers count, named after the containers when a name is asked for
   * (pkg/registry/core/pod/strategy.go validateContainer, podutil.VisitContainers; the kubelet
   * looks in both status lists, kubelet_pods.go validateContainerLogStatus).
   */
  static check(pod: KubeObject, container: string | null): string {
    const name = pod.metadata.name!;
    const containers = pod.spec?.containers ?? [];
    const every = [...(pod.spec?.initContainers ?? []), ...containers];
    const chosen = container ?? (containers.length === 1 ? containers[0]!.name : null);
    if (!chosen) throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${every.map((c) => c.name).join(' ')}]`);
    if (!every.some((c) => c.name === chosen)) throw badRequest(`container ${chosen} is not valid for pod ${name}`);
    if (!pod.spec?.nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
    type Status = { name: string; state?: { running?: unknown; terminated?: unknown; waiting?: { reason?: string } } };
    const statuses = [...((pod.status?.containerStatuses ?? []) as Status[]), ...((pod.status?.initContainerStatuses ?? []) as Status[])];
    const status = statuses.find((s) => s.name === chosen);
    if (!status) throw badRequest(`container "${chosen}" in pod "${name}" is not available`);
    const { running, terminated, waiting } = status.state ?? {};
    if (running || terminated) return chosen;
    const reason = waiting?.reason;
    if (reason === 'ErrImagePull') throw badRequest(`container "${chosen}" in pod "${name}" is waiting to start: image can't be pulled`);
    if (reason === 'ImagePullBackOff') throw badRequest(`container "${chosen}" in pod "${name}" is waiting to start: trying and failing to pull image`);
    if (reason) throw badRequest(`container "${chosen}" in pod "${name}" is waiting to start: ${reason}`);
    throw badRequest(`container "${chosen}" in pod "${name}" is waiting to start - no logs yet`);
  }

  /**
   * What was written so far (its last `tailLines` lines when asked: PodLogOptions.TailLines, as the
   * kubelet reads them, pkg/kubelet/kuberuntime/logs/logs.go), then (follow) each new chunk until
   * the container ends. kubectl asks for 10 lines when it picks pods by selector and is not given
   * --tail (staging/src/k8s.io/kubectl/pkg/cmd/logs/logs.go).
   */
  read(uid: string, container: string, follow: boolean, tailLines: number | null, write: (chunk: string) => void, end: () => void): () => void {
    const l = this.log(uid, container);
    const text = tailLines === null || tailLines < 0 ? l.text : lastLines(l.text, tailLines);
    if (text) write(text);
    if (!follow || l.closed) {
      end();
      return () => {};
    }
    const reader = (chunk: string | null) => (chunk === null ? end() : write(chunk));
    l.readers.add(reader);
    return () => l.readers.delete(reader);
  }
}

function lastLines(text: string, n: number): string {
  if (n === 0) return '';
  const lines = text.split('\n');
  const complete = lines.pop() === '' ? lines : [...lines];
  return complete.length <= n ? text : `${complete.slice(-n).join('\n')}\n`;
}
