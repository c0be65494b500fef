// The node's signature policy for each image: what its policy.json requires of the image's
// source, whether registries.d lets containers/image read signatures from the endpoint that
// served, what a manifest check found there (signatures.sh), and whether the node's files say
// what the cluster's ClusterImagePolicies render (compared by the requirement for the image and
// the attachment setting of each endpoint, not by bytes, as registries.conf is).
import type { SignatureExpectation, SignatureRequirement } from '../../pull-log/evidence.js';
import { PullLogReader, type SignatureLookup } from '../../pull-log/pull-log.js';
import { repositoryOf } from '../../pull-log/hints.js';
import type { ImagePolicyObject } from '../../registries/image-policies.js';
import { parseReference, type ImageReference } from '../../registries/reference.js';
import type { RegistriesConf } from '../../registries/registries-conf.js';
import { type RegistriesD, readRegistriesD, usesSigstoreAttachments } from '../../registries/registries-d.js';
import { MCO_BASE_POLICY_JSON, renderPolicyJson, renderSigstoreRegistriesD } from '../../registries/render-signatures.js';
import { canonicalJson, policyFor, readSignaturePolicy, type SignaturePolicy, signatureRequirement } from '../../registries/signature-policy.js';
import type { ImageBase, NodeFact } from '../fact.js';
import { sourcesOf } from './registries-conf.js';
import SCRIPT from './signatures.sh';

export const POLICY_JSON = '/etc/containers/policy.json';
const CRIO_POLICIES = '/etc/crio/policies/';
const MAX_FILE_TEXT = 1 << 20;

export interface SignatureRaw {
  files: { path: string; text: string }[];
  lookups: { image: string; lookup: SignatureLookup | null; exitCode: number | null }[];
}

export interface SignatureResult {
  /** What policy.json requires of the image's source (null: no signature). */
  requirement: SignatureRequirement | null;
  /** registries.d reads sigstore attachments from the endpoint that served the manifest (null: nothing served). */
  attachmentsRead: { endpoint: string; enabled: boolean } | null;
  /** --check manifest: the attachment looked for where the manifest came from (null: not looked for). */
  attachment: { endpoint: string; tag: string; found: boolean | null } | null;
  /** The node requires for this image what the cluster's ClusterImagePolicies render (null: unknown). */
  matchesCluster: boolean | null;
  /** CRI-O's per-namespace policies: pods of these namespaces are checked against their own file. */
  namespacePolicies: string[];
  /** The node's files could not be read. */
  problem: string | null;
}

export type SignatureWarning =
  | { code: 'signature-policy-differs'; node: string; image: string | null; images?: number }
  | { code: 'signature-attachments-off'; node: string; endpoint: string };

/** Expected cluster state for the signature fact: the cluster's image policies. */
export interface ClusterSignatures {
  policies: ImagePolicyObject[];
}

interface NodePolicy {
  policy: SignaturePolicy | null;
  registriesD: RegistriesD;
  problem: string | null;
}

const parsed = new WeakMap<SignatureRaw, NodePolicy>();
function nodePolicy(raw: SignatureRaw): NodePolicy {
  let found = parsed.get(raw);
  if (!found) {
    const file = raw.files.find((f) => f.path === POLICY_JSON);
    found = { policy: null, registriesD: { defaultDocker: null, docker: new Map() }, problem: null };
    try {
      found.registriesD = readRegistriesD(raw.files.filter((f) => f.path.startsWith('/etc/containers/registries.d/')));
      found.policy = file ? readSignaturePolicy(file.text, POLICY_JSON) : null;
    } catch (error) {
      found.problem = (error as Error).message;
    }
    parsed.set(raw, found);
  }
  return found;
}

function requirementFor(policy: SignaturePolicy | null, ref: ImageReference): SignatureRequirement | null {
  if (!policy) return null;
  const applied = policyFor(policy, ref);
  const requirement = signatureRequirement(applied);
  return requirement ? { scope: applied.scope, type: requirement.type, root: requirement.root, identity: requirement.identity } : null;
}

/** What the cluster renders for this image's signature requirement and for the endpoints of its pulls. */
function matchesCluster(raw: SignatureRaw, node: NodePolicy, base: ImageBase): boolean | null {
  const cluster = base.expectedSignatures;
  if (!cluster || !node.policy || base.expected === null) return null;
  const want = readSignaturePolicy(JSON.stringify(renderPolicyJson(cluster.policies, MCO_BASE_POLICY_JSON)), 'rendered');
  const rawOf = (p: SignaturePolicy) => canonicalJson(signatureRequirement(policyFor(p, base.ref))?.raw ?? null);
  if (rawOf(want) !== rawOf(node.policy)) return false;
  const rendered = renderSigstoreRegistriesD(cluster.policies, base.expected);
  const wantD = readRegistriesD(rendered ? [{ path: 'sigstore-registries.yaml', text: rendered }] : []);
  const endpoints = safeSources(base.expected, base.ref);
  return endpoints.every((e) => usesSigstoreAttachments(wantD, e) === usesSigstoreAttachments(node.registriesD, e));
}

function safeSources(conf: RegistriesConf, ref: ImageReference): ImageReference[] {
  try {
    return sourcesOf(conf, ref).map((s) => parseReference(s.reference));
  } catch {
    return [];
  }
}

const lookupFor = (raw: SignatureRaw, image: string) => raw.lookups.findLast((l) => l.image === image)?.lookup ?? null;

export const signatures: NodeFact<'signatures', SignatureRaw, SignatureResult | null, SignatureWarning> = {
  key: 'signatures',
  fromFiles: true,
  stage: 'prelude',
  script: SCRIPT,
  marks: ['signature-lookup-exit'],
  sections: ['signature-file', 'signature-file-proposed', 'signature-lookup'],
  reader() {
    const files: SignatureRaw['files'] = [];
    const lookups: { image: string; reader: PullLogReader; exitCode: number | null }[] = [];
    let proposed = false;
    return {
      mark(_word, [code]) {
        const last = lookups.at(-1);
        if (last) last.exitCode = Number.parseInt(code ?? '', 10);
      },
      open(section, args) {
        // --compare's second pass: the proposal's files replace the node's own.
        if (section === 'signature-file-proposed' && !proposed) {
          proposed = true;
          files.length = 0;
        }
        if (section !== 'signature-lookup') files.push({ path: args.join(' '), text: '' });
        else lookups.push({ image: args.join(' '), reader: new PullLogReader(), exitCode: null });
      },
      line(section, text) {
        if (section === 'signature-lookup') return lookups.at(-1)!.reader.feed(text);
        const file = files.at(-1)!;
        if (file.text.length < MAX_FILE_TEXT) file.text += `${text}\n`;
      },
      result: () => ({
        files: files.map((f) => ({ ...f })),
        lookups: lookups.map((l) => ({ image: l.image, lookup: l.reader.result(l.exitCode).signatureLookups?.at(-1) ?? null, exitCode: l.exitCode })),
      }),
    };
  },
  expectation(raw, base): { signature: SignatureExpectation | null } {
    const node = nodePolicy(raw);
    const requirement = requirementFor(node.policy, base.ref);
    if (!requirement) return { signature: null };
    return { signature: { requirement, lookup: lookupFor(raw, base.image) } };
  },
  result(raw, image) {
    // A node that sent nothing (not run, or an older script) has no policy to show.
    if (raw.files.length === 0) return null;
    const node = nodePolicy(raw);
    const requirement = requirementFor(node.policy, image.ref);
    const { verdict } = image;
    const reason = verdict.reason;
    const endpoint = reason.code === 'signature-missing' || reason.code === 'signature-rejected' ? reason.endpoint : verdict.pulledFrom ? repositoryOf(verdict.pulledFrom) : null;
    const lookup = lookupFor(raw, image.image);
    return {
      requirement,
      attachmentsRead: requirement?.type === 'sigstoreSigned' && endpoint ? { endpoint, enabled: usesSigstoreAttachments(node.registriesD, parseReference(`${endpoint}:latest`)) } : null,
      attachment: lookup ? { endpoint: lookup.endpoint, tag: lookup.tag, found: lookup.found } : null,
      matchesCluster: node.problem ? null : matchesCluster(raw, node, image),
      namespacePolicies: raw.files.filter((f) => f.path.startsWith(CRIO_POLICIES)).map((f) => f.path.slice(CRIO_POLICIES.length).replace(/\.json$/, '')),
      problem: node.problem,
    };
  },
  warnings(result, { node, image, severalImages }) {
    const warnings: SignatureWarning[] = [];
    if (!result) return warnings;
    if (result.matchesCluster === false) warnings.push({ code: 'signature-policy-differs', node, image: severalImages ? image : null });
    if (result.attachmentsRead && !result.attachmentsRead.enabled) warnings.push({ code: 'signature-attachments-off', node, endpoint: result.attachmentsRead.endpoint });
    return warnings;
  },
};

