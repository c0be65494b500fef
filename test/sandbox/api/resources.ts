// The resources the sandbox serves, by group and version, as discovery lists them
// (k8s.io/apimachinery pkg/apis/meta/v1 APIResourceList). Which OpenShift and Kubernetes
// versions serve which: selfsubjectreviews from Kubernetes 1.27 (KEP-3325: beta and on by
// default in 1.27, GA in 1.28); ImageDigestMirrorSet and ImageTagMirrorSet from OpenShift 4.13
// (openshift/api config/v1 types_image_digest_mirrorset.go, added for 4.13); ClusterImagePolicy
// and ImagePolicy behind the SigstoreImageVerification gate: config.openshift.io/v1alpha1 on a
// TechPreviewNoUpgrade 4.19, config.openshift.io/v1 from 4.20, where the gate is on by default
// (openshift/api features/features.go; config/v1 types_cluster_image_policy.go and
// types_image_policy.go first in release-4.20; config/v1alpha1's gone from release-4.22). A
// TechPreview 4.20 or 4.21 also serves v1alpha1; the sandbox does not play that.

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
// 4.19 to 5.0: machine-config-operator go.mod k8s.io/api v0.32 to v0.36 on release-4.19 to
// release-5.0 (5.0 is the branch release-4.23 was).
export const KUBE_MINOR_OF_OPENSHIFT: Record<string, number> = {
  '4.12': 25, '4.13': 26, '4.14': 27, '4.15': 28, '4.16': 29, '4.17': 30, '4.18': 31, '4.19': 32, '4.20': 33, '4.21': 34, '4.22': 35, '5.0': 36,
};

export type FeatureSet = 'Default' | 'TechPreviewNoUpgrade';

/** The version ClusterImagePolicy and ImagePolicy are served at, or null. */
export function imagePolicyVersion(openshift: string, featureSet: FeatureSet = 'Default'): string | null {
  const kube = KUBE_MINOR_OF_OPENSHIFT[openshift] ?? 0;
  if (kube >= 33) return 'v1';
  return kube === 32 && featureSet === 'TechPreviewNoUpgrade' ? 'v1alpha1' : null;
}

export function servedResources(openshift: string, featureSet: FeatureSet = 'Default'): Resource[] {
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
    // ConfigMaps (kubernetes pkg/apis/core/v1): the MCO's drain override lives in one.
    { group: '', version: 'v1', name: 'configmaps', singular: 'configmap', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'], verbs: CRUD },
    { group: '', version: 'v1', name: 'resourcequotas', singular: 'resourcequota', kind: 'ResourceQuota', namespaced: true, shortNames: ['quota'], verbs: CRUD },
    { group: '', version: 'v1', name: 'nodes', singular: 'node', kind: 'Node', namespaced: false, shortNames: ['no'], verbs: CRUD, subresources: ['proxy'], fields: ['spec.unschedulable'] },
    { group: 'apps', version: 'v1', name: 'daemonsets', singular: 'daemonset', kind: 'DaemonSet', namespaced: true, shortNames: ['ds'], verbs: CRUD },
    { group: 'rbac.authorization.k8s.io', version: 'v1', name: 'roles', singular: 'role', kind: 'Role', namespaced: true, verbs: CRUD },
    { group: 'rbac.authorization.k8s.io', version: 'v1', name: 'rolebindings', singular: 'rolebinding', kind: 'RoleBinding', namespaced: true, verbs: CRUD },
    { group: 'rbac.authorization.k8s.io', version: 'v1', name: 'clusterroles', singular: 'clusterrole', kind: 'ClusterRole', namespaced: false, verbs: CRUD },
    { group: 'rbac.authorization.k8s.io', version: 'v1', name: 'clusterrolebindings', singular: 'clusterrolebinding', kind: 'ClusterRoleBinding', namespaced: false, verbs: CRUD },
    { group: 'operator.openshift.io', version: 'v1alpha1', name: 'imagecontentsourcepolicies', singular: 'imagecontentsourcepolicy', kind: 'ImageContentSourcePolicy', namespaced: false, verbs: CRUD },
    { group: 'config.openshift.io', version: 'v1', name: 'images', singular: 'image', kind: 'Image', namespaced: false, verbs: CRUD },
    { group: 'config.openshift.io', version: 'v1', name: 'clusterversions', singular: 'clusterversion', kind: 'ClusterVersion', namespaced: false, verbs: CRUD },
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
  // MachineConfiguration's node disruption policy, GA in 4.17 (Kubernetes 1.30): openshift/api
  // operator/v1 types_machineconfiguration.go.
  if (kube >= 30) list.push({ group: 'operator.openshift.io', version: 'v1', name: 'machineconfigurations', singular: 'machineconfiguration', kind: 'MachineConfiguration', namespaced: false, verbs: CRUD });
  const policyVersion = imagePolicyVersion(openshift, featureSet);
  if (policyVersion) {
    list.push(
      { group: 'config.openshift.io', version: policyVersion, name: 'clusterimagepolicies', singular: 'clusterimagepolicy', kind: 'ClusterImagePolicy', namespaced: false, verbs: CRUD },
      { group: 'config.openshift.io', version: policyVersion, name: 'imagepolicies', singular: 'imagepolicy', kind: 'ImagePolicy', namespaced: true, verbs: CRUD },
    );
  }
  // CRIOCredentialProviderConfig: v1alpha1 on a TechPreviewNoUpgrade 4.22, v1 and on by default in
  // 5.0 (openshift/api features.go CRIOCredentialProviderConfig; machine-config-operator
  // ce89998ab "upgrade ... to v1").
  const providerVersion = kube >= 36 ? 'v1' : kube === 35 && featureSet === 'TechPreviewNoUpgrade' ? 'v1alpha1' : null;
  if (providerVersion) list.push({ group: 'config.openshift.io', version: providerVersion, name: 'criocredentialproviderconfigs', singular: 'criocredentialproviderconfig', kind: 'CRIOCredentialProviderConfig', namespaced: false, verbs: CRUD });
  // SelfSubjectReview: v1beta1 from 1.27, v1 from 1.28 (kubernetes pkg/apis/authentication, KEP-3325).
  if (kube >= 27) list.push({ group: 'authentication.k8s.io', version: 'v1beta1', name: 'selfsubjectreviews', singular: '', kind: 'SelfSubjectReview', namespaced: false, verbs: ['create'] });
  if (kube >= 28) list.push({ group: 'authentication.k8s.io', version: 'v1', name: 'selfsubjectreviews', singular: '', kind: 'SelfSubjectReview', namespaced: false, verbs: ['create'] });
  return list;
}

export const groupVersion = (r: Pick<Resource, 'group' | 'version'>) => (r.group ? `${r.group}/${r.version}` : r.version);
