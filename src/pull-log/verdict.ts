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

  if (served?.mirror) {
    return { ...base, verdict: 'mirrored', reason: { code: 'served-by-mirror', failedFirst: mirrors.filter((a) => !a.ok).map((a) => a.reason) } };
  }
  const sourceOutcome: SourceOutcome = served ? 'served' : source ? (source.reason ?? 'error') : 'not-tried';
  if (mirrors.length > 0) {
    const first = mirrors.find((a) => !a.ok)!;
    const reason = mirrorFailure(first, mirrors.length, sourceOutcome, report);
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
function mirrorFailure(first: VerdictAttempt, mirrors: number, source: SourceOutcome, report: PullEvidence): MirrorFailure {
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
  };
}

/** The attempt's reason, split where the message says more (read once, here, from podman's words). */
export function mirrorFailureCode(reason: FailureReason | null, message: string): MirrorFailureCode {
  if (reason === 'tls' && /HTTP response to HTTPS client/.test(message)) return 'mirror-plain-http';
  if ((reason === 'other' || reason === null) && /fetching blob|blob unknown|reading blob/i.test(message)) return 'mirror-blob-missing';
  return `mirror-${reason ?? 'other'}`;
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
