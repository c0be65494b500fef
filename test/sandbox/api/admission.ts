// Admission of pods, as OpenShift's API server does it before a pod is stored.
//
// SCC admission (openshift/apiserver-library-go pkg/securitycontextconstraints/sccadmission/
// admission.go): a pod is admitted when the user who creates it, or the pod's service account,
// may `use` an SCC that allows it. A controller creates a DaemonSet's pods, so only the pods'
// service account counts there; a new namespace's `default` account may use no privileged SCC.
// ClusterRole system:openshift:scc:privileged grants `use` of `privileged`
// (openshift/cluster-kube-apiserver-operator bindata/bootkube/scc-manifests/
// 0000_20_kube-apiserver-operator_00_cr-scc-privileged.yaml). The annotation
// openshift.io/required-scc pins the SCC (openshift/oc#1763). The admitted pod is annotated
// openshift.io/scc with the SCC that admitted it.
//
// Quota (kubernetes plugin/pkg/admission/resourcequota): a sandbox node marked `refused` plays a
// namespace whose pod quota is used up.
import type { ClusterState } from './cluster-state.js';
import type { Store } from './store.js';
import type { Resource } from './resources.js';
import { forbidden, type KubeObject } from './types.js';

export const PRIVILEGED_SCC_ROLE = 'system:openshift:scc:privileged';

export interface Creator {
  user: string;
  groups: string[];
  /** A controller (the DaemonSet controller) creates the pod: only the service account counts. */
  controller: boolean;
}

/** What a refusal of every SCC looks like (the list a 4.14+ cluster ships). */
const SCC_REFUSAL =
  'unable to validate against any security context constraint: [provider "anyuid": Forbidden: not usable by user or serviceaccount, ' +
  'provider restricted-v2: .spec.securityContext.hostNetwork: Invalid value: true: Host network is not allowed to be used, ' +
  'provider restricted-v2: .spec.securityContext.hostPID: Invalid value: true: Host PID is not allowed to be used, ' +
  'spec.volumes[0]: Invalid value: "hostPath": hostPath volumes are not allowed to be used, ' +
  'provider restricted-v2: .containers[0].privileged: Invalid value: true: Privileged containers are not allowed, ' +
  'provider "restricted": Forbidden: not usable by user or serviceaccount, provider "nonroot-v2": Forbidden: not usable by user or serviceaccount, ' +
  'provider "nonroot": Forbidden: not usable by user or serviceaccount, provider "hostmount-anyuid": Forbidden: not usable by user or serviceaccount, ' +
  'provider "hostnetwork-v2": Forbidden: not usable by user or serviceaccount, provider "hostnetwork": Forbidden: not usable by user or serviceaccount, ' +
  'provider "hostaccess": Forbidden: not usable by user or serviceaccount, provider "privileged": Forbidden: not usable by user or serviceaccount]';

export function needsPrivileged(pod: KubeObject): boolean {
  type Containers = { securityContext?: { privileged?: boolean } }[];
  const spec = (pod.spec ?? {}) as { hostPID?: boolean; hostNetwork?: boolean; hostIPC?: boolean; volumes?: { hostPath?: unknown }[]; containers?: Containers; initContainers?: Containers };
  // Init containers are checked as the others (openshift/apiserver-library-go pkg/securitycontextconstraints/sccmatching: every container of the pod).
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  return Boolean(spec.hostPID || spec.hostNetwork || spec.hostIPC || spec.volumes?.some((v) => v.hostPath) || containers.some((c) => c.securityContext?.privileged));
}

/**
 * The annotation SCC admission needs on the pod's namespace, which OpenShift's
 * cluster-policy-controller adds to each new namespace (namespace-security-allocation-controller;
 * the sandbox's controllers.ts plays it). Admission waits up to 10 s for it
 * (apiserver-library-go pkg/securitycontextconstraints/sccmatching CreateProvidersFromConstraints,
 * polling the namespace lister on 4.13+), then refuses, even with required-scc: privileged.
 */
export const UID_RANGE_ANNOTATION = 'openshift.io/sa.scc.uid-range';
export const SCC_ANNOTATION_WAIT_MS = 10_000;

export function sccAnnotated(store: Store, resources: Resource[], namespace: string): boolean {
  const ns = store.find(resources.find((r) => r.name === 'namespaces')!, undefined, namespace);
  return Boolean(ns?.metadata.annotations?.[UID_RANGE_ANNOTATION]);
}

export function admitPod(store: Store, resources: Resource[], state: ClusterState, pod: KubeObject, creator: Creator, kubeMinor = 31): void {
  const name = pod.metadata.name ?? pod.metadata.generateName ?? '';
  const namespace = pod.metadata.namespace!;
  if (!sccAnnotated(store, resources, namespace)) {
    // The text as the review of apiserver-library-go read it (upstream-review-d319083, finding 4).
    throw forbidden('pods', '', name, `error fetching namespace "${namespace}": unable to find annotation ${UID_RANGE_ANNOTATION}`);
  }
  const serviceAccount = (pod.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName ?? 'default';
  // kubernetes plugin/pkg/admission/serviceaccount: the pod's account must exist.
  const accounts = resources.find((r) => r.name === 'serviceaccounts')!;
  if (!store.find(accounts, namespace, serviceAccount)) {
    throw forbidden('pods', '', name, `error looking up service account ${namespace}/${serviceAccount}: serviceaccount "${serviceAccount}" not found`);
  }
  const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName ?? pinnedNode(pod);
  if (node && state.behaviour(node) === 'refused') {
    // The ResourceQuota admission's words (k8s.io/apiserver/pkg/admission/plugin/resourcequota/controller.go).
    throw forbidden('pods', '', name, 'exceeded quota: pods-quota, requested: pods=1, used: pods=10, limited: pods=10');
  }
  const privileged = needsPrivileged(pod);
  // openshift.io/required-scc is honoured from 4.14 (Kubernetes 1.27; apiserver-library-go
  // 1a2112378 "add mechanism to force an SCC selection", on release-4.14 and later only); before,
  // the highest-priority usable SCC that admits the pod is chosen.
  const required = kubeMinor >= 27 ? pod.metadata.annotations?.['openshift.io/required-scc'] : undefined;
  if (privileged || required === 'privileged') {
    const mayUse = (!creator.controller && isClusterAdmin(creator)) || accountMayUsePrivileged(store, resources, namespace, serviceAccount);
    if (!mayUse) throw forbidden('pods', '', name, SCC_REFUSAL);
  }
  pod.metadata.annotations = { ...pod.metadata.annotations, 'openshift.io/scc': privileged ? 'privileged' : (required ?? 'restricted-v2') };
}

const isClusterAdmin = (c: Creator) => c.groups.includes('system:masters') || c.groups.includes('system:cluster-admins');

function accountMayUsePrivileged(store: Store, resources: Resource[], namespace: string, account: string): boolean {
  const subjects = (binding: KubeObject) => ((binding.subjects ?? []) as { kind: string; name: string; namespace?: string }[]);
  const grants = (binding: KubeObject, bindingNamespace?: string) =>
    (binding.roleRef as { kind?: string; name?: string } | undefined)?.kind === 'ClusterRole' &&
    (binding.roleRef as { name?: string }).name === PRIVILEGED_SCC_ROLE &&
    subjects(binding).some(
      (s) =>
        (s.kind === 'ServiceAccount' && s.name === account && (s.namespace ?? bindingNamespace) === namespace) ||
        (s.kind === 'Group' && (s.name === `system:serviceaccounts:${namespace}` || s.name === 'system:serviceaccounts')),
    );
  const roleBindings = resources.find((r) => r.name === 'rolebindings')!;
  const clusterRoleBindings = resources.find((r) => r.name === 'clusterrolebindings')!;
  return store.view(roleBindings, namespace).some((b) => grants(b as KubeObject, namespace)) || store.view(clusterRoleBindings).some((b) => grants(b as KubeObject));
}

/** The node names a pod spec's required node affinity names by metadata.name, if it names any. */
export function affinityNodeNames(affinity: unknown): string[] | undefined {
  const terms = (affinity as { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: { matchFields?: { key: string; values?: string[] }[] }[] } } } | undefined)
    ?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  return terms?.[0]?.matchFields?.find((f) => f.key === 'metadata.name')?.values;
}

/** The node a DaemonSet pod is pinned to by its affinity before the scheduler binds it. */
export function pinnedNode(pod: KubeObject): string | undefined {
  const values = affinityNodeNames(pod.spec?.affinity);
  return values?.length === 1 ? values[0] : undefined;
}
