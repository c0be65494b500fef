// Typed mirror policies: ImageContentSourcePolicy (operator.openshift.io/v1alpha1),
// ImageDigestMirrorSet and ImageTagMirrorSet (config.openshift.io/v1), and image.config's
// registrySources; validated with the openshift/api CRD patterns and the MCO's regexes
// (machine-config-operator pkg/controller/container-runtime-config/helpers.go).
import { InputError } from '../errors.js';

import { type CredentialProvider, readCredentialProvider } from './credential-provider.js';
import { type ImagePolicyKind, type ImagePolicyObject, isImagePolicyKind, readImagePolicy } from './image-policies.js';
import { type ImageReference, referenceName } from './reference.js';
import { matchPrefix } from './resolve.js';

export type PolicyKind = 'ImageContentSourcePolicy' | 'ImageDigestMirrorSet' | 'ImageTagMirrorSet';
export type SourcePolicy = 'AllowContactingSource' | 'NeverContactSource';

export interface MirrorRule {
  kind: PolicyKind;
  name: string;
  source: string;
  mirrors: string[];
  /** null when the object does not say (ICSP never does). */
  sourcePolicy: SourcePolicy | null;
  /** Which pulls the mirrors serve: ICSP and IDMS digest pulls, ITMS tag pulls. */
  pull: 'digest' | 'tag';
}

export interface RegistrySources {
  insecureRegistries: string[];
  blockedRegistries: string[];
  allowedRegistries: string[];
  containerRuntimeSearchRegistries: string[];
}

export interface PolicySet {
  rules: MirrorRule[];
  registrySources: RegistrySources | null;
  /** ClusterImagePolicy and ImagePolicy: the signatures pulls of their scopes need. */
  imagePolicies: ImagePolicyObject[];
  /** CRIOCredentialProviderConfig/cluster: images whose mirrors get a project's credentials. */
  credentialProvider: CredentialProvider | null;
  /** The objects in input order, for `list` and `migrate`. */
  objects: { kind: PolicyKind | 'Image' | ImagePolicyKind; name: string; object: Record<string, unknown> }[];
}

export class PolicyError extends InputError {}

/** Rules whose source scope holds the image, as containers/image would match the rendered entry. */
export function rulesCovering(rules: MirrorRule[], ref: ImageReference): MirrorRule[] {
  const name = referenceName(ref);
  return rules.filter((rule) => matchPrefix(name, rule.source) !== -1);
}

const KIND_API: Record<PolicyKind | 'Image', string> = {
  ImageContentSourcePolicy: 'operator.openshift.io/v1alpha1',
  ImageDigestMirrorSet: 'config.openshift.io/v1',
  ImageTagMirrorSet: 'config.openshift.io/v1',
  Image: 'config.openshift.io/v1',
};

// openshift/api config/v1 ImageMirror / ImageDigestMirrors.source patterns, as the MCO checks them.
const HOST = '(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?';
const PATH = '(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*';
export const MIRROR_PATTERN = new RegExp(`^${HOST}${PATH}$`);
export const SOURCE_PATTERN = new RegExp(`^(?:\\*\\.${HOST.replace('(?::[0-9]+)?', '')}|${HOST}${PATH})$`);

export function isPolicyKind(kind: unknown): kind is PolicyKind {
  return kind === 'ImageContentSourcePolicy' || kind === 'ImageDigestMirrorSet' || kind === 'ImageTagMirrorSet';
}

/** Reads policy objects (already decoded from YAML/JSON); `origin` names the file for errors. */
export function readPolicies(objects: { origin: string; object: unknown }[]): PolicySet {
  const set: PolicySet = { rules: [], registrySources: null, imagePolicies: [], credentialProvider: null, objects: [] };
  for (const { origin, object } of objects) {
    if (typeof object !== 'object' || object === null) continue;
    const o = object as Record<string, unknown>;
    const kind = o.kind;
    const name = String((o.metadata as { name?: unknown } | undefined)?.name ?? '');
    const where = `${origin}: ${String(kind)} ${JSON.stringify(name)}`;
    const fail = (field: string, problem: string): never => {
      throw new PolicyError(`${where}: ${field}: ${problem}`);
    };
    if (isPolicyKind(kind)) {
      checkApiVersion(o, kind, fail);
      set.objects.push({ kind, name, object: o });
      set.rules.push(...readRules(kind, name, o, fail));
    } else if (isImagePolicyKind(kind)) {
      set.objects.push({ kind, name, object: o });
      set.imagePolicies.push(readImagePolicy(kind, o, fail));
    } else if (kind === 'CRIOCredentialProviderConfig' && name === 'cluster') {
      set.credentialProvider = readCredentialProvider(o);
    } else if (kind === 'Image' && name === 'cluster') {
      checkApiVersion(o, 'Image', fail);
      set.objects.push({ kind, name, object: o });
      set.registrySources = readRegistrySources(o, fail);
    }
  }
  return set;
}

function checkApiVersion(o: Record<string, unknown>, kind: PolicyKind | 'Image', fail: (f: string, p: string) => never): void {
  if (o.apiVersion !== KIND_API[kind]) fail('apiVersion', `must be ${KIND_API[kind]}, not ${JSON.stringify(o.apiVersion)}`);
}

function readRules(kind: PolicyKind, name: string, o: Record<string, unknown>, fail: (f: string, p: string) => never): MirrorRule[] {
  const spec = (o.spec ?? {}) as Record<string, unknown>;
  const listField =
    kind === 'ImageContentSourcePolicy' ? 'repositoryDigestMirrors' : kind === 'ImageDigestMirrorSet' ? 'imageDigestMirrors' : 'imageTagMirrors';
  const list = spec[listField] ?? [];
  if (!Array.isArray(list)) fail(`spec.${listField}`, 'must be a list');
  return (list as unknown[]).map((entry, i) => {
    const field = `spec.${listField}[${i}]`;
    const e = (entry ?? {}) as Record<string, unknown>;
    const source = e.source;
    if (typeof source !== 'string' || source === '') fail(`${field}.source`, 'is required');
    checkSource(source as string, `${field}.source`, kind, fail);
    const mirrors = e.mirrors ?? [];
    if (!Array.isArray(mirrors)) fail(`${field}.mirrors`, 'must be a list');
    (mirrors as unknown[]).forEach((m, j) => {
      if (typeof m !== 'string') fail(`${field}.mirrors[${j}]`, 'must be a string');
      // ICSP has no CRD pattern; the MCO's own check (render) catches bad ICSP mirrors.
      if (kind !== 'ImageContentSourcePolicy' && !MIRROR_PATTERN.test(m as string)) {
        fail(`${field}.mirrors[${j}]`, `invalid format for mirror ${JSON.stringify(m)}: want host[:port][/path] without scheme, tag, digest or wildcard`);
      }
    });
    if (kind !== 'ImageContentSourcePolicy' && new Set(mirrors).size !== (mirrors as unknown[]).length) {
      fail(`${field}.mirrors`, 'holds a duplicate mirror (the API server rejects duplicates)');
    }
    let sourcePolicy: SourcePolicy | null = null;
    if (kind !== 'ImageContentSourcePolicy' && e.mirrorSourcePolicy !== undefined && e.mirrorSourcePolicy !== '') {
      if (e.mirrorSourcePolicy !== 'NeverContactSource' && e.mirrorSourcePolicy !== 'AllowContactingSource') {
        fail(`${field}.mirrorSourcePolicy`, 'must be NeverContactSource or AllowContactingSource');
      }
      sourcePolicy = e.mirrorSourcePolicy as SourcePolicy;
    }
    return { kind, name, source: source as string, mirrors: mirrors as string[], sourcePolicy, pull: kind === 'ImageTagMirrorSet' ? 'tag' : 'digest' };
  });
}

function checkSource(source: string, field: string, kind: PolicyKind, fail: (f: string, p: string) => never): void {
  if (/^[a-z]+:\/\//.test(source)) fail(field, `${JSON.stringify(source)} must not have a URL scheme`);
  if (source.includes('@')) fail(field, `${JSON.stringify(source)} must not have a digest`);
  if (/\/[^/]*:/.test(source)) fail(field, `${JSON.stringify(source)} must not have a tag`);
  if (kind !== 'ImageContentSourcePolicy' && !SOURCE_PATTERN.test(source)) fail(field, `invalid format for source ${JSON.stringify(source)}`);
}

function readRegistrySources(o: Record<string, unknown>, fail: (f: string, p: string) => never): RegistrySources {
  const spec = (o.spec ?? {}) as Record<string, unknown>;
  const rs = (spec.registrySources ?? {}) as Record<string, unknown>;
  const list = (key: string): string[] => {
    const value = rs[key] ?? [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) fail(`spec.registrySources.${key}`, 'must be a list of strings');
    return value as string[];
  };
  const sources = {
    insecureRegistries: list('insecureRegistries'),
    blockedRegistries: list('blockedRegistries'),
    allowedRegistries: list('allowedRegistries'),
    containerRuntimeSearchRegistries: list('containerRuntimeSearchRegistries'),
  };
  return sources;
}
