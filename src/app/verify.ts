// `oc icsp verify`: one pod per node, bounded, each pulling the images with the node's own
// configuration and pull secret; returns the model the report prints.
import { UserError } from '../errors.js';
import type { Client } from '../oc/client.js';
import { type ClusterNode, getMachineConfiguration, hasConfigMap, listNodes, listPodImages, serverKubeMinor } from '../oc/cluster.js';
import { DRAIN_OVERRIDE, type DisruptionActions } from '../registries/crio-rollout.js';
import { listMachineConfigPools, type MachineConfigPool } from '../oc/machine-config.js';
import { releaseImages } from '../oc/release.js';
import type { NodeRunner, PlannedCall } from '../oc/node-runner.js';
import type { Expectation, Verdict } from '../pull-log/evidence.js';
import { nodeCommand } from '../node-check/node-script.js';
import { hostOf } from '../pull-log/hints.js';
import type { RegistriesConf } from '../registries/registries-conf.js';
import { type CheckChoice, type CheckMode, checkModeFor, type Engine, SCALE_THRESHOLD } from '../pull-log/engines.js';
import type { PolicySet } from '../registries/policies.js';
import { renderRegistriesConf } from '../registries/render.js';
import { applyProposal, type ObjectRef, type PoolRollout, poolRollouts, type Proposal, registriesConfActions } from './proposal.js';
import { registriesOf } from './status.js';
import { renderFile } from './policies.js';
import { type ImageReference, parseReference, pullString, referenceName, wasNormalized } from '../registries/reference.js';
import { resolvePullSources } from '../registries/resolve.js';
import { leftoverWarning } from './cleanup.js';
import { type Borrowed, type ImageCheck, type LogSinkFactory, type NodeCheckContext, type NodeResult, resultWithoutRun } from './check-node.js';
import { mergedOutcome, type Phase, type Progress, readComposed, runPhase } from './node-phases.js';
import { type Clock, systemClock } from '../clock.js';
import { readClusterPolicies } from './cluster-policies.js';
import { settledInOrder } from './settled-in-order.js';
import { providerMatches } from '../registries/credential-provider.js';
import { clusterConf, sourcesOf } from './node-config.js';
import { pickImages, type RunningImage, runningImages } from './pick-images.js';
import { expectationFor, mirrorWarnings, type PolicyRow, policyRows } from './policy-summary.js';
import { pendingRollout, poolOf, poolWarnings } from './rollout.js';
import { type Outcome, outcomeOf } from './outcome.js';
import { foldImages, type NodeWarning, type Warning } from './warnings.js';

export interface VerifyRequest {
  /** The images to check; none: the ones the cluster runs that a mirror policy covers. */
  images: string[];
  check: CheckChoice;
  /** podman (default), crictl (CRI-O itself), or both, compared. */
  engine?: Engine;
  maxImages: number;
  selector: string | undefined;
  nodeNames: string[] | undefined;
  parallel: number;
  timeoutMs: number;
  keepImage: boolean;
  /** Every distinct image running pods use, not a few: those no mirror serves are reported without a pod. */
  running?: boolean;
  /** Every image read on every node, rather than one node per fingerprint (app/compose.ts). */
  exhaustive?: boolean;
  /** A release payload's images too (oc only): its pull spec, or '' for the cluster's own release. */
  release?: string;
  /** A change before it is applied: its manifests (read) and the objects it deletes. */
  change?: { proposed: PolicySet; without: ObjectRef[] };
  /** With a change: each node reads the images with its own files too, in the same pod (--compare). */
  compare?: boolean;
}

export interface VerifyDeps {
  client: Client;
  nodeRunner: NodeRunner;
  signal: AbortSignal;
  logSink: LogSinkFactory | undefined;
  /** Where the run is: the step, nodes and images done, the slowest node (app/node-phases.ts). */
  onProgress?(progress: Progress): void;
  onStatus?(text: string): void;
  /** The run's time (the slowest node's), injected. */
  clock?: Clock;
  /** How the user started the plugin (`oc icsp`, `kubectl icsp`): advice names it (default: the client's). */
  invokedAs?: string;
}

export interface VerifyResult {
  /** The client driven, and the plugin as the user started it: the words quote them. */
  clientName: string;
  invokedAs: string;
  /** The first image checked (the only one, when IMAGE was given). */
  image: string;
  /** How each node checked: pulled the image, or read its manifest. */
  check: CheckMode;
  /** How nodes were reached: oc debug, kubectl pods, a DaemonSet. */
  strategy: string;
  images: string[];
  /** The images were picked from the cluster's running pods (no IMAGE given). */
  picked: boolean;
  policies: PolicyRow[];
  /** What is said beside the verdicts, as codes (report/warning-words.ts words them), in order. */
  warnings: Warning[];
  nodes: NodeResult[];
  /** --running: images running pods use that no mirror serves (their source, cut off, fails them); checked on no node. */
  notCovered: RunningImage[];
  summary: Record<Verdict, number>;
  /** The nodes that took another's reads (several images, composed), each with the reads it took. */
  borrowed: Borrowed[];
  /** Checked as if a change were applied: what it applies and deletes, and what its rollout does in each pool; null: as the cluster is. */
  proposal: (Proposal & { rollout: PoolRollout[] }) | null;
  /**
   * Several images composed (app/compose.ts): the nodes that read them for the others, and how many
   * node-image verdicts were taken from their reads; null: every node read its own.
   */
  composed: { readers: string[]; borrowed: number } | null;
  namespace: string | null;
  namespaceDeleted: boolean;
  interrupted: boolean;
}

interface Preparation {
  checks: ImageCheck[];
  notCovered: RunningImage[];
  warnings: Warning[];
  nodes: ClusterNode[];
  /** The policies the nodes are checked against: the cluster's, or the cluster's after a proposed change. */
  policies: PolicySet;
  /** The cluster's policies as they are. */
  today: PolicySet;
  /** Mirror repositories whose credentials each node's pull secret is asked about. */
  repositories: string[];
  /** The change proposed, what its rollout does in each pool, and the files the nodes are probed with. */
  proposal: (Proposal & { rollout: PoolRollout[]; registriesConf: string; signaturePolicy: SignatureFiles | undefined }) | null;
}

/** What every verify does before any pod: the session, nodes, policies, pools, warnings. */
async function prepare(request: VerifyRequest, client: Client, invokedAs = `${client.name} icsp`, nodeRunner?: NodeRunner): Promise<Preparation> {
  const warnings: Warning[] = [];
  if (request.release !== undefined && client.name !== 'oc') {
    throw new UserError(
      `--release reads the payload with \`oc adm release info\`, which kubectl does not have: where oc is, run \`oc adm release info --pullspecs ${request.release || 'PULLSPEC'} > release.txt\` and pass --images-from release.txt`,
    );
  }
  // Independent reads at once (each is a client process); a failure is reported in this order,
  // so a session that has expired says so first. The node runner starts its own reads beside them.
  nodeRunner?.prepare?.();
  const disruption = request.change ? readDisruption(client) : null;
  const [, listed, today, leftovers, pools] = await settledInOrder([
    client.whoAmI(),
    listNodes(client.runner, request.selector),
    readClusterPolicies(client.runner),
    leftoverWarning(client),
    listMachineConfigPools(client.runner),
  ] as const);
  const nodes = selectNodes(listed, request.nodeNames, client.name);
  // A proposed change: every expectation is the policies' after it, and the probe reads its files.
  const changed = request.change ? applyProposal(today, request.change.proposed, request.change.without) : null;
  const policies = changed?.set ?? today;
  const proposal = changed && {
    ...changed.proposal,
    rollout: await rolloutsOf(client, nodes, pools, today, changed.set, disruption!),
    registriesConf: renderRegistriesConf(changed.set),
    signaturePolicy: signaturesChange(today, changed.set),
  };
  let images = request.release === undefined ? request.images : [...new Set([...request.images, ...(await releaseImages(client.runner, request.release || undefined))])];
  let notCovered: RunningImage[] = [];
  if (request.running) {
    const running = runningImages(await listPodImages(client.runner), policies.rules);
    images = running.covered.map((r) => r.image);
    notCovered = running.notCovered;
  } else if (images.length === 0 && request.release === undefined) {
    const picked = pickImages(await listPodImages(client.runner), policies.rules, request.maxImages);
    if (picked.length === 0) {
      throw new UserError(`no running pod uses an image that a mirror policy covers: name an IMAGE (${invokedAs} verify IMAGE)`);
    }
    images = picked.map((p) => p.image);
    for (const p of picked) warnings.push({ code: 'image-picked', image: p.image, seenIn: p.seenIn, source: p.source });
  }
  const expected = clusterConf(policies);
  const repositories = new Set<string>();
  const several = images.length > 1;
  const checks = images.map((text): ImageCheck => {
    const ref = parseReference(text);
    const image = pullString(ref);
    if (wasNormalized(text, ref)) warnings.push({ code: 'image-normalized', typed: text, pulled: image });
    warnings.push(...mirrorWarnings(policies.rules, ref));
    if (expected) {
      // Repositories and their hosts: a pull secret may key credentials by either. With several
      // images, each mirror's location instead (one podman start a question, on every node: 300
      // repositories took 30 s); credentialsFor takes the most specific asked that covers one.
      for (const s of safeSources(expected, ref)) {
        if (!s.mirror) continue;
        const name = referenceName(parseReference(s.reference));
        repositories.add(several ? (mirrorLocationOf(expected, ref, s.reference) ?? name) : name);
        repositories.add(name.split('/')[0]!);
      }
    }
    const expecting = (set: PolicySet): Expectation => ({ ...expectationFor(set.rules, ref), projectCredentials: providerMatches(set.credentialProvider, ref) });
    return { image, ref, expectation: expecting(policies), ...(changed && request.compare ? { todayExpectation: expecting(today) } : {}) };
  });
  if (leftovers) warnings.push(leftovers);
  // Only the pools of the nodes being checked.
  const ours = new Set(nodes.map((n) => poolOf(n, pools)?.name).filter(Boolean));
  warnings.push(...poolWarnings(pools.filter((p) => ours.has(p.name))));
  return { checks, notCovered, warnings, nodes, policies, today, repositories: [...repositories], proposal };
}

/**
 * What the change's rollout does in each pool of the nodes checked: from the registries.conf of the
 * pool's rendered MachineConfig to the one after the change, under the cluster's node disruption
 * policy (none served before 4.17: the MCO's rules alone). No pool (not OpenShift): one for all.
 */
async function rolloutsOf(client: Client, nodes: ClusterNode[], pools: MachineConfigPool[], today: PolicySet, after: PolicySet, disruption: Promise<Disruption>): Promise<PoolRollout[]> {
  const ours = pools.filter((p) => nodes.some((n) => poolOf(n, pools)?.name === p.name));
  const [[actions, override], texts] = await Promise.all([disruption, Promise.all(ours.map((p) => registriesOf(client, p)))]);
  const named = ours.length ? ours.map((p, i) => ({ name: p.name, registriesConf: texts[i]?.text ?? null })) : [{ name: '(all nodes)', registriesConf: null }];
  return poolRollouts(named, today, after, actions, override);
}

type Disruption = [DisruptionActions | undefined, boolean];

/** The cluster's node disruption policy for registries.conf, and whether the drain override ConfigMap applies: read beside the other reads. */
function readDisruption(client: Client): Promise<Disruption> {
  const read = Promise.all([getMachineConfiguration(client.runner).then(registriesConfActions), honoursDrainOverride(client)]);
  // Awaited later, or never where an earlier read fails: its failure must not go unhandled meanwhile.
  read.catch(() => {});
  return read;
}

/** OpenShift 4.16 to 4.19 (Kubernetes 1.29 to 1.32) skip the drain where the override ConfigMap exists (registries/crio-rollout.ts). */
async function honoursDrainOverride(client: Client): Promise<boolean> {
  const minor = await serverKubeMinor(client.runner);
  return minor !== null && minor >= 29 && minor <= 32 && (await hasConfigMap(client.runner, DRAIN_OVERRIDE));
}

/**
 * Whether verdicts are composed: several images on several nodes, podman reading (CRI-O pulls
 * with what it loaded, which no file shows), unless --exhaustive.
 */
function composes(request: VerifyRequest, checks: ImageCheck[], nodes: number): boolean {
  return !request.exhaustive && checks.length > 1 && nodes > 1 && (request.engine ?? 'podman') === 'podman';
}

/**
 * The hosts a survey asks the nodes about: each image's own, and every host the cluster's
 * policies render (a node whose files are the cluster's reads from no other; one whose files
 * send it elsewhere reads its images itself, app/compose.ts).
 */
function hostsOf(checks: ImageCheck[], expected: RegistriesConf | null): string[] {
  const hosts = new Set<string>(checks.map((c) => c.ref.domain));
  for (const entry of expected?.registries ?? []) {
    if (entry.location) hosts.add(hostOf(entry.location));
    for (const m of entry.mirrors) hosts.add(hostOf(m.location));
  }
  return [...hosts];
}

/** The location of the mirror of the entry matching ref that gave this source reference. */
function mirrorLocationOf(expected: RegistriesConf, ref: ImageReference, source: string): string | null {
  try {
    const { entry } = resolvePullSources(expected, ref);
    return entry?.mirrors.map((m) => m.location).find((location) => source.startsWith(`${location}/`) || source.startsWith(`${location}@`) || source.startsWith(`${location}:`)) ?? null;
  } catch {
    return null;
  }
}

function safeSources(...args: Parameters<typeof sourcesOf>) {
  try {
    return sourcesOf(...args);
  } catch {
    return [];
  }
}

/** The node script's argv: the same for every node of a run, and for its --dry-run. */
function commandFor(request: VerifyRequest, checks: ImageCheck[], check: CheckMode, repositories: string[], proposal?: Preparation['proposal']): string[] {
  const registriesConf = proposal?.registriesConf;
  return nodeCommand({
    images: checks.map((c) => c.image),
    check,
    engine: request.engine ?? 'podman',
    keepImage: request.keepImage,
    repositories,
    registriesConf,
    compare: request.compare && registriesConf !== undefined,
    signaturePolicy: proposal?.signaturePolicy,
  });
}

type SignatureFiles = { policyJson: string; registriesD: string };

/** The policy.json and sigstore registries.d a change makes, where it changes what they hold (else the nodes' own are read). */
function signaturesChange(today: PolicySet, after: PolicySet): SignatureFiles | undefined {
  const same = JSON.stringify(today.imagePolicies) === JSON.stringify(after.imagePolicies) && JSON.stringify(today.registrySources) === JSON.stringify(after.registrySources);
  return same ? undefined : { policyJson: renderFile(after, 'policy.json'), registriesD: renderFile(after, 'sigstore-registries.yaml') };
}

/** What --dry-run shows: how nodes would be reached, every client call, the nodes left out. */
export interface VerifyPlan {
  strategy: string;
  calls: PlannedCall[];
  skipped: string[];
}

/** --dry-run: the client calls a run would make, node by node, having created nothing. */
export async function planVerify(request: VerifyRequest, deps: Pick<VerifyDeps, 'client' | 'nodeRunner' | 'invokedAs'>): Promise<VerifyPlan> {
  const { checks, nodes, repositories, proposal } = await prepare(request, deps.client, deps.invokedAs);
  const ready = nodes.filter((n) => n.ready).map((n) => n.name);
  const check = checkModeFor(request.engine ?? 'podman', request.check, ready.length);
  const calls = deps.nodeRunner.plan(ready, commandFor(request, checks, check, repositories, proposal));
  // Asked after the plan: `auto` has chosen by then.
  return { strategy: deps.nodeRunner.strategy, calls, skipped: nodes.filter((n) => !n.ready).map((n) => n.name) };
}

export async function verify(request: VerifyRequest, deps: VerifyDeps): Promise<VerifyResult> {
  const { client, nodeRunner } = deps;
  const { checks, notCovered, warnings, nodes, policies, today, repositories, proposal } = await prepare(request, client, deps.invokedAs, nodeRunner);
  const expected = clusterConf(policies);
  const todayExpected = proposal && request.compare ? clusterConf(today) : null;
  // --running on a cluster where no running image is mirrored: nothing to check on a node.
  if (checks.length === 0) return { ...uncheckedResult(client.name, deps.invokedAs ?? `${client.name} icsp`, nodeRunner.strategy, notCovered, warnings), proposal: publicProposal(proposal) };

  const results = new Map<string, NodeResult[]>();
  for (const node of nodes.filter((n) => !n.ready)) {
    results.set(node.name, checks.map((c) => resultWithoutRun(node.name, c.image, c.ref, node.notReadyReason ?? 'unknown')));
  }
  const ready = nodes.filter((n) => n.ready);
  const byName = new Map(ready.map((n) => [n.name, n]));
  const engine = request.engine ?? 'podman';
  const check = checkModeFor(engine, request.check, ready.length);
  if (request.check === 'auto' && ready.length > SCALE_THRESHOLD) {
    warnings.push(check === 'manifest' ? { code: 'manifest-only-at-scale', nodes: ready.length } : { code: 'crio-pulls-at-scale', nodes: ready.length, engine });
  }
  const context = (node: string, images: ImageCheck[], part?: string): NodeCheckContext => ({
    images,
    engine,
    clientName: client.name,
    invokedAs: deps.invokedAs ?? `${client.name} icsp`,
    timeoutMs: request.timeoutMs,
    expected,
    expectedSignatures: { policies: policies.imagePolicies },
    rolloutPending: pendingRollout(byName.get(node)!),
    log: openLog(deps.logSink, node, warnings, part),
    warn: (warning) => warnings.push(warning),
    compare: request.compare === true && proposal !== null && part !== 'survey',
    todayExpected: proposal && request.compare ? todayExpected : undefined,
  });
  const phase: Phase = (step, nodes, command, images, keep) =>
    runPhase(nodeRunner, {
      step,
      nodes,
      command,
      images,
      keep,
      part: step === 'survey' ? 'survey' : undefined,
      context,
      parallel: request.parallel,
      timeoutMs: request.timeoutMs,
      signal: deps.signal,
      onStatus: deps.onStatus,
      onProgress: deps.onProgress,
      clock: deps.clock ?? systemClock,
    });
  const names = ready.map((n) => n.name);
  let composed: VerifyResult['composed'] = null;
  let borrowed: Borrowed[] = [];
  const outcome = composes(request, checks, names.length)
    ? await readComposed({
          ready: names,
          checks,
          command: (images) => commandFor(request, images, check, repositories, proposal),
          // No pull-secret questions: a node that takes a reader's verdicts takes what its pull secret said.
          survey: nodeCommand({ images: [], check: 'manifest', keepImage: false, repositories: [], hosts: hostsOf(checks, expected) }),
          phase,
          results,
          context: { images: checks, expected, expectedSignatures: { policies: policies.imagePolicies } },
          signal: deps.signal,
        }).then((run) => {
          composed = { readers: run.readers, borrowed: run.borrowed.reduce((n, b) => n + b.reads.length, 0) };
          borrowed = run.borrowed;
          warnings.push(...foldImages(run.warnings));
          return mergedOutcome(run.outcomes);
        })
    : await phase('check', names, commandFor(request, checks, check, repositories, proposal), checks, async (node, running, end) => void results.set(node, await running.finish(end)));

  warnings.push(...outcome.notices);
  const result: VerifyResult = {
    clientName: client.name,
    invokedAs: deps.invokedAs ?? `${client.name} icsp`,
    image: checks[0]!.image,
    check,
    strategy: nodeRunner.strategy,
    images: checks.map((c) => c.image),
    picked: request.images.length === 0,
    policies: dedupe(checks.flatMap((c) => policyRows(policies.rules, c.ref))),
    warnings,
    nodes: [],
    notCovered,
    summary: { mirrored: 0, 'mirror-failed': 0, 'not-mirrored': 0, error: 0, skipped: 0 },
    namespace: outcome.namespace,
    namespaceDeleted: outcome.cleanedUp,
    interrupted: deps.signal.aborted,
    composed,
    borrowed,
    proposal: publicProposal(proposal),
  };
  for (const node of nodes) {
    for (const nodeResult of results.get(node.name) ?? []) {
      result.nodes.push(nodeResult);
      result.summary[nodeResult.verdict] += 1;
    }
  }
  for (const b of borrowed) for (const read of b.reads) result.summary[read.verdict] += 1;
  warnings.push(...foldImages(result.nodes.flatMap(nodeWarnings)));
  if (outcome.namespace && !outcome.cleanedUp) {
    warnings.push({ code: 'namespace-left', namespace: outcome.namespace });
  }
  return result;
}


/** What the node's facts say beside its verdict, then whether its engines disagreed. */
function nodeWarnings(n: NodeResult): NodeWarning[] {
  const disagreed: NodeWarning[] = n.disagreement ? [{ code: 'engines-disagree', node: n.name, disagreement: n.disagreement, crioConfig: n.facts.crioConfig }] : [];
  return [...n.factWarnings, ...disagreed];
}

function dedupe(rows: PolicyRow[]): PolicyRow[] {
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(JSON.stringify(r)) && seen.add(JSON.stringify(r)));
}

// A log file that cannot be opened costs that node its log, never its check.
function openLog(factory: LogSinkFactory | undefined, node: string, warnings: Warning[], part?: string) {
  if (!factory) return undefined;
  try {
    return factory(node, part);
  } catch (error) {
    warnings.push({ code: 'log-file-failed', node, error: (error as Error).message });
    return undefined;
  }
}

function selectNodes(nodes: ClusterNode[], names: string[] | undefined, clientName: string): ClusterNode[] {
  if (!names) {
    if (nodes.length === 0) throw new UserError('no nodes match: check -l/--selector');
    return nodes;
  }
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const missing = names.filter((n) => !byName.has(n));
  if (missing.length) throw new UserError(`no such node${missing.length > 1 ? 's' : ''}: ${missing.join(', ')} (see \`${clientName} get nodes\`)`);
  return names.map((n) => byName.get(n)!);
}

/** Clean only when every selected node pulled through a mirror, with no stale or disagreeing engine. */
export function verifyOutcome(result: VerifyResult): Outcome {
  if (result.interrupted) return 'interrupted';
  const clean =
    result.nodes.length > 0 &&
    result.nodes.every((n) => n.verdict === 'mirrored' && !n.facts.crioConfig?.stale && !n.disagreement) &&
    result.borrowed.every((b) => !b.crioStale && b.reads.every((r) => r.verdict === 'mirrored'));
  return outcomeOf(!clean || result.notCovered.length > 0);
}

/** What a result says of the change: what it applies and deletes, and its rollout (not the files the nodes read). */
function publicProposal(p: Preparation['proposal']): VerifyResult['proposal'] {
  return p && { applied: p.applied, deleted: p.deleted, rollout: p.rollout };
}

/** A run that checked no node: every image it was asked about is one no mirror serves. */
function uncheckedResult(clientName: string, invokedAs: string, strategy: string, notCovered: RunningImage[], warnings: Warning[]): VerifyResult {
  return {
    clientName, invokedAs, image: notCovered[0]?.image ?? '', check: 'manifest', strategy, images: [], picked: false, policies: [], warnings, nodes: [], notCovered,
    summary: { mirrored: 0, 'mirror-failed': 0, 'not-mirrored': 0, error: 0, skipped: 0 }, composed: null, borrowed: [], proposal: null, namespace: null, namespaceDeleted: true, interrupted: false,
  };
}
