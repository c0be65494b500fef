// CRIOCredentialProviderConfig (config.openshift.io/v1alpha1 on a TechPreview 4.22, v1 from 5.0;
// openshift/api config/v1 types_crio_credential_provider_config.go): the singleton `cluster`
// whose spec.matchImages tell the kubelet to ask CRI-O's credential provider for an image's
// credentials, which it finds in the pod's own namespace and hands to CRI-O for that pull and its
// mirrors (/etc/crio/auth). A pull made on the node for no pod, as verify's is, gets none of them.
// The match is the kubelet's (k8s.io/kubernetes pkg/credentialprovider/keyring.go URLsMatch):
// the same number of host labels, each matched by its pattern label (`*` for a whole label), the
// same port, and the pattern's path a prefix of the image's.
import { type ImageReference, referenceName } from './reference.js';

export interface CredentialProvider {
  apiVersion: string;
  matchImages: string[];
}

export function readCredentialProvider(o: Record<string, unknown>): CredentialProvider {
  const spec = (o.spec ?? {}) as { matchImages?: unknown };
  const matchImages = Array.isArray(spec.matchImages) ? spec.matchImages.filter((m): m is string => typeof m === 'string') : [];
  return { apiVersion: String(o.apiVersion), matchImages };
}

function split(text: string): { labels: string[]; port: string; path: string } {
  const schemeless = text.replace(/^[a-z]+:\/\//, '');
  const slash = schemeless.indexOf('/');
  const hostPort = slash === -1 ? schemeless : schemeless.slice(0, slash);
  const path = slash === -1 ? '' : schemeless.slice(slash);
  const colon = hostPort.lastIndexOf(':');
  const [host, port] = colon === -1 ? [hostPort, ''] : [hostPort.slice(0, colon), hostPort.slice(colon + 1)];
  return { labels: host.split('.'), port, path };
}

const labelMatches = (glob: string, label: string) => new RegExp(`^${glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`).test(label);

/** Whether the kubelet asks CRI-O's credential provider for this image (its source, as the pod names it). */
export function providerMatches(provider: CredentialProvider | null, ref: ImageReference): boolean {
  if (!provider) return false;
  const target = split(referenceName(ref));
  return provider.matchImages.some((pattern) => {
    const glob = split(pattern);
    return glob.port === target.port && glob.labels.length === target.labels.length && target.path.startsWith(glob.path) && glob.labels.every((g, i) => labelMatches(g, target.labels[i]!));
  });
}
