// One node's verdict from what its debug pod printed and how the debug run ended: the verdict,
// and its reason as a code with fields (report/reasons.ts says it in words).
import { type FailureReason } from './classify.js';
import {
  type Expectation,
  type MirrorFailure,
  type MirrorFailureCode,
  NO_EXPECTATION,
  type NodeVerdict,
  type NoMirrorCode,
  type ImagePull,
  type PullEvidence,
  pullOf,
  type RunEnd,
  type RunFailure,
  type ServedBy,
  type SignatureExpectation,
  type SignatureFailure,
  type SignatureSeen,
  type SourceOutcome,
  type VerdictAttempt,
} from './evidence.js';
import { credentialsFor, hostOf, proxyFor, repositoryOf } from './hints.js';

/** `image` is the exact string podman pulled: an attempt at anything else is a mirror. */
export function decideVerdict(image: string, report: PullEvidence, end: RunEnd, expectation: Expectation = NO_EXPECTATION): NodeVerdict {
  const pull = pullOf(report, image);
  const attempts = (pull?.log.attempts ?? []).map((a) => ({ ...a, mirror: a.reference !== image }));
  const mirrors = attempts.filter((a) => a.mirror);
  const served = pull?.log.pulled ? (attempts.findLast((a) => a.ok) ?? null) : null;
  const source = attempts.find((a) => !a.mirror) ?? null;
  const base = { pulledFrom: served?.reference ?? null, attempts };

  const broken = runProblem(report, pull, end, served ? (served.mirror ? 'mirror' : 'source') : null);
  // The check did not finish: no PULLED FROM beside verdict error; what it saw goes in the reason.
  if (broken) return { ...base, pulledFrom: null, verdict: 'error', reason: broken };

  const signature = expectation.signature ?? null;
  // The signature stopped it where its manifest was served: that endpoint's failure, whatever
  // failed before it.
  const refused = signatureRefusal(attempts, pull, signature, expectation.nodeSources ?? null);
  if (refused) return { ...base, pulledFrom: null, verdict: refused.mirror ? 'mirror-failed' : 'not-mirrored', reason: refused };

  if (served?.mirror) {
    const reason = { code: 'served-by-mirror' as const, failedFirst: mirrors.filter((a) => !a.ok).map((a) => a.reason), signature: signatureSeen(served, pull, signature) };
    return { ...base, verdict: 'mirrored', reason };
  }
  const sourceOutcome: SourceOutcome = served ? 'served' : source ? (source.reason ?? 'error') : 'not-tried';
  if (mirrors.length > 0) {
    const first = mirrors.find((a) => !a.ok)!;
    const reason = mirrorFailure(first, mirrors.length, sourceOutcome, report, expectation.projectCredentials ?? false);
    return { ...base, verdict: 'mirror-failed', reason };
  }
  return {
    ...base,
    verdict: 'not-mirrored',
    reason: {
      code: whyNoMirror(expectation),
      source: sourceOutcome,
      lastFailure: served ? null : (attempts.at(-1)?.reason ?? null),
      coveredBy: expectation.coveredBy,
      mismatchPolicies: expectation.mismatch?.policies ?? [],
      rolloutPending: expectation.rolloutPending ?? null,
    },
  };
}

/** The first failing mirror, with what the node knows of it: its credentials, its proxy. */
function mirrorFailure(first: VerdictAttempt, mirrors: number, source: SourceOutcome, report: PullEvidence, projectCredentials: boolean): MirrorFailure {
  const mirror = hostOf(first.reference);
  const code = mirrorFailureCode(first.reason, first.message ?? '');
  // Where a proxy can be the cause, the node says whether it goes through one (CRI-O would too).
  const network = code === 'mirror-dns' || code === 'mirror-connection-refused' || code === 'mirror-timeout' || code === 'mirror-other' || code === 'mirror-blob-missing';
  return {
    code,
    mirror,
    mirrors,
    source,
    credentials: code === 'mirror-unauthorized' ? (credentialsFor(report.credentials, repositoryOf(first.reference)) ?? null) : null,
    proxy: network ? proxyFor(report.proxy, mirror) : null,
    ...(code === 'mirror-unauthorized' && projectCredentials ? { projectCredentials: true } : {}),
  };
}

/** The attempt's reason, split where the message says more (read once, here, from podman's words). */
export function mirrorFailureCode(reason: FailureReason | null, message: string): MirrorFailureCode {
  // A refused signature ends the pull at that endpoint (signatureRefusal): never a first of several.
  if (reason === 'signature') return 'mirror-other';
  if (reason === 'tls' && /HTTP response to HTTPS client/.test(message)) return 'mirror-plain-http';
  if ((reason === 'other' || reason === null) && /fetching blob|blob unknown|reading blob/i.test(message)) return 'mirror-blob-missing';
  return `mirror-${reason ?? 'other'}`;
}

/**
 * The signature the node's policy needs was refused at the endpoint whose manifest was used: a
 * pull says so in its error; a manifest check, by an attachment looked for and not found there.
 */
function signatureRefusal(attempts: VerdictAttempt[], pull: ImagePull | null, signature: SignatureExpectation | null, sources: string[] | null): SignatureFailure | null {
  const last = attempts.at(-1);
  if (!last) return null;
  const endpoint = repositoryOf(last.reference);
  // The node's sources after the one that served: a pull never reaches them.
  const at = sources?.indexOf(last.reference) ?? -1;
  const untried = sources && at !== -1 ? sources.length - at - 1 : 0;
  const common = { endpoint, mirror: last.mirror, host: hostOf(last.reference), requirement: signature?.requirement ?? null, untried };
  if (!last.ok && last.reason === 'signature') {
    const message = last.message ?? '';
    const lookup = pull?.log.signatureLookups?.findLast((l) => l.endpoint === endpoint) ?? null;
    const missing = /no signature exists/.test(message);
    const why = missing ? null : message.replace(/^(SignatureValidationFailed: )?(copying system image from manifest list: )?Source image rejected: /, '');
    return { code: missing ? 'signature-missing' : 'signature-rejected', ...common, attachment: lookup?.tag ?? null, seenBy: 'pull', why };
  }
  const lookup = signature?.lookup;
  if (last.ok && signature?.requirement && lookup?.endpoint === endpoint && lookup.found === false) {
    return { code: 'signature-missing', ...common, attachment: lookup.tag, seenBy: 'attachment', why: null };
  }
  return null;
}

/** What the mirror that served showed of the signature required (null: none is required, or nothing was seen). */
function signatureSeen(served: VerdictAttempt, pull: ImagePull | null, signature: SignatureExpectation | null): SignatureSeen | null {
  if (!signature?.requirement) return null;
  const endpoint = repositoryOf(served.reference);
  if (signature.lookup?.endpoint === endpoint && signature.lookup.found) return 'attachment-present';
  // A pull that went through with a signature required verified it.
  return pull?.log.pulled && pull.log.signatureLookups?.some((l) => l.endpoint === endpoint && l.found) ? 'verified' : null;
}

function whyNoMirror({ coveredBy, mismatch, rolloutPending, configMatches }: Expectation): NoMirrorCode {
  if (mismatch) return mismatch.kind;
  if (coveredBy.length && rolloutPending) return 'rollout-pending';
  if (coveredBy.length && configMatches === false) return 'config-lags';
  if (coveredBy.length) return 'node-config';
  return 'no-policy';
}

function runProblem(report: PullEvidence, pull: ImagePull | null, end: RunEnd, servedBefore: ServedBy): RunFailure | null {
  const base = { said: end.clientSaid, problem: end.clientProblem ?? null, servedBefore };
  if (end.status === 'could-not-start') return { code: 'pod-could-not-start', ...base };
  if (end.status === 'timed-out') return { code: 'timed-out', ...base, afterMs: end.timeoutMs };
  if (end.status === 'interrupted') return { code: 'interrupted', ...base };
  if (pull === null || pull.exitCode === null) return { code: 'no-result', ...base };
  if (pull.log.attempts.length === 0) {
    return { code: 'pull-refused', ...base, error: pull.log.error ?? report.strayTail.at(-1) ?? `exit code ${pull.exitCode}` };
  }
  return null;
}
