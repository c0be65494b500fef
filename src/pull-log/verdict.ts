// One node's verdict from what its debug pod printed and how the debug run ended.
import { formatDuration } from '../durations.js';
import { adviceFor } from './classify.js';
import type { NodeReport } from './node-output.js';
import type { Attempt } from './pull-log.js';

export const VERDICTS = ['mirrored', 'mirror-failed', 'not-mirrored', 'error', 'skipped'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface VerdictAttempt extends Attempt {
  mirror: boolean;
}

export interface NodeVerdict {
  verdict: Verdict;
  pulledFrom: string | null;
  attempts: VerdictAttempt[];
  detail: string;
}

/** How the node's run ended, as the node runner reports it. */
export interface RunEnd {
  status: 'exited' | 'timed-out' | 'interrupted' | 'could-not-start';
  /** The client's words that explain a failure, or why the pod could not start. */
  clientSaid: string | null;
  /** oc or kubectl, to quote it by name. */
  clientName: string;
  timeoutMs: number;
}

/** What the cluster's policies say should happen, to explain a node that tried no mirror. */
export interface Expectation {
  /** e.g. "ImageContentSourcePolicy/x covers it", or null when no policy applies. */
  coveredBy: string | null;
  /** Why no mirror applies even though a policy covers the image (tag vs digest). */
  notApplicable: string | null;
  /** This node's MachineConfig update, when one is still pending (current → desired). */
  rolloutPending?: string | null;
}

export const NO_EXPECTATION: Expectation = { coveredBy: null, notApplicable: null };

/** `image` is the exact string podman pulled: an attempt at anything else is a mirror. */
export function decideVerdict(image: string, report: NodeReport, end: RunEnd, expectation: Expectation = NO_EXPECTATION): NodeVerdict {
  const attempts = report.pull.attempts.map((a) => ({ ...a, mirror: a.reference !== image }));
  const mirrors = attempts.filter((a) => a.mirror);
  const served = report.pull.pulled ? (attempts.findLast((a) => a.ok) ?? null) : null;
  const base = { pulledFrom: served?.reference ?? null, attempts };

  const broken = runProblem(report, end);
  if (broken) return { ...base, verdict: 'error', detail: broken };

  if (served?.mirror) {
    const failedBefore = mirrors.filter((a) => !a.ok);
    const note = failedBefore.length
      ? `; ${failedBefore.length} mirror(s) failed first: ${failedBefore.map((a) => a.reason).join(', ')}`
      : '';
    return { ...base, verdict: 'mirrored', detail: `pulled from a mirror${note}` };
  }
  if (mirrors.length > 0) {
    const first = mirrors.find((a) => !a.ok)!;
    const source = attempts.find((a) => !a.mirror);
    const fallback = served
      ? 'the source served it instead'
      : source
        ? `the source failed too (${source.reason ?? 'error'})`
        : 'the pull failed';
    return {
      ...base,
      verdict: 'mirror-failed',
      detail: `mirror ${first.reason}: ${adviceFor(first.reason ?? 'other', first.message ?? '')}; ${fallback}`,
    };
  }
  const source = attempts.at(-1);
  const outcome = served ? 'pulled from the source' : `the source failed (${source?.reason ?? 'no attempt'})`;
  return { ...base, verdict: 'not-mirrored', detail: `${whyNoMirror(expectation)}; ${outcome}` };
}

function whyNoMirror({ coveredBy, notApplicable, rolloutPending }: Expectation): string {
  if (notApplicable) return `no mirror was tried: ${notApplicable}`;
  if (coveredBy && rolloutPending) {
    return `no mirror was tried although ${coveredBy}: the node is still updating its MachineConfig (${rolloutPending})`;
  }
  if (coveredBy) {
    return `no mirror was tried although ${coveredBy}: the node's registries.conf lags (see oc get mcp)`;
  }
  return 'no mirror was tried: no mirror policy covers this image';
}

function runProblem(report: NodeReport, end: RunEnd): string | null {
  const client = end.clientSaid;
  if (end.status === 'could-not-start') return client ?? 'the node pod could not start';
  if (end.status === 'timed-out') return `timed out after ${formatDuration(end.timeoutMs)}${client ? `; ${end.clientName} said: ${client}` : ''}`;
  if (end.status === 'interrupted') return 'interrupted';
  if (report.pullExitCode === null) {
    return client ? `debug pod failed: ${client}` : 'the debug pod printed no pull result';
  }
  if (report.pull.attempts.length === 0) {
    return `podman could not pull: ${report.pull.error ?? report.strayTail.at(-1) ?? `exit code ${report.pullExitCode}`}`;
  }
  return null;
}
