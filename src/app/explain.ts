// `oc icsp explain`: the pull sources podman would try, in order, and why.
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { proposedChange } from './proposal.js';
import { proposalWords } from '../report/proposal-words.js';
import type { OcRunner } from '../oc/runner.js';
import { type ImageReference, isDigested, parseReference, pullString, referenceName } from '../registries/reference.js';
import { type ConfFile, loadRegistriesConf, type RegistriesConf } from '../registries/registries-conf.js';
import { findRegistry, matchPrefix, type PullSource, PullSourceError, resolvePullSources } from '../registries/resolve.js';
import { listDir, readText } from './files.js';
import { loadPolicies, renderText } from './policies.js';
import type { PolicySet } from '../registries/policies.js';
import { type RegistriesD, readRegistriesD, usesSigstoreAttachments } from '../registries/registries-d.js';
import { MCO_BASE_POLICY_JSON, POLICY_JSON_PATH, renderPolicyJson, renderSigstoreRegistriesD, SIGSTORE_REGISTRIES_D_PATH } from '../registries/render-signatures.js';
import { policyFor, readSignaturePolicy, rejectsAll, type SignaturePolicy, signatureRequirement } from '../registries/signature-policy.js';
import { type Outcome, outcomeOf } from './outcome.js';

export interface ExplainRequest {
  image: string;
  files: string[];
  registriesConf: string | undefined;
  registriesConfD: string | undefined;
  /** A node's policy.json and registries.d, instead of what the policies render. */
  policyJson?: string | undefined;
  registriesD?: string | undefined;
  /** A change before it is applied (--proposed, --without): explained as if it were. */
  change?: { proposed: string[]; without: string[] };
}

/** What a pull of the image must show of its signature, and where each source's would be read. */
export interface ExplainSignature {
  /** The policy.json it comes from: a node's file, or what the cluster's ClusterImagePolicies render. */
  from: string;
  /** The requirement for the image's source (null: no signature needed). */
  requirement: { scope: string | null; type: string; root: string | null; identity: string | null } | null;
  /** policy.json rejects the image outright (allowedRegistries, blockedRegistries). */
  rejected: boolean;
  /** For each source, whether containers/image reads sigstore attachments from it (registries.d). */
  sources: { reference: string; readsAttachments: boolean }[];
}

/** What the sources explain shows mean, as codes with fields. */
export type ExplainNote =
  | { code: 'fails-before-any-source'; error: string; prefix: string | null }
  | { code: 'no-policy' }
  | { code: 'no-mirrors'; prefix: string }
  | { code: 'digest-only-mirrors-skipped'; skipped: number; mirrorsApply: boolean }
  | { code: 'tag-only-mirrors-skipped' }
  | { code: 'source-blocked'; mirrorsApply: boolean }
  | { code: 'mirror-blocked'; mirror: string }
  | { code: 'prefix-defined-twice'; file: string; prefix: string }
  | { code: 'shorter-prefix-ignored'; prefix: string; applies: string }
  | { code: 'mirror-by-digest-only'; prefix: string }
  | { code: 'signature-required'; scope: string | null; type: string; root: string | null }
  | { code: 'signature-not-read'; source: string }
  | { code: 'policy-rejects'; scope: string | null };

export interface ExplainResult {
  image: string;
  /** Where the configuration came from: the files, a node's registries.conf, or the cluster. */
  from: string;
  /** The matched [[registry]] prefix, or null when none matches. */
  matched: string | null;
  sources: PullSource[];
  /** Set when podman fails before trying any source. */
  error: string | null;
  /** What the sources mean, as codes (report/explain-notes.ts words them). */
  notes: ExplainNote[];
  /** The signature policy for the image, where one was given or rendered (null: none to read). */
  signature: ExplainSignature | null;
}

export async function explain(request: ExplainRequest, oc: () => OcRunner): Promise<ExplainResult> {
  const ref = parseReference(request.image);
  const { conf, from, set } = await configuration(request, oc);
  const result = explainWith(conf, ref, from);
  const files = signatureFiles(request, set, conf);
  return files ? withSignature(result, ref, files) : result;
}

interface SignatureFiles {
  from: string;
  policy: SignaturePolicy;
  registriesD: RegistriesD;
}

/** The node's files, when given; otherwise what the policies render (nothing for a node's registries.conf alone). */
function signatureFiles(request: ExplainRequest, set: PolicySet | null, conf: RegistriesConf): SignatureFiles | null {
  if (request.policyJson !== undefined || request.registriesD !== undefined) {
    const policyPath = request.policyJson ?? POLICY_JSON_PATH;
    const policy = request.policyJson === undefined ? readSignaturePolicy(JSON.stringify(MCO_BASE_POLICY_JSON), 'the MCO template') : readSignaturePolicy(readText(policyPath), policyPath);
    const dir = request.registriesD;
    const registriesD = dir === undefined ? readRegistriesD([]) : readRegistriesD(listDir(dir).filter((n) => n.endsWith('.yaml')).map((n) => ({ path: join(dir, n), text: readText(join(dir, n)) })));
    return { from: request.policyJson ?? 'the MCO template', policy, registriesD };
  }
  if (!set) return null;
  const registries = { allowed: set.registrySources?.allowedRegistries ?? [], blocked: set.registrySources?.blockedRegistries ?? [] };
  const policy = readSignaturePolicy(JSON.stringify(renderPolicyJson(set.imagePolicies, MCO_BASE_POLICY_JSON, registries)), 'rendered policy.json');
  const rendered = renderSigstoreRegistriesD(set.imagePolicies, conf);
  const names = set.imagePolicies.map((p) => `${p.kind}/${p.name}`);
  return { from: names.length ? `policy.json rendered from ${names.join(', ')}` : 'policy.json rendered from the policies', policy, registriesD: readRegistriesD(rendered ? [{ path: SIGSTORE_REGISTRIES_D_PATH, text: rendered }] : []) };
}

/** The signature the node's policy needs of this image, and where each source's is read. */
export function withSignature(result: ExplainResult, ref: ImageReference, files: SignatureFiles): ExplainResult {
  const applied = policyFor(files.policy, ref);
  const needed = signatureRequirement(applied);
  const requirement = needed ? { scope: applied.scope, type: needed.type, root: needed.root, identity: needed.identity } : null;
  const sources = result.sources.map((s) => ({ reference: s.reference, readsAttachments: usesSigstoreAttachments(files.registriesD, parseReference(s.reference)) }));
  const notes = [...result.notes];
  if (rejectsAll(applied)) notes.push({ code: 'policy-rejects', scope: applied.scope });
  if (requirement) {
    notes.push({ code: 'signature-required', scope: requirement.scope, type: requirement.type, root: requirement.root });
    if (requirement.type === 'sigstoreSigned') for (const s of sources.filter((x) => !x.readsAttachments)) notes.push({ code: 'signature-not-read', source: s.reference });
  }
  return { ...result, notes, signature: { from: files.from, requirement, rejected: rejectsAll(applied), sources } };
}

export function explainWith(conf: RegistriesConf, ref: ImageReference, from: string): ExplainResult {
  let resolution;
  try {
    resolution = resolvePullSources(conf, ref);
  } catch (error) {
    if (!(error instanceof PullSourceError)) throw error;
    const entry = findRegistry(conf, referenceName(ref));
    return {
      image: pullString(ref),
      from,
      matched: entry?.prefix ?? null,
      sources: [],
      error: error.message,
      notes: [{ code: 'fails-before-any-source', error: error.message, prefix: entry?.prefix ?? null }],
      signature: null,
    };
  }
  const { entry, sources, skipped } = resolution;
  const notes: ExplainNote[] = [];
  if (!entry) notes.push({ code: 'no-policy' });
  if (entry && entry.mirrors.length === 0 && !entry.blocked) notes.push({ code: 'no-mirrors', prefix: entry.prefix });
  // A tag pull: the tag mirrors listed do apply (mirrorsApply), only the digest-only ones are skipped.
  if (skipped.length > 0 && !isDigested(ref)) notes.push({ code: 'digest-only-mirrors-skipped', skipped: skipped.length, mirrorsApply: sources.length > 1 });
  if (skipped.length > 0 && isDigested(ref)) notes.push({ code: 'tag-only-mirrors-skipped' });
  const source = sources.at(-1)!;
  if (source.blocked) notes.push({ code: 'source-blocked', mirrorsApply: sources.length > 1 });
  for (const s of sources.slice(0, -1)) if (s.blocked) notes.push({ code: 'mirror-blocked', mirror: s.reference });
  for (const dropped of conf.ignored ?? []) {
    if (dropped.prefix === entry?.prefix) notes.push({ code: 'prefix-defined-twice', file: dropped.file, prefix: dropped.prefix });
  }
  // Only the longest matching prefix counts; a broader entry's mirrors are not merged in.
  for (const other of conf.registries) {
    if (other === entry || other.mirrors.length === 0 || matchPrefix(referenceName(ref), other.prefix) === -1) continue;
    notes.push({ code: 'shorter-prefix-ignored', prefix: other.prefix, applies: entry!.prefix });
  }
  if (entry?.mirrorByDigestOnly) notes.push({ code: 'mirror-by-digest-only', prefix: entry.prefix });
  return { image: pullString(ref), from, matched: entry?.prefix ?? null, sources, error: null, notes, signature: null };
}

async function configuration(request: ExplainRequest, oc: () => OcRunner): Promise<{ conf: RegistriesConf; from: string; set: PolicySet | null }> {
  if (request.registriesConf !== undefined && request.files.length > 0) {
    throw new UserError('use either -f (policy manifests) or --registries-conf (a node file), not both');
  }
  if (request.registriesConf !== undefined || request.registriesConfD !== undefined) {
    const main = request.registriesConf === undefined ? undefined : readConf(request.registriesConf);
    const dropIns = request.registriesConfD === undefined ? [] : readDropIns(request.registriesConfD);
    return { conf: loadConf(main, dropIns), from: request.registriesConf ?? request.registriesConfD!, set: null };
  }
  const now = await loadPolicies(request.files, oc);
  const changed = request.change ? await proposedChange(now, request.change.proposed, request.change.without) : null;
  const set = changed?.set ?? now;
  const from = request.files.length > 0 ? request.files.join(', ') : 'the cluster';
  return {
    conf: loadConf({ path: 'rendered registries.conf', text: renderText(set) }, []),
    from: changed ? `${from}, ${proposalWords(changed.proposal)}` : from,
    set,
  };
}

export function loadConf(main: ConfFile | undefined, dropIns: ConfFile[]): RegistriesConf {
  return loadRegistriesConf(main, dropIns);
}

function readConf(path: string): ConfFile {
  return { path, text: readText(path) };
}

// containers/image reads every *.conf in registries.conf.d, in name order.
function readDropIns(dir: string): ConfFile[] {
  const names = listDir(dir).filter((n) => n.endsWith('.conf'));
  return names.map((name) => readConf(join(dir, name)));
}

/** A pull that cannot work is a finding: podman refuses it, or every source is blocked. */
export function explainOutcome(result: ExplainResult): Outcome {
  return outcomeOf(Boolean(result.error) || result.sources.every((s) => s.blocked));
}
