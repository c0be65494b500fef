// policy.json as containers/image reads it (signature/policy_config.go, policy_types.go), and the
// requirement that applies to a pull: matched against the logical (source) reference, never the
// mirror's (signature/policy_eval.go requirementsForImageRef: the full identity, then each parent
// namespace, then `*.domain` wildcards, then the transport's "" and the global default;
// docker/policyconfiguration/naming.go DockerReferenceIdentity, DockerReferenceNamespaces).
import { InputError } from '../errors.js';
import { type ImageReference, referenceName } from './reference.js';

/** How a sigstoreSigned requirement's signatures are trusted; the ClusterImagePolicy's policyType. */
export type TrustRoot = 'PublicKey' | 'FulcioCAWithRekor' | 'PKI';

export interface Requirement {
  /** insecureAcceptAnything, reject, signedBy, sigstoreSigned, signedBaseLayer. */
  type: string;
  /** sigstoreSigned: what its signatures are checked against (null: none given, c/image refuses it). */
  root: TrustRoot | null;
  /** signedBy and sigstoreSigned: signedIdentity's type (matchRepoDigestOrExact when absent). */
  identity: string | null;
  /** As the file has it, to compare with what the cluster renders. */
  raw: unknown;
}

export interface SignaturePolicy {
  default: Requirement[];
  /** transports.docker, by scope. */
  docker: Map<string, Requirement[]>;
}

/** The requirements a pull meets, and the scope they came from. */
export interface AppliedPolicy {
  /** The transports.docker scope; "" for the transport's default; null for the global default. */
  scope: string | null;
  requirements: Requirement[];
}

export class PolicyFileError extends InputError {}

const SIGNATURE_TYPES = new Set(['signedBy', 'sigstoreSigned']);

function requirementOf(value: unknown): Requirement {
  const r = (value ?? {}) as Record<string, unknown>;
  const type = typeof r.type === 'string' ? r.type : 'unknown';
  const identity = SIGNATURE_TYPES.has(type) ? ((r.signedIdentity as { type?: string } | undefined)?.type ?? 'matchRepoDigestOrExact') : null;
  let root: TrustRoot | null = null;
  if (type === 'sigstoreSigned') {
    if (r.fulcio) root = 'FulcioCAWithRekor';
    else if (r.pki) root = 'PKI';
    else if (r.keyPath || r.keyData || r.keyPaths || r.keyDatas) root = 'PublicKey';
  }
  return { type, root, identity, raw: value };
}

/** JSON with sorted keys: two requirements that say the same compare equal, whatever the writer's key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function requirementsOf(value: unknown, where: string): Requirement[] {
  if (!Array.isArray(value)) throw new PolicyFileError(`${where} is not a list of requirements`);
  return value.map(requirementOf);
}

/** Reads a policy.json's text; `path` names it in errors. */
export function readSignaturePolicy(text: string, path: string): SignaturePolicy {
  let data: { default?: unknown; transports?: Record<string, Record<string, unknown>> };
  try {
    data = JSON.parse(text) as typeof data;
  } catch (error) {
    throw new PolicyFileError(`${path} is not JSON: ${(error as Error).message}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new PolicyFileError(`${path} is not a policy object`);
  const docker = new Map<string, Requirement[]>();
  for (const [scope, reqs] of Object.entries(data.transports?.docker ?? {})) docker.set(scope, requirementsOf(reqs, `${path}: transports.docker["${scope}"]`));
  // c/image refuses a policy without a default (policy_config.go: `"default" field missing`).
  if (data.default === undefined) throw new PolicyFileError(`${path} has no "default" requirements`);
  return { default: requirementsOf(data.default, `${path}: default`), docker };
}

/** `name:tag` or `name@digest`: the full identity c/image looks up first. */
export function referenceIdentity(ref: ImageReference): string {
  return ref.digest ? `${referenceName(ref)}@${ref.digest}` : `${referenceName(ref)}:${ref.tag ?? 'latest'}`;
}

/** The repository, each parent namespace up to the host, then `*.` wildcards of the host without its port. */
export function referenceNamespaces(ref: ImageReference): string[] {
  const names: string[] = [];
  let name = referenceName(ref);
  for (;;) {
    names.push(name);
    const slash = name.lastIndexOf('/');
    if (slash === -1) break;
    name = name.slice(0, slash);
  }
  const colon = name.indexOf(':');
  if (colon !== -1) name = name.slice(0, colon);
  for (let dot = name.indexOf('.'); dot !== -1; dot = name.indexOf('.')) {
    name = name.slice(dot + 1);
    names.push(`*.${name}`);
  }
  return names;
}

export function policyFor(policy: SignaturePolicy, ref: ImageReference): AppliedPolicy {
  for (const scope of [referenceIdentity(ref), ...referenceNamespaces(ref), '']) {
    const requirements = policy.docker.get(scope);
    if (requirements) return { scope, requirements };
  }
  return { scope: null, requirements: policy.default };
}

/** The requirement that needs a signature, if any (c/image needs every requirement to accept). */
export function signatureRequirement(applied: AppliedPolicy): Requirement | null {
  return applied.requirements.find((r) => SIGNATURE_TYPES.has(r.type)) ?? null;
}

/** Every image is refused (a `reject` requirement): no signature can help. */
export function rejectsAll(applied: AppliedPolicy): boolean {
  return applied.requirements.some((r) => r.type === 'reject');
}
