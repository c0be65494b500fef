// One function per question about the cluster; each is one `oc get` with an argv array.
import type { PolicyKind } from '../registries/policies.js';
import type { ImagePolicyKind } from '../registries/image-policies.js';
import { clientError, clientJson as parseJson, isUnservedType } from './client-talk.js';
import type { OcRunner } from './runner.js';

export interface ClusterNode {
  name: string;
  labels: Record<string, string>;
  ready: boolean;
  /** Why a node that is not Ready is not, from its Ready condition. */
  notReadyReason: string | null;
  currentConfig: string | null;
  desiredConfig: string | null;
  /** The MCO daemon's state on the node: Done, Working, Degraded. */
  mcoState: string | null;
}

export const POLICY_RESOURCES: Record<PolicyKind, string> = {
  ImageContentSourcePolicy: 'imagecontentsourcepolicies.operator.openshift.io',
  ImageDigestMirrorSet: 'imagedigestmirrorsets.config.openshift.io',
  ImageTagMirrorSet: 'imagetagmirrorsets.config.openshift.io',
};

/** Signature policies: served from 4.20 (v1; v1alpha1 on a TechPreview 4.19), read at the version the cluster prefers. */
export const IMAGE_POLICY_RESOURCES: Record<ImagePolicyKind, string> = {
  ClusterImagePolicy: 'clusterimagepolicies.config.openshift.io',
  ImagePolicy: 'imagepolicies.config.openshift.io',
};

/** The cluster's ClusterImagePolicies, or every namespace's ImagePolicies; none where the type is not served. */
export async function listImagePolicyObjects(oc: OcRunner, kind: ImagePolicyKind): Promise<Record<string, unknown>[]> {
  const args = ['get', IMAGE_POLICY_RESOURCES[kind], ...(kind === 'ImagePolicy' ? ['--all-namespaces'] : []), '-o', 'json'];
  return (await getItems(oc, args, `list ${IMAGE_POLICY_RESOURCES[kind]}`)) ?? [];
}

export async function listNodes(oc: OcRunner, selector: string | undefined): Promise<ClusterNode[]> {
  // --selector=value: a selector that starts with '-' can never be taken for another flag.
  const args = ['get', 'nodes', '-o', 'json', ...(selector ? [`--selector=${selector}`] : [])];
  const items = await getItems(oc, args, 'list nodes');
  return (items ?? []).map(toNode);
}

export interface PodImage {
  namespace: string;
  pod: string;
  /** The image as the pod spec names it. */
  image: string;
  /** The runtime's id for what it pulled; `name@sha256:…` when the runtime reports a digest. */
  imageID: string;
}

/** The images of every running container, cluster-wide. */
export async function listPodImages(oc: OcRunner): Promise<PodImage[]> {
  const items = (await getItems(oc, ['get', 'pods', '--all-namespaces', '-o', 'json', '--field-selector=status.phase=Running'], 'list pods')) ?? [];
  return items.flatMap((item) => {
    const metadata = (item.metadata ?? {}) as { name?: string; namespace?: string };
    const status = (item.status ?? {}) as { containerStatuses?: { image?: string; imageID?: string }[]; initContainerStatuses?: { image?: string; imageID?: string }[] };
    return [...(status.containerStatuses ?? []), ...(status.initContainerStatuses ?? [])].map((c) => ({
      namespace: metadata.namespace ?? '',
      pod: metadata.name ?? '',
      image: c.image ?? '',
      imageID: c.imageID ?? '',
    }));
  });
}

/** Node names only, for shell completion. */
export async function listNodeNames(oc: OcRunner): Promise<string[]> {
  const result = await oc.run(['get', 'nodes', '-o', 'name']);
  if (result.exitCode !== 0) return [];
  return result.stdout.split('\n').map((l) => l.trim().replace(/^node\//, '')).filter(Boolean);
}

/** Objects of one policy kind; a kind the cluster does not serve yields none, not an error. */
export async function listPolicyObjects(oc: OcRunner, kind: PolicyKind): Promise<Record<string, unknown>[]> {
  return (await getItems(oc, ['get', POLICY_RESOURCES[kind], '-o', 'json'], `list ${POLICY_RESOURCES[kind]}`)) ?? [];
}

/** CRIOCredentialProviderConfig/cluster (4.22 TechPreview, 5.0), or null where none is served or made. */
export function getCredentialProviderConfig(oc: OcRunner): Promise<Record<string, unknown> | null> {
  return getClusterSingleton(oc, 'criocredentialproviderconfigs.config.openshift.io', 'read criocredentialproviderconfig/cluster');
}

/** Whether the cluster has a ConfigMap (`namespace/name`): false where it has not, or it cannot be read. */
export async function hasConfigMap(oc: OcRunner, namespaced: string): Promise<boolean> {
  const [namespace = '', name = ''] = namespaced.split('/');
  const result = await oc.run(['get', 'configmap', name, '-n', namespace, '-o', 'name']);
  return result.exitCode === 0 && result.stdout.trim() !== '';
}

/** MachineConfiguration/cluster (4.17 and later): the node disruption policies the MCO applies. */
export function getMachineConfiguration(oc: OcRunner): Promise<Record<string, unknown> | null> {
  return getClusterSingleton(oc, 'machineconfigurations.operator.openshift.io', 'read machineconfiguration/cluster');
}

export function getImageConfig(oc: OcRunner): Promise<Record<string, unknown> | null> {
  return getClusterSingleton(oc, 'images.config.openshift.io', 'read image.config.openshift.io/cluster');
}

/** The object named `cluster` of a resource, or null where the type is not served or the object not made. */
async function getClusterSingleton(oc: OcRunner, resource: string, what: string): Promise<Record<string, unknown> | null> {
  const result = await oc.run(['get', resource, 'cluster', '-o', 'json', '--ignore-not-found']);
  if (result.exitCode !== 0) {
    if (isUnservedType(result)) return null;
    throw clientError(oc, what, result);
  }
  return result.stdout.trim() === '' ? null : (parseJson(result.stdout, what) as Record<string, unknown>);
}

async function getItems(oc: OcRunner, args: string[], what: string): Promise<Record<string, unknown>[] | null> {
  const result = await oc.run(args);
  if (result.exitCode !== 0) {
    if (isUnservedType(result)) return null;
    throw clientError(oc, what, result);
  }
  const list = parseJson(result.stdout, what) as { items?: Record<string, unknown>[] };
  return list.items ?? [];
}


const CURRENT_CONFIG = 'machineconfiguration.openshift.io/currentConfig';
const MCO_STATE = 'machineconfiguration.openshift.io/state';
const DESIRED_CONFIG = 'machineconfiguration.openshift.io/desiredConfig';

function toNode(item: Record<string, unknown>): ClusterNode {
  const metadata = (item.metadata ?? {}) as { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  const status = (item.status ?? {}) as { conditions?: { type: string; status: string; reason?: string; message?: string }[] };
  const readyCondition = status.conditions?.find((c) => c.type === 'Ready');
  const ready = readyCondition?.status === 'True';
  const spec = (item.spec ?? {}) as { unschedulable?: boolean };
  return {
    name: metadata.name ?? '',
    labels: metadata.labels ?? {},
    ready,
    notReadyReason: ready
      ? null
      : (readyCondition?.message ?? readyCondition?.reason ?? 'no Ready condition') + (spec.unschedulable ? ' (cordoned)' : ''),
    currentConfig: metadata.annotations?.[CURRENT_CONFIG] ?? null,
    desiredConfig: metadata.annotations?.[DESIRED_CONFIG] ?? null,
    mcoState: metadata.annotations?.[MCO_STATE] ?? null,
  };
}

export const SERVER_VERSION_ARGS = ['version', '-o', 'json'];

/** The API server's Kubernetes minor (`oc version -o json`), or null when it cannot be read. */
export async function serverKubeMinor(oc: OcRunner): Promise<number | null> {
  const answer = await oc.run(SERVER_VERSION_ARGS);
  try {
    const minor = Number.parseInt(JSON.parse(answer.stdout).serverVersion.minor, 10);
    return Number.isNaN(minor) ? null : minor;
  } catch {
    return null;
  }
}

/**
 * The kubeconfig's context and its server, as the client resolves them (--kubeconfig and
 * --context included): `config view --minify` keeps only the current context, its cluster and
 * user (kubectl pkg/cmd/config/view.go), from the files alone, without asking the API server.
 */
export const CLUSTER_IDENTITY_ARGS = ['config', 'view', '--minify', '-o', 'jsonpath={.current-context}{"\\t"}{.clusters[0].cluster.server}'];

export async function clusterIdentity(oc: OcRunner): Promise<{ context: string | null; server: string | null }> {
  const answer = await oc.run(CLUSTER_IDENTITY_ARGS);
  if (answer.exitCode !== 0) return { context: null, server: null };
  const [context = '', server = ''] = answer.stdout.trim().split('\t');
  return { context: context || null, server: server || null };
}
