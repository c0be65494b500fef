// One node's check, as the node runner drives it: its lines go through the readers (and to
// its log file); its end becomes a verdict per image, with the node's own configuration
// compared against the cluster's.
import type { NodeEnd, NodeSink } from '../oc/node-runner.js';
import type { Expectation, NodeVerdict } from '../pull-log/evidence.js';
import { proxyFor, hostOf } from '../pull-log/hints.js';
import { clientProblemOf } from '../oc/client-talk.js';
import { asCrioReport } from '../pull-log/crio-pull.js';
import { NodeOutputReader, type NodeReport, pullOf } from '../pull-log/node-output.js';
import { type Engine, ENGINES } from '../pull-log/engines.js';
import { decideVerdict } from '../pull-log/verdict.js';
import type { ImageReference } from '../registries/reference.js';
import type { RegistriesConf } from '../registries/registries-conf.js';
import { type ConfigComparison, compareNodeConfig } from './node-config.js';
import type { Warning } from './warnings.js';

export interface ProxyReport {
  used: boolean;
  httpsProxy: string | null;
  noProxy: string | null;
  /** Mirrors this node reaches through the proxy (not in NO_PROXY). */
  mirrorsThroughProxy: string[];
}

export interface NodeResult extends NodeVerdict {
  name: string;
  image: string;
  durationMs: number;
  podman: string | null;
  /** The image was in the node's storage before the check (so it was left there). */
  imageWasPresent: boolean | null;
  /** The check removed the image it pulled. */
  imageRemoved: boolean;
  config: ConfigComparison | null;
  proxy: ProxyReport | null;
  /** Mirror repositories asked about: does the node pull secret hold credentials for them (no secrets). */
  credentials: Record<string, boolean>;
  /** --engine both: what each engine did, and why they may differ. */
  engines: Partial<Record<'podman' | 'crictl', EngineOutcome>> | null;
  disagreement: Disagreement | null;
  /** registries.conf against what CRI-O last loaded; stale: the files changed after. */
  crioConfig: { loadedAt: string; fileChangedAt: string; stale: boolean } | null;
  /** Too little free space to pull: the node's manifest was read instead (KiB). */
  lowDisk: { availableKb: number; totalKb: number } | null;
}

export interface EngineOutcome {
  verdict: NodeVerdict['verdict'];
  pulledFrom: string | null;
}

/**
 * podman (the files now) and CRI-O (what it loaded) pulled differently: crio-not-reloaded when the
 * files changed after CRI-O last loaded them, engines-differ otherwise.
 */
export interface Disagreement {
  code: 'crio-not-reloaded' | 'engines-differ';
  podman: EngineOutcome;
  crio: EngineOutcome;
}

export interface LogSink {
  write(line: string): void;
  /** Resolves with the write error, if writing failed (a full disk, say). */
  close(): Promise<Error | null>;
}
export type LogSinkFactory = (node: string) => LogSink;

export interface NodeCheck extends NodeSink {
  finish(end: NodeEnd): Promise<NodeResult[]>;
}

export interface ImageCheck {
  image: string;
  ref: ImageReference;
  expectation: Expectation;
}

export interface NodeCheckContext {
  images: ImageCheck[];
  engine: Engine;
  clientName: string;
  /** `oc icsp` or `kubectl icsp`, as the user typed it, for advice. */
  invokedAs: string;
  timeoutMs: number;
  /** What the cluster's policies render to, or null when unknown. */
  expected: RegistriesConf | null;
  rolloutPending: string | null;
  log: LogSink | undefined;
  /** A problem that is not the node's verdict, but must be said (the log file failed). */
  warn(warning: Warning): void;
}

export function startNodeCheck(node: string, context: NodeCheckContext): NodeCheck {
  const reader = new NodeOutputReader();
  const { log } = context;
  return {
    output(line) {
      reader.feed(line);
      log?.write(line);
    },
    clientTalk(line) {
      log?.write(`[${context.clientName}] ${line}`);
    },
    async finish(end) {
      const logError = await log?.close();
      if (logError) context.warn({ code: 'log-file-incomplete', node, error: logError.message });
      const report = reader.result();
      const runEnd = { status: end.status, clientSaid: end.clientSaid, clientProblem: clientProblemOf(end.clientSaid), timeoutMs: context.timeoutMs };
      const crioConfig = crioConfigState(report);
      return context.images.map(({ image, ref, expectation }) => {
        const config = compareNodeConfig(report.registriesConf, context.expected, ref);
        const expect = { ...expectation, rolloutPending: context.rolloutPending, configMatches: config?.matchesCluster ?? null };
        const podman = !ENGINES[context.engine].podman ? null : decideVerdict(image, report, runEnd, expect);
        const crio = !ENGINES[context.engine].crio ? null : decideVerdict(image, asCrioReport(report), runEnd, expect);
        // CRI-O's verdict is what workloads get; podman's is kept beside it when both ran.
        const verdict = (crio ?? podman)!;
        const pull = pullOf(report, image);
        return {
          name: node,
          image,
          ...verdict,
          durationMs: end.durationMs,
          podman: report.podman,
          imageWasPresent: pull?.presentBefore ?? null,
          imageRemoved: pull?.removed === 'yes',
          config,
          proxy: proxyReport(report, verdict.attempts.filter((a) => a.mirror).map((a) => hostOf(a.reference))),
          credentials: report.credentials,
          engines: podman && crio ? { podman: pick(podman), crictl: pick(crio) } : null,
          disagreement: podman && crio ? disagreement(podman, crio, crioConfig) : null,
          crioConfig,
          lowDisk: report.disk?.low ? { availableKb: report.disk.availableKb, totalKb: report.disk.totalKb } : null,
        };
      });
    },
  };
}

const pick = (v: NodeVerdict): EngineOutcome => ({ verdict: v.verdict, pulledFrom: v.pulledFrom });

function crioConfigState(report: NodeReport): NodeResult['crioConfig'] {
  if (report.configMtime === null || report.crioLoadedAt === null) return null;
  const loaded = Date.parse(report.crioLoadedAt.replace(' ', 'T'));
  if (Number.isNaN(loaded)) return null;
  const changed = report.configMtime * 1000;
  return { loadedAt: new Date(loaded).toISOString(), fileChangedAt: new Date(changed).toISOString(), stale: changed > loaded };
}

/** Whether podman (the files now) and CRI-O (what it loaded) pulled differently, and the likely why. */
function disagreement(podman: NodeVerdict, crio: NodeVerdict, config: NodeResult['crioConfig']): Disagreement | null {
  if (podman.verdict === crio.verdict && podman.pulledFrom === crio.pulledFrom) return null;
  return { code: config?.stale ? 'crio-not-reloaded' : 'engines-differ', podman: pick(podman), crio: pick(crio) };
}

function proxyReport(report: NodeReport, mirrorHosts: string[]): ProxyReport | null {
  if (!report.proxy) return null;
  const httpsProxy = report.proxy.HTTPS_PROXY || report.proxy.HTTP_PROXY || null;
  return {
    used: httpsProxy !== null,
    httpsProxy,
    noProxy: report.proxy.NO_PROXY || null,
    mirrorsThroughProxy: [...new Set(mirrorHosts.filter((h) => proxyFor(report.proxy, h) !== null))],
  };
}

/** A node that was not checked: it is not Ready (why: the node's own words). */
export function resultWithoutRun(name: string, image: string, why: string): NodeResult {
  return {
    name,
    image,
    verdict: 'skipped',
    pulledFrom: null,
    attempts: [],
    reason: { code: 'node-not-ready', why },
    durationMs: 0,
    podman: null,
    imageWasPresent: null,
    imageRemoved: false,
    config: null,
    proxy: null,
    credentials: {},
    engines: null,
    disagreement: null,
    crioConfig: null,
    lowDisk: null,
  };
}
