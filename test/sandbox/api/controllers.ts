// The controllers the plugin depends on, each after its upstream:
// - service accounts: a new namespace gets its `default` account (kubernetes
//   pkg/controller/serviceaccount/serviceaccounts_controller.go);
// - namespaces: a deleted namespace is Terminating until everything in it is gone, then removed
//   (pkg/controller/namespace/deletion/namespaced_resources_deleter.go);
// - DaemonSets: one pod per eligible node, pinned to the node by a matchFields affinity term and
//   bound by the scheduler (pkg/controller/daemon/daemon_controller.go syncNodes, util
//   ReplaceDaemonSetPodNodeNameNodeAffinity); a pod the API refuses becomes a FailedCreate event
//   on the DaemonSet, `Error creating: <the API error>`, and is tried again
//   (daemon_controller.go, FailedPlacementReason / FailedCreatePodReason). At the real
//   controller's pace: a work queue of DaemonSets synced ConcurrentDaemonSetSyncs (2) at a time
//   (cmd/kube-controller-manager/app/options/daemonsetcontroller.go); each sync creates at most
//   burstReplicas (250) pods, in slow-start batches of 1, 2, 4, ... created side by side, and stops
//   at the first batch with a failure (syncNodes, pkg/controller/controller_utils.go
//   SlowStartInitialBatchSize); each create takes Settings.podCreateLatencyMs (an API round trip);
//   a DaemonSet is synced again when it changes, and on the periodic resync;
// - garbage collection: a deleted DaemonSet's pods go with it (background propagation, kubectl
//   delete's default).
import { withPodDefaults } from './pod-defaults.js';
import { KUBE_MINOR_OF_OPENSHIFT } from './resources.js';
import { admitPod, affinityNodeNames, pinnedNode, SCC_ANNOTATION_WAIT_MS, sccAnnotated, UID_RANGE_ANNOTATION } from './admission.js';
import type { ClusterState } from './cluster-state.js';
import type { Resource } from './resources.js';
import { now, type Store } from './store.js';
import { ApiError, type KubeObject, type PodSpec } from './types.js';

/** kube-controller-manager's defaults (cmd/kube-controller-manager/app/options; daemon_controller.go BurstReplicas; controller_utils.go). */
const CONCURRENT_DAEMONSET_SYNCS = 2;
const BURST_REPLICAS = 250;
const SLOW_START_INITIAL_BATCH = 1;

export class Controllers {
  private readonly timer: NodeJS.Timeout;
  private readonly r: (name: string) => Resource;

  constructor(
    private readonly store: Store,
    private readonly resources: Resource[],
    private readonly state: ClusterState,
    /** Deletes as the API does (pods get a deletionTimestamp; the kubelet removes them). */
    private readonly remove: (r: Resource, namespace: string | undefined, name: string) => void,
  ) {
    this.r = (name) => resources.find((x) => x.name === name)!;
    store.listen((type, r, object) => {
      if (r.name === 'namespaces' && type === 'ADDED') {
        this.serviceAccount(object.metadata.name!);
        this.allocateSccRanges(object.metadata.name!);
      }
      if (r.name === 'daemonsets' && type === 'ADDED') this.enqueue(object);
      if (r.name === 'daemonsets' && type === 'DELETED') this.collect(object);
    });
    this.timer = setInterval(() => this.tick(), 200);
    this.timer.unref();
  }

  private kubeMinor(): number {
    return KUBE_MINOR_OF_OPENSHIFT[this.state.settings.openshift] ?? 31;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /**
   * OpenShift's cluster-policy-controller gives a new namespace its SCC ranges
   * (namespace-security-allocation-controller: uid-range, supplemental-groups, mcs), after
   * Settings.sccAnnotationDelayMs.
   */
  private allocateSccRanges(namespace: string): void {
    const annotate = () => {
      try {
        this.store.update(this.r('namespaces'), undefined, namespace, (ns) => {
          ns.metadata.annotations = {
            ...ns.metadata.annotations,
            [UID_RANGE_ANNOTATION]: ns.metadata.annotations?.[UID_RANGE_ANNOTATION] ?? '1000680000/10000',
            'openshift.io/sa.scc.supplemental-groups': ns.metadata.annotations?.['openshift.io/sa.scc.supplemental-groups'] ?? '1000680000/10000',
            'openshift.io/sa.scc.mcs': ns.metadata.annotations?.['openshift.io/sa.scc.mcs'] ?? 's0:c26,c15',
          };
        });
      } catch {
        // gone
      }
    };
    const delay = this.state.settings.sccAnnotationDelayMs ?? 0;
    if (delay > 0) setTimeout(annotate, delay).unref();
    else annotate();
  }

  private serviceAccount(namespace: string): void {
    try {
      this.store.create(this.r('serviceaccounts'), { metadata: { name: 'default', namespace } });
    } catch {
      // exists
    }
  }

  private tick(): void {
    for (const ns of this.store.view(this.r('namespaces'))) if (ns.metadata.deletionTimestamp) this.finishNamespace(ns);
    for (const ds of this.store.view(this.r('daemonsets'))) this.enqueue(ds as KubeObject);
    this.schedule();
  }

  /** DaemonSets waiting for a sync, by uid, each once (a workqueue dedupes its keys). */
  private readonly queue = new Map<string, KubeObject>();
  private readonly syncing = new Set<string>();
  private workers = 0;

  private enqueue(ds: KubeObject): void {
    const uid = ds.metadata.uid!;
    if (this.syncing.has(uid)) return;
    this.queue.set(uid, ds);
    while (this.workers < CONCURRENT_DAEMONSET_SYNCS && this.queue.size > 0) void this.work();
  }

  private async work(): Promise<void> {
    this.workers++;
    try {
      for (let next = this.queue.entries().next(); !next.done; next = this.queue.entries().next()) {
        const [uid, ds] = next.value;
        this.queue.delete(uid);
        this.syncing.add(uid);
        try {
          await this.syncDaemonSet(ds, this.podsByOwner().get(uid));
        } finally {
          this.syncing.delete(uid);
        }
      }
    } finally {
      this.workers--;
    }
  }

  private finishNamespace(ns: KubeObject): void {
    const namespace = ns.metadata.name!;
    let left = 0;
    for (const r of this.resources.filter((x) => x.namespaced && x.verbs.includes('delete'))) {
      for (const o of this.store.view(r, namespace)) {
        left++;
        if (!o.metadata.deletionTimestamp) this.remove(r, namespace, o.metadata.name!);
      }
    }
    if (left === 0) this.store.delete(this.r('namespaces'), undefined, namespace);
  }

  /**
   * The nodes each controller's pods cover, by the controller's uid, in one pass over the pods.
   * The DaemonSet controller reads pods and nodes from its informers' shared cache and maps each
   * DaemonSet's pods to their nodes (kubernetes pkg/controller/daemon/daemon_controller.go,
   * podLister, getNodesToDaemonPods); it never copies every pod per DaemonSet.
   */
  private podsByOwner(): Map<string, Set<string | undefined>> {
    const covered = new Map<string, Set<string | undefined>>();
    for (const p of this.store.view(this.r('pods'))) {
      const owner = p.metadata.ownerReferences?.find((o) => o.controller)?.uid;
      if (owner) covered.set(owner, (covered.get(owner) ?? new Set()).add(p.spec?.nodeName ?? pinnedNode(p as KubeObject)));
    }
    return covered;
  }

  private async syncDaemonSet(ds: KubeObject, covered: Set<string | undefined> = new Set()): Promise<void> {
    const namespace = ds.metadata.namespace!;
    if (!this.store.find(this.r('daemonsets'), namespace, ds.metadata.name!)) return;
    // Nothing new is made in a namespace that is going (NamespaceLifecycle admission).
    if (this.store.find(this.r('namespaces'), undefined, namespace)?.metadata.deletionTimestamp) return;
    const template = (ds.spec as { template: { metadata?: { labels?: Record<string, string> }; spec: Record<string, unknown> } }).template;
    // Its create requests wait in SCC admission for the namespace's ranges, up to 10 s, then are refused.
    const ns = this.store.find(this.r('namespaces'), undefined, namespace);
    const age = Date.now() - new Date(ns?.metadata.creationTimestamp ?? 0).getTime();
    if (!sccAnnotated(this.store, this.resources, namespace) && age < SCC_ANNOTATION_WAIT_MS) return;
    const missing = this.eligibleNodes(template.spec).filter((node) => !covered.has(node)).slice(0, BURST_REPLICAS);
    const latency = this.state.settings.podCreateLatencyMs ?? 0;
    for (let at = 0, batch = SLOW_START_INITIAL_BATCH; at < missing.length; at += batch, batch *= 2) {
      const results = await Promise.all(missing.slice(at, at + batch).map((node) => this.createDaemonPod(ds, namespace, template, node, latency)));
      // A batch with a failure ends the sync ("Slow-start failure. Skipping creation of pods"); the next one tries again.
      if (results.includes(false)) return;
    }
  }

  private async createDaemonPod(ds: KubeObject, namespace: string, template: { metadata?: { labels?: Record<string, string> }; spec: Record<string, unknown> }, node: string, latencyMs: number): Promise<boolean> {
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        generateName: `${ds.metadata.name}-`,
        namespace,
        labels: template.metadata?.labels ?? {},
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: ds.metadata.name!, uid: ds.metadata.uid!, controller: true }],
      },
      spec: withPodDefaults({
        ...(structuredClone(template.spec) as unknown as PodSpec),
        restartPolicy: 'Always',
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] } } },
      }) as KubeObject['spec'],
    };
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    // Gone meanwhile (the run ended): nothing to create.
    if (!this.store.find(this.r('daemonsets'), namespace, ds.metadata.name!)) return false;
    try {
      admitPod(this.store, this.resources, this.state, pod, { user: 'system:serviceaccount:kube-system:daemon-set-controller', groups: ['system:serviceaccounts'], controller: true }, this.kubeMinor());
      const created = this.store.create(this.r('pods'), pod);
      this.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
      return true;
    } catch (error) {
      if (error instanceof ApiError) this.event(ds, 'Warning', 'FailedCreate', `Error creating: ${error.message}`);
      return false;
    }
  }

  /** Nodes the template's affinity names, that exist (a deleted node is gone for the controller). */
  private eligibleNodes(spec: Record<string, unknown>): string[] {
    const named = affinityNodeNames(spec.affinity);
    const nodes = this.store.view(this.r('nodes')).map((n) => n.metadata.name!).filter((n) => this.state.behaviour(n) !== 'deleted');
    if (!named) return nodes;
    const wanted = new Set(named);
    return nodes.filter((n) => wanted.has(n));
  }

  /** The scheduler: binds each pinned pod to its node. */
  private schedule(): void {
    for (const pod of this.store.view(this.r('pods'))) {
      if (pod.spec?.nodeName || pod.metadata.deletionTimestamp) continue;
      const node = pinnedNode(pod as KubeObject);
      if (!node) continue;
      this.store.update(this.r('pods'), pod.metadata.namespace, pod.metadata.name!, (p) => {
        p.spec = { ...p.spec, nodeName: node } as KubeObject['spec'];
      });
    }
  }

  private collect(ds: KubeObject): void {
    for (const p of this.store.view(this.r('pods'), ds.metadata.namespace)) {
      if (p.metadata.ownerReferences?.some((o) => o.uid === ds.metadata.uid) && !p.metadata.deletionTimestamp) this.remove(this.r('pods'), p.metadata.namespace, p.metadata.name!);
    }
  }

  /** An event on the object; a repeat of the same one counts up, as the event recorder aggregates. */
  private event(object: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const events = this.r('events');
    const namespace = object.metadata.namespace!;
    const same = this.store.view(events, namespace).find((e) => (e.involvedObject as { uid?: string }).uid === object.metadata.uid && e.reason === reason && e.message === message);
    if (same) {
      this.store.update(events, namespace, same.metadata.name!, (e) => {
        e.count = Number(e.count ?? 1) + 1;
        e.lastTimestamp = now();
      });
      return;
    }
    this.store.create(events, {
      metadata: { generateName: `${object.metadata.name}.`, namespace },
      involvedObject: { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name, namespace, uid: object.metadata.uid, resourceVersion: object.metadata.resourceVersion },
      reason,
      message,
      type,
      count: 1,
      firstTimestamp: now(),
      lastTimestamp: now(),
      source: { component: 'daemonset-controller' },
      reportingComponent: 'daemonset-controller',
    });
  }
}
