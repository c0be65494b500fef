// One node's verdict from what its debug pod printed and how the debug run ended.
import { formatDuration } from '../durations.js';
import { type Expectation, NO_EXPECTATION, type NodeVerdict, type RunEnd } from './evidence.js';
import { coveredWords, mismatchWords } from './expectation-words.js';
import { hintFor } from './hints.js';
import { type ImagePull, type NodeReport, pullOf } from './node-output.js';

/** `image` is the exact string podman pulled: an attempt at anything else is a mirror. */
export function decideVerdict(image: string, report: NodeReport, end: RunEnd, expectation: Expectation = NO_EXPECTATION): NodeVerdict {
  const pull = pullOf(report, image);
  const attempts = (pull?.log.attempts ?? []).map((a) => ({ ...a, mirror: a.reference !== image }));
  const mirrors = attempts.filter((a) => a.mirror);
  const served = pull?.log.pulled ? (attempts.findLast((a) => a.ok) ?? null) : null;
  const source = attempts.find((a) => !a.mirror) ?? null;
  const base = { pulledFrom: served?.reference ?? null, attempts };
  const evidence = { image, report, end, expectation, attempts, served, source };

  const broken = runProblem(report, pull, end);
  if (broken) {
    // The check did not finish: no PULLED FROM beside verdict error; what it saw goes in the detail.
    const seen = served ? `; ${served.mirror ? 'a mirror' : 'the source'} had served the image by then` : '';
    return { ...base, pulledFrom: null, verdict: 'error', detail: `${broken.detail}${seen}`, summary: broken.summary, hint: hintFor({ ...evidence, verdict: 'error' }) };
  }

  if (served?.mirror) {
    const failedBefore = mirrors.filter((a) => !a.ok);
    const note = failedBefore.length ? `; ${failedBefore.length} mirror(s) failed first: ${failedBefore.map((a) => a.reason).join(', ')}` : '';
    return {
      ...base,
      verdict: 'mirrored',
      // "served": a manifest check (--check manifest) pulls nothing, and the words hold for both.
      detail: `served by a mirror${note}`,
      summary: failedBefore.length ? `from a mirror, ${failedBefore.length} failed first` : 'served by a mirror',
      hint: null,
    };
  }
  const sourceOutcome = served ? 'served it' : source ? (source.reason ?? 'error') : 'not tried';
  if (mirrors.length > 0) {
    const first = mirrors.find((a) => !a.ok)!;
    const fallback = served ? 'the source served it instead' : source ? `the source failed too (${source.reason ?? 'error'})` : 'the pull failed';
    return {
      ...base,
      verdict: 'mirror-failed',
      // What happened only: the advice is the hint's, stated once (hints.ts).
      detail: `mirror ${first.reason}${mirrors.length > 1 ? ` (first of ${mirrors.length} mirrors)` : ''}; ${fallback}`,
      summary: `${first.reason} on mirror, source: ${sourceOutcome}`,
      hint: hintFor({ ...evidence, verdict: 'mirror-failed' }),
    };
  }
  const outcome = served ? 'pulled from the source' : `the source failed (${attempts.at(-1)?.reason ?? 'no attempt'})`;
  return {
    ...base,
    verdict: 'not-mirrored',
    detail: `${whyNoMirror(expectation, end)}; ${outcome}`,
    summary: `no mirror tried (${whyNoMirrorShort(expectation)}), source: ${sourceOutcome}`,
    hint: hintFor({ ...evidence, verdict: 'not-mirrored' }),
  };
}

function whyNoMirrorShort({ coveredBy, mismatch, rolloutPending, configMatches }: Expectation): string {
  if (mismatch) return mismatch.kind === 'tag-pull-digest-mirrors' ? 'tag pull' : 'only tag mirrors';
  if (coveredBy.length && rolloutPending) return 'rollout pending';
  if (coveredBy.length && configMatches === false) return 'config lags';
  if (coveredBy.length) return 'node config';
  return 'no policy';
}

function whyNoMirror(expectation: Expectation, end: RunEnd): string {
  const mismatch = mismatchWords(expectation);
  if (mismatch) return `no mirror was tried: ${mismatch}`;
  if (expectation.coveredBy.length && expectation.rolloutPending) {
    return `no mirror was tried although ${coveredWords(expectation)}: the node is still updating its MachineConfig (${expectation.rolloutPending})`;
  }
  if (expectation.coveredBy.length) {
    return `no mirror was tried although ${coveredWords(expectation)}: the node's registries.conf lags (see ${end.clientName} get mcp)`;
  }
  return 'no mirror was tried: no mirror policy covers this image';
}

function runProblem(report: NodeReport, pull: ImagePull | null, end: RunEnd): { detail: string; summary: string } | null {
  const client = end.clientSaid;
  if (end.status === 'could-not-start') return { detail: client ?? 'the node pod could not start', summary: 'could not start' };
  if (end.status === 'timed-out') {
    const after = formatDuration(end.timeoutMs);
    return { detail: `timed out after ${after}${client ? `; ${end.clientName} said: ${client}` : ''}`, summary: `timed out after ${after}` };
  }
  if (end.status === 'interrupted') return { detail: 'interrupted', summary: 'interrupted' };
  if (pull === null || pull.exitCode === null) {
    return { detail: client ? `debug pod failed: ${client}` : 'the debug pod printed no pull result', summary: 'debug pod failed' };
  }
  if (pull.log.attempts.length === 0) {
    return { detail: `podman could not pull: ${pull.log.error ?? report.strayTail.at(-1) ?? `exit code ${pull.exitCode}`}`, summary: 'podman could not pull' };
  }
  return null;
}
