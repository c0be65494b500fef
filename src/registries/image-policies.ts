// ClusterImagePolicy and ImagePolicy (config.openshift.io v1alpha1 on 4.19, v1 from 4.20; the
// types are openshift/api config/v1 types_cluster_image_policy.go, types_image_policy.go), and
// the policy.json requirement each becomes, as the MCO makes it
// (machine-config-operator pkg/controller/container-runtime-config/helpers.go policyItemFromSpec;
// the JSON field names are containers/image signature/policy_types.go's).
import type { TrustRoot } from './signature-policy.js';

export type ImagePolicyKind = 'ClusterImagePolicy' | 'ImagePolicy';

export interface ImagePolicyObject {
  kind: ImagePolicyKind;
  name: string;
  /** ImagePolicy only. */
  namespace: string | null;
  apiVersion: string;
  scopes: string[];
  root: TrustRoot | null;
  /** The policy.json requirement (sigstoreSigned) the MCO writes for it. */
  requirement: Record<string, unknown>;
}

export const IMAGE_POLICY_API_VERSIONS = ['config.openshift.io/v1', 'config.openshift.io/v1alpha1'];

export function isImagePolicyKind(kind: unknown): kind is ImagePolicyKind {
  return kind === 'ClusterImagePolicy' || kind === 'ImagePolicy';
}

type Fail = (field: string, problem: string) => never;
type Obj = Record<string, unknown>;

const IDENTITY_TYPES: Record<string, string> = {
  MatchRepoDigestOrExact: 'matchRepoDigestOrExact',
  MatchRepository: 'matchRepository',
  ExactRepository: 'exactRepository',
  RemapIdentity: 'remapIdentity',
};

function signedIdentity(identity: Obj | undefined, fail: Fail): Obj {
  if (!identity) return { type: 'matchRepoDigestOrExact' };
  const type = IDENTITY_TYPES[String(identity.matchPolicy)];
  if (!type) fail('spec.policy.signedIdentity.matchPolicy', `unknown signedIdentity match policy: ${String(identity.matchPolicy)}`);
  if (type === 'exactRepository') return { type, dockerRepository: (identity.exactRepository as Obj | undefined)?.repository };
  if (type === 'remapIdentity') {
    const remap = (identity.remapIdentity ?? {}) as Obj;
    return { type, prefix: remap.prefix, signedPrefix: remap.signedPrefix };
  }
  return { type: type! };
}

// Keys with no value are left out, as Go's omitempty does.
const defined = (o: Obj): Obj => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== ''));

function requirementOf(policy: Obj, fail: Fail): { root: TrustRoot | null; requirement: Obj } {
  const trust = (policy.rootOfTrust ?? {}) as Obj;
  const type = trust.policyType;
  let fields: Obj;
  if (type === 'PublicKey') {
    const key = (trust.publicKey ?? {}) as Obj;
    fields = defined({ keyData: key.keyData, rekorPublicKeyData: key.rekorKeyData });
  } else if (type === 'FulcioCAWithRekor') {
    const f = (trust.fulcioCAWithRekor ?? {}) as Obj;
    const subject = (f.fulcioSubject ?? {}) as Obj;
    fields = { fulcio: defined({ caData: f.fulcioCAData, oidcIssuer: subject.oidcIssuer, subjectEmail: subject.signedEmail }), rekorPublicKeyData: f.rekorKeyData };
  } else if (type === 'PKI') {
    const p = (trust.pki ?? {}) as Obj;
    const subject = (p.pkiCertificateSubject ?? {}) as Obj;
    fields = { pki: defined({ caRootsData: p.caRootsData, caIntermediatesData: p.caIntermediatesData, subjectEmail: subject.email, subjectHostname: subject.hostname }) };
  } else {
    return fail('spec.policy.rootOfTrust.policyType', `must be PublicKey, FulcioCAWithRekor or PKI, not ${JSON.stringify(type)}`);
  }
  return { root: type, requirement: { type: 'sigstoreSigned', ...fields, signedIdentity: signedIdentity(policy.signedIdentity as Obj | undefined, fail) } };
}

export function readImagePolicy(kind: ImagePolicyKind, o: Obj, fail: Fail): ImagePolicyObject {
  const metadata = (o.metadata ?? {}) as Obj;
  const spec = (o.spec ?? {}) as Obj;
  if (!IMAGE_POLICY_API_VERSIONS.includes(String(o.apiVersion))) fail('apiVersion', `must be one of ${IMAGE_POLICY_API_VERSIONS.join(', ')}, not ${JSON.stringify(o.apiVersion)}`);
  const scopes = spec.scopes;
  if (!Array.isArray(scopes) || scopes.length === 0 || scopes.some((s) => typeof s !== 'string')) fail('spec.scopes', 'must be a list of one or more scopes');
  const { root, requirement } = requirementOf((spec.policy ?? {}) as Obj, fail);
  return {
    kind,
    name: String(metadata.name ?? ''),
    namespace: kind === 'ImagePolicy' ? String(metadata.namespace ?? 'default') : null,
    apiVersion: String(o.apiVersion),
    scopes: scopes as string[],
    root,
    requirement,
  };
}
