// A verdict with its reason's words, as the report says them (report/reasons.ts): the tests that
// decide verdicts assert on the words a user reads.
import type { Finding } from '../src/app/audit.js';
import type { Warning } from '../src/app/warnings.js';
import { findingWords } from '../src/report/finding-words.js';
import type { Reason } from '../src/pull-log/evidence.js';
import { warningWords } from '../src/report/warning-words.js';
import { reasonWords, type ReasonWords, type Speaker } from '../src/report/reasons.js';

export const OC: Speaker = { clientName: 'oc', invokedAs: 'oc icsp' };

export const said = <V extends { reason: Reason }>(v: V, speaker: Partial<Speaker> = {}): V & ReasonWords => ({ ...v, ...reasonWords(v.reason, { ...OC, ...speaker }) });

/** A warning, or each of a list, in the words verify prints. */
export const warned = (w: Warning, speaker: Partial<Speaker> = {}): string => warningWords(w, { ...OC, ...speaker });
export const warnedAll = (ws: Warning[], speaker: Partial<Speaker> = {}): string[] => ws.map((w) => warned(w, speaker));

/** audit's findings as the document gives them: the code (kind), where, and the words. */
export const findingsSaid = (findings: Finding[]) => findings.map((f) => ({ kind: f.kind, node: f.node, image: f.image, at: f.at, detail: findingWords(f) }));
