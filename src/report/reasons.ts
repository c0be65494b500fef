// The one catalogue of words for a verdict's reason: for each code, what happened (in full, and
// short enough for a table cell) and what to do next. Keyed by code with every code required, so
// a code without words does not compile. Words take the names the user typed (`oc`, `oc icsp`).
import { formatDuration } from '../durations.js';
import { coveredWords, mismatchWords } from '../pull-log/expectation-words.js';
import type { FailureReason } from '../pull-log/classify.js';
import type { Disagreement } from '../app/check-node.js';
import type { CrioConfig } from '../node-check/facts/crio-config.js';
import type { MirrorFailure, MirrorFailureCode, NoMirror, NoMirrorCode, Reason, ReasonCode, RunFailure, SignatureFailure, SignatureRequirement, SourceOutcome } from '../pull-log/evidence.js';

/** Who is speaking to the user: the client quoted, and the plugin as they started it. */
export interface Speaker {
  clientName: string;
  invokedAs: string;
}

export interface ReasonWords {
  /** What happened, in full. */
  detail: string;
  /** The same, short enough for a table cell. */
  summary: string;
  /** What to do next; null where there is nothing to do. */
  hint: string | null;
}

type Words<R> = (reason: R, speaker: Speaker) => ReasonWords;
type Catalogue = { [C in ReasonCode]: Words<Extract<Reason, { code: C }>> };

/** The words of one reason. */
export function reasonWords(reason: Reason, speaker: Speaker): ReasonWords {
  return (CATALOGUE[reason.code] as Words<Reason>)(reason, speaker);
}

/** The failure reason of the first failing mirror's attempt, as the attempt names it. */
const ATTEMPT_REASON: Record<MirrorFailureCode, FailureReason> = {
  'mirror-manifest-unknown': 'manifest-unknown',
  'mirror-unauthorized': 'unauthorized',
  'mirror-tls': 'tls',
  'mirror-plain-http': 'tls',
  'mirror-dns': 'dns',
  'mirror-connection-refused': 'connection-refused',
  'mirror-timeout': 'timeout',
  'mirror-blocked': 'blocked',
  'mirror-blob-missing': 'other',
  'mirror-other': 'other',
};

/** What an admin does next about the first failing mirror (host: the mirror's). */
const MIRROR_ADVICE: Record<MirrorFailureCode, (r: MirrorFailure) => string> = {
  'mirror-manifest-unknown': () => 'the image is not on this mirror: mirror it there (oc mirror, or oc image mirror)',
  'mirror-unauthorized': ({ credentials, projectCredentials }) =>
    projectCredentials
      ? "the cluster gives pods this image's mirror credentials from their project (CRIOCredentialProviderConfig matchImages), and a pull on the node for no pod, as this check's, cannot use them: pods in a project with the mirror's secret may still pull; otherwise add the mirror's credentials to that project's secret, or to the cluster pull secret (openshift-config/pull-secret)"
      : credentials === true
      ? 'the node pull secret has credentials for it, so the repository may not exist on this mirror, or these credentials cannot read it'
      : credentials === false
        ? "add the mirror's credentials to the cluster pull secret (openshift-config/pull-secret)"
        : 'check that the cluster pull secret (openshift-config/pull-secret) has credentials for it, and that the repository exists there',
  // The node's CA bundle is keyed by host, so the hint can name the exact key.
  'mirror-tls': ({ mirror }) => `trust its CA: a ConfigMap in openshift-config with the CA under the key "${mirror.replace(':', '..')}", named in image.config.openshift.io/cluster spec.additionalTrustedCA`,
  'mirror-plain-http': () => 'the mirror speaks plain HTTP: add it to image.config.openshift.io/cluster spec.registrySources.insecureRegistries',
  'mirror-dns': () => 'the node cannot resolve the host: check the mirror host name and the cluster DNS',
  'mirror-connection-refused': () => 'nothing listens there: check the mirror host, port and that the registry is running',
  'mirror-timeout': () => 'the connection timed out: check firewalls and proxy settings between the node and the registry',
  'mirror-blocked': () => 'registries.conf blocks this registry (NeverContactSource or image.config blockedRegistries)',
  'mirror-blob-missing': () => 'the registry served the manifest but not its blobs: mirror the image again',
  'mirror-other': () => 'see the raw log (--log-dir) for the full error',
};

function mirrorFailed(r: MirrorFailure): ReasonWords {
  const reason = ATTEMPT_REASON[r.code];
  const fallback = r.source === 'served' ? 'the source served it instead' : r.source === 'not-tried' ? 'the pull failed' : `the source failed too (${r.source})`;
  const advice = r.proxy ? `the node reaches it through the cluster proxy (${r.proxy}), as CRI-O does: add it to proxy/cluster spec.noProxy, or let the proxy reach it` : MIRROR_ADVICE[r.code](r);
  const never = r.source === 'blocked' ? '; the source is blocked (NeverContactSource), so nothing else is tried' : '';
  return {
    detail: `mirror ${reason}${r.mirrors > 1 ? ` (first of ${r.mirrors} mirrors)` : ''}; ${fallback}`,
    summary: `${reason} on mirror, source: ${sourceShort(r.source)}`,
    hint: `${r.mirror}: ${advice}${never}`,
  };
}

const sourceShort = (source: SourceOutcome) => (source === 'served' ? 'served it' : source === 'not-tried' ? 'not tried' : source);

const NO_MIRROR_SHORT: Record<NoMirrorCode, string> = {
  'tag-pull-digest-mirrors': 'tag pull',
  'digest-pull-tag-mirrors': 'only tag mirrors',
  'rollout-pending': 'rollout pending',
  'config-lags': 'config lags',
  'node-config': 'node config',
  'no-policy': 'no policy',
};

function noMirror(r: NoMirror, { clientName, invokedAs }: Speaker): ReasonWords {
  const why =
    r.code === 'tag-pull-digest-mirrors' || r.code === 'digest-pull-tag-mirrors'
      ? `no mirror was tried: ${mismatchWords({ coveredBy: r.coveredBy, mismatch: { kind: r.code, policies: r.mismatchPolicies } })}`
      : r.code === 'rollout-pending'
        ? `no mirror was tried although ${coveredWords(r)}: the node is still updating its MachineConfig (${r.rolloutPending})`
        : r.code === 'no-policy'
          ? 'no mirror was tried: no mirror policy covers this image'
          : `no mirror was tried although ${coveredWords(r)}: the node's registries.conf lags (see ${clientName} get mcp)`;
  const outcome = r.source === 'served' ? 'pulled from the source' : `the source failed (${r.lastFailure ?? 'no attempt'})`;
  const hint: Record<NoMirrorCode, string> = {
    'tag-pull-digest-mirrors': 'pull by digest, or add an ImageTagMirrorSet for the repository',
    'digest-pull-tag-mirrors': 'add an ImageDigestMirrorSet for the repository: ImageTagMirrorSets serve tag pulls only',
    'rollout-pending': `the node's registries.conf lags the cluster's policies: let its MachineConfigPool finish the rollout (${invokedAs} status)`,
    'config-lags': `the node's registries.conf lags the cluster's policies: let its MachineConfigPool finish the rollout (${invokedAs} status)`,
    'node-config': `check the node's MachineConfig rollout (${invokedAs} status) and its registries.conf.d drop-ins`,
    'no-policy': 'no mirror policy covers this image: add an ImageDigestMirrorSet (digest pulls) or an ImageTagMirrorSet (tag pulls) for its repository',
  };
  return { detail: `${why}; ${outcome}`, summary: `no mirror tried (${NO_MIRROR_SHORT[r.code]}), source: ${sourceShort(r.source)}`, hint: hint[r.code] };
}

function runFailed(r: RunFailure, { clientName }: Speaker): ReasonWords {
  const after = formatDuration(r.afterMs ?? 0);
  const said = r.said;
  const words: Record<RunFailure['code'], [string, string]> = {
    'pod-could-not-start': [said ?? 'the node pod could not start', 'could not start'],
    'timed-out': [`timed out after ${after}${said ? `; ${clientName} said: ${said}` : ''}`, `timed out after ${after}`],
    interrupted: ['interrupted', 'interrupted'],
    'no-result': [said ? `debug pod failed: ${said}` : 'the debug pod printed no pull result', 'debug pod failed'],
    'pull-refused': [`podman could not pull: ${r.error ?? ''}`, 'podman could not pull'],
  };
  const [detail, summary] = words[r.code];
  // What it saw before it broke off goes in the detail.
  const seen = r.servedBefore ? `; ${r.servedBefore === 'mirror' ? 'a mirror' : 'the source'} had served the image by then` : '';
  return { detail: `${detail}${seen}`, summary, hint: runHint(r) };
}

function runHint(r: RunFailure): string | null {
  if (r.code === 'interrupted') return null;
  if (r.problem === 'debug-image-unreachable') return "the node pod's image cannot be pulled: pass --image with a tools image your mirror serves";
  if (r.problem === 'quota') return "a quota refused the node pod: a ClusterResourceQuota (or a ResourceQuota a policy adds to new namespaces) covers verify's namespace: raise its pods limit or leave namespaces labelled app.kubernetes.io/managed-by=oc-icsp out of it";
  if (r.problem === 'forbidden') return 'log in as a cluster administrator: verify creates a namespace and privileged pods';
  if (r.code === 'timed-out') return 'the check did not finish in time: raise --timeout, or look at the node (describe it, check its kubelet)';
  if (r.code === 'pod-could-not-start') return "the node's pod could not be created: read the reason above";
  if (r.code === 'pull-refused') return "podman refused the pull before trying any source: read its error, and the node's registries.conf (--log-dir keeps both)";
  return 'the node pod ended without a result: rerun with --log-dir and read the log';
}

/** The requirement in words: `sigstoreSigned (PublicKey) for registry.example/ns, policy.json`. */
export function requirementWords(r: SignatureRequirement | null): string {
  if (!r) return 'the node requires a signature';
  const scope = r.scope === null ? 'the default requirement' : r.scope === '' ? 'the docker transport default' : `scope ${r.scope}`;
  return `policy.json requires ${r.type}${r.root ? ` (${r.root})` : ''} for ${scope}`;
}

/** The attachment to copy, as oc copies it: the source repository's tag beside the image. */
function copyAdvice(r: SignatureFailure): string {
  const tag = r.attachment ?? 'sha256-<digest>.sig';
  const source = r.requirement?.scope ? r.requirement.scope.replace(/[@:][^/]*$/, '') : 'SOURCE';
  return `mirror the signature: oc image mirror ${source}:${tag} ${r.endpoint}:${tag} (oc-mirror v2 copies it unless --remove-signatures; oc adm release mirror does not)`;
}

function signatureFailed(r: SignatureFailure): ReasonWords {
  const where = r.mirror ? `mirror ${r.endpoint}` : `the source ${r.endpoint}`;
  const noFallback = r.mirror ? `; ${r.untried > 0 ? `the ${r.untried} source(s) after it are` : 'nothing else is'} not tried: CRI-O does not fall back on a signature` : '';
  if (r.code === 'signature-missing') {
    const seen = r.seenBy === 'attachment' ? `no signature attachment (${r.attachment ?? 'sha256-<digest>.sig'}) on ${where}` : `${where} served the image without its signature`;
    return {
      detail: `${seen}: ${requirementWords(r.requirement)}${noFallback}`,
      summary: r.mirror ? 'signature missing on mirror' : 'signature missing on source',
      hint: `${r.host}: ${copyAdvice(r)}; or, if the tag is there, check that registries.d reads sigstore attachments from ${r.endpoint}`,
    };
  }
  return {
    detail: `${where} has a signature, and it was refused: ${r.why ?? 'no reason given'}; ${requirementWords(r.requirement)}${noFallback}`,
    summary: r.mirror ? 'signature refused on mirror' : 'signature refused on source',
    hint: `${r.host}: the signature there was not made by the key (or CA) the policy trusts, or for another identity: mirror the signature the source carries, or check the ClusterImagePolicy's rootOfTrust and signedIdentity`,
  };
}

const SEEN_WORDS = { verified: 'signature verified', 'attachment-present': 'signature attachment present (a manifest check does not verify it; --check pull does)' };

const CATALOGUE: Catalogue = {
  'served-by-mirror': ({ failedFirst, signature }) => ({
    // "served": a manifest check (--check manifest) pulls nothing, and the words hold for both.
    detail: `served by a mirror${failedFirst.length ? `; ${failedFirst.length} mirror(s) failed first: ${failedFirst.join(', ')}` : ''}${signature ? `; ${SEEN_WORDS[signature]}` : ''}`,
    summary: failedFirst.length ? `from a mirror, ${failedFirst.length} failed first` : signature === 'attachment-present' ? 'served by a mirror, signature there' : 'served by a mirror',
    hint: null,
  }),
  'signature-missing': signatureFailed,
  'signature-rejected': signatureFailed,
  'mirror-manifest-unknown': mirrorFailed,
  'mirror-unauthorized': mirrorFailed,
  'mirror-tls': mirrorFailed,
  'mirror-plain-http': mirrorFailed,
  'mirror-dns': mirrorFailed,
  'mirror-connection-refused': mirrorFailed,
  'mirror-timeout': mirrorFailed,
  'mirror-blocked': mirrorFailed,
  'mirror-blob-missing': mirrorFailed,
  'mirror-other': mirrorFailed,
  'tag-pull-digest-mirrors': noMirror,
  'digest-pull-tag-mirrors': noMirror,
  'rollout-pending': noMirror,
  'config-lags': noMirror,
  'node-config': noMirror,
  'no-policy': noMirror,
  'pod-could-not-start': runFailed,
  'timed-out': runFailed,
  interrupted: runFailed,
  'no-result': runFailed,
  'pull-refused': runFailed,
  'node-not-ready': ({ why }) => ({ detail: `node is not Ready: ${why}`, summary: 'not Ready', hint: null }),
};

/** Why podman (the files now) and CRI-O (what it loaded) pulled differently, and what to do. */
export function disagreementWords({ code, podman, crio }: Disagreement, config: CrioConfig | null): string {
  const what = `podman ${podman.verdict}${podman.pulledFrom ? ` from ${podman.pulledFrom}` : ''}, CRI-O ${crio.verdict}${crio.pulledFrom ? ` from ${crio.pulledFrom}` : ''}`;
  if (code === 'crio-not-reloaded') {
    return `${what}: CRI-O has not reloaded registries.conf since it changed (${config?.fileChangedAt} > ${config?.loadedAt}): systemctl reload crio, or find why the MCO did not`;
  }
  return `${what}: compare their attempts (-o json); CRI-O uses the cluster proxy, the global pull secret only, and no short names`;
}

/** Every reason code, as the catalogue has them (README's table is held to this list). */
export const REASON_CODES = Object.keys(CATALOGUE) as ReasonCode[];
