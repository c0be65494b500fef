// The resources the sandbox serves, by group and version, as discovery lists them
// (k8s.io/apimachinery pkg/apis/meta/v1 APIResourceList). Which OpenShift and Kubernetes
// versions serve which: selfsubjectreviews from Kubernetes 1.27 (KEP-3325: beta and on by
// default in 1.27, GA in 1.28); ImageDigestMirrorSet and ImageTagMirrorSet from OpenShift 4.13
// (openshift/api config/v1 types_image_digest_mirrorset.go, added for 4.13).

export interface Resource {
  group: string;
  version: string;
  /** Plural, as in the URL. */
  name: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  verbs: string[];
  /** Field labels the API server accepts in fieldSelector, besides metadata.name and metadata.namespace. */
  fields?: string[];
  subresources?: string[];
}

const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const READ = ['get', 'list', 'watch'];

/** Kubernetes minor version of each OpenShift release (openshift/kubernetes release-4.N branches). */
export const KUBE_MINOR_OF_OPENSHIFT: Record<string, number> = { '4.12': 25, '4.13': 26, '4.14': 27, '4.15': 28, '4.16': 29, '4.17': 30, '4.18': 31 };

export function servedResources(openshift: string): Resource[] {
  const kube = KUBE_MINOR_OF_OPENSHIFT[openshift];
  if (kube === undefined) throw new Error(`the sandbox knows OpenShift ${Object.keys(KUBE_MINOR_OF_OPENSHIFT).join(', ')}, not ${openshift}`);
  const list: Resource[] = [
    { group: '', version: 'v1', name: 'namespaces', singular: 'namespace', kind: 'Namespace', namespaced: false, shortNames: ['ns'], verbs: CRUD, fields: ['status.phase'] },
    // pkg/registry/core/pod/strategy.go ToSelectableFields
    { group: '', version: 'v1', name: 'pods', singular: 'pod', kind: 'Pod', namespaced: true, shortNames: ['po'], verbs: CRUD, subresources: ['log'],
      fields: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'] },
    // pkg/registry/core/event/strategy.go ToSelectableFields
    { group: '', version: 'v1', name: 'events', singular: 'event', kind: 'Event', namespaced: true, shortNames: ['ev'], verbs: CRUD,
      fields: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'] },
    { group: '', version: 'v1', name: 'serviceaccounts', singular: 'serviceaccount', kind: 'ServiceAccount', namespaced: true, shortNames: ['sa'], verbs: CRUD },
    { group: '', version: 'v1', name: 'resourcequotas', singular: 'resourcequota', kind: 'ResourceQuota', namespaced: true, shortNames: ['quota'], verbs: CRUD },
    { group: '', version: 'v1', name: 'nodes', singular: 'node', kind: 'Node', namespaced: false, shortNames: ['no'], verbs: CRUD, subresources: ['proxy'], fields: ['spec.unschedulable'] },
    { group: 'apps', version: 'v1', name: 'daemonsets', singular: 'daemonset', kind: 'DaemonSet', namespaced: true, shortNames: ['ds'], verbs: CRUD },
    { group: 'rbac.authorization.k8s.io', version: 'v1', name: 'roles', singular: 'role', kind: 'Role', namespaced: true, verbs: CRUD },
    { group: 'rbac.authorization.k8s.io', version: 'v1', name: 'rolebindings', singular: 'rolebinding', kind: 'RoleBinding', namespaced: true, verbs: CRUD },
    { group: 'rbac.authorization.k8s.io', version: 'v1', name: 'clusterroles', singular: 'clusterrole', kind: 'ClusterRole', namespaced: false, verbs: CRUD },
    { group: 'rbac.authorization.k8s.io', version: 'v1', name: 'clusterrolebindings', singular: 'clusterrolebinding', kind: 'ClusterRoleBinding', namespaced: false, verbs: CRUD },
    { group: 'operator.openshift.io', version: 'v1alpha1', name: 'imagecontentsourcepolicies', singular: 'imagecontentsourcepolicy', kind: 'ImageContentSourcePolicy', namespaced: false, verbs: CRUD },
    { group: 'config.openshift.io', version: 'v1', name: 'images', singular: 'image', kind: 'Image', namespaced: false, verbs: CRUD },
    { group: 'machineconfiguration.openshift.io', version: 'v1', name: 'machineconfigpools', singular: 'machineconfigpool', kind: 'MachineConfigPool', namespaced: false, shortNames: ['mcp'], verbs: CRUD },
    { group: 'machineconfiguration.openshift.io', version: 'v1', name: 'machineconfigs', singular: 'machineconfig', kind: 'MachineConfig', namespaced: false, shortNames: ['mc'], verbs: CRUD },
    { group: 'image.openshift.io', version: 'v1', name: 'imagestreamtags', singular: 'imagestreamtag', kind: 'ImageStreamTag', namespaced: true, shortNames: ['istag'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'] },
    { group: 'user.openshift.io', version: 'v1', name: 'users', singular: 'user', kind: 'User', namespaced: false, verbs: CRUD },
    { group: 'security.openshift.io', version: 'v1', name: 'securitycontextconstraints', singular: 'securitycontextconstraints', kind: 'SecurityContextConstraints', namespaced: false, shortNames: ['scc'], verbs: READ },
  ];
  if (kube >= 26) {
    list.push(
      { group: 'config.openshift.io', version: 'v1', name: 'imagedigestmirrorsets', singular: 'imagedigestmirrorset', kind: 'ImageDigestMirrorSet', namespaced: false, shortNames: ['idms'], verbs: CRUD },
      { group: 'config.openshift.io', version: 'v1', name: 'imagetagmirrorsets', singular: 'imagetagmirrorset', kind: 'ImageTagMirrorSet', namespaced: false, shortNames: ['itms'], verbs: CRUD },
    );
  }
  // SelfSubjectReview: v1beta1 from 1.27, v1 from 1.28 (kubernetes pkg/apis/authentication, KEP-3325).
  if (kube >= 27) list.push({ group: 'authentication.k8s.io', version: 'v1beta1', name: 'selfsubjectreviews', singular: '', kind: 'SelfSubjectReview', namespaced: false, verbs: ['create'] });
  if (kube >= 28) list.push({ group: 'authentication.k8s.io', version: 'v1', name: 'selfsubjectreviews', singular: '', kind: 'SelfSubjectReview', namespaced: false, verbs: ['create'] });
  return list;
}

export const groupVersion = (r: Pick<Resource, 'group' | 'version'>) => (r.group ? `${r.group}/${r.version}` : r.version);
