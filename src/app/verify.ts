// `oc icsp verify`: one pod per node, bounded, each pulling the image with the node's own
// configuration and pull secret; returns the model the report prints.
import { UserError } from '../errors.js';
import type { Client } from '../oc/client.js';
import { type ClusterNode, listNodes } from '../oc/cluster.js';
import type { NodeRunner, PlannedCall } from '../oc/node-runner.js';
import { nodeCommand } from '../pull-log/node-script.js';
import type { Verdict } from '../pull-log/verdict.js';
import { type ImageReference, parseReference, pullString, wasNormalized } from '../registries/reference.js';
import { type LogSinkFactory, type NodeResult, resultWithoutRun, startNodeCheck } from './check-node.js';
import { readClusterPolicies } from './cluster-policies.js';
import { expectationFor, mirrorWarnings, type PolicyRow, policyRows } from './policy-summary.js';

export interface VerifyRequest {
  image: string;
  selector: string | undefined;
  nodeNames: string[] | undefined;
  parallel: number;
  timeoutMs: number;
  keepImage: boolean;
}

export interface VerifyDeps {
  client: Client;
  nodeRunner: NodeRunner;
  signal: AbortSignal;
  logSink: LogSinkFactory | undefined;
  onNodeDone?(done: number, total: number): void;
  onStatus?(text: string): void;
}

export interface VerifyResult {
  image: string;
  policies: PolicyRow[];
  warnings: string[];
  nodes: NodeResult[];
  summary: Record<Verdict, number>;
  namespace: string | null;
  namespaceDeleted: boolean;
  interrupted: boolean;
}

interface Preparation {
  ref: ImageReference;
  image: string;
  warnings: string[];
  nodes: ClusterNode[];
}

/** What every verify does before any pod: check the session, read nodes and policies. */
async function prepare(request: VerifyRequest, client: Client): Promise<Preparation> {
  const ref = parseReference(request.image);
  const image = pullString(ref);
  const warnings: string[] = [];
  if (wasNormalized(request.image, ref)) warnings.push(`${request.image} is pulled as ${image}`);
  await client.whoAmI();
  const nodes = selectNodes(await listNodes(client.runner, request.selector), request.nodeNames, client.name);
  return { ref, image, warnings, nodes };
}

/** --dry-run: the client calls a run would make, node by node, having created nothing. */
export async function planVerify(request: VerifyRequest, deps: Pick<VerifyDeps, 'client' | 'nodeRunner'>): Promise<{ calls: PlannedCall[]; skipped: string[] }> {
  const { image, nodes } = await prepare(request, deps.client);
  const ready = nodes.filter((n) => n.ready).map((n) => n.name);
  return { calls: deps.nodeRunner.plan(ready, nodeCommand(image, request.keepImage)), skipped: nodes.filter((n) => !n.ready).map((n) => n.name) };
}

export async function verify(request: VerifyRequest, deps: VerifyDeps): Promise<VerifyResult> {
  const { client, nodeRunner } = deps;
  const { ref, image, warnings, nodes } = await prepare(request, client);
  warnings.push(...nodeRunner.notices);
  const policies = await readClusterPolicies(client.runner);
  warnings.push(...mirrorWarnings(policies.rules, ref));
  const expectation = expectationFor(policies.rules, ref);

  const results = new Map<string, NodeResult>();
  for (const node of nodes.filter((n) => !n.ready)) results.set(node.name, resultWithoutRun(node.name, 'skipped', `node is not Ready: ${node.notReadyReason}`));
  const ready = nodes.filter((n) => n.ready);
  const byName = new Map(ready.map((n) => [n.name, n]));
  const checks = new Map<string, ReturnType<typeof startNodeCheck>>();
  let done = 0;
  deps.onNodeDone?.(0, ready.length);
  const outcome = await nodeRunner.run({
    nodes: ready.map((n) => n.name),
    command: nodeCommand(image, request.keepImage),
    parallel: request.parallel,
    timeoutMs: request.timeoutMs,
    signal: deps.signal,
    onStatus: deps.onStatus,
    start(node) {
      const check = startNodeCheck(node, {
        image,
        clientName: client.name,
        timeoutMs: request.timeoutMs,
        expectation: { ...expectation, rolloutPending: pendingRollout(byName.get(node)!) },
        log: openLog(deps.logSink, node, warnings),
        warn: (text) => warnings.push(text),
      });
      checks.set(node, check);
      return check;
    },
    async end(node, end) {
      results.set(node, await checks.get(node)!.finish(end));
      deps.onNodeDone?.(++done, ready.length);
    },
  });

  const result: VerifyResult = {
    image,
    policies: policyRows(policies.rules, ref),
    warnings,
    nodes: [],
    summary: { mirrored: 0, 'mirror-failed': 0, 'not-mirrored': 0, error: 0, skipped: 0 },
    namespace: outcome.namespace,
    namespaceDeleted: outcome.cleanedUp,
    interrupted: deps.signal.aborted,
  };
  for (const node of nodes) {
    const nodeResult = results.get(node.name);
    if (!nodeResult) continue;
    result.nodes.push(nodeResult);
    result.summary[nodeResult.verdict] += 1;
  }
  if (outcome.namespace && !outcome.cleanedUp) {
    warnings.push(`could not delete namespace ${outcome.namespace}: run \`${client.name} delete namespace ${outcome.namespace}\``);
  }
  return result;
}

// A log file that cannot be opened costs that node its log, never its check.
function openLog(factory: LogSinkFactory | undefined, node: string, warnings: string[]) {
  if (!factory) return undefined;
  try {
    return factory(node);
  } catch (error) {
    warnings.push(`${node}: no --log-dir file: ${(error as Error).message}`);
    return undefined;
  }
}

function pendingRollout(node: ClusterNode): string | null {
  if (!node.currentConfig || !node.desiredConfig || node.currentConfig === node.desiredConfig) return null;
  return `${node.currentConfig} -> ${node.desiredConfig}`;
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
