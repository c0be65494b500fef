// `oc icsp verify`: one debug pod per node, in parallel, each pulling the image with the
// node's own configuration and pull secret; returns the model the report prints.
import { UserError } from '../errors.js';
import { whoAmI } from '../oc/client.js';
import { type ClusterNode, listNodes } from '../oc/cluster.js';
import { createRunNamespace, deleteNamespace } from '../oc/debug.js';
import { DEFAULT_NODE_DEBUG_IMAGE } from '../oc/node-pod.js';
import type { OcRunner } from '../oc/runner.js';
import type { Verdict } from '../pull-log/verdict.js';
import { parseReference, pullString, wasNormalized } from '../registries/reference.js';
import { readClusterPolicies } from './cluster-policies.js';
import { checkNode, type LogSinkFactory, type NodeResult } from './check-node.js';
import { expectationFor, mirrorWarnings, type PolicyRow, policyRows } from './policy-summary.js';

export interface VerifyRequest {
  image: string;
  selector: string | undefined;
  nodeNames: string[] | undefined;
  parallel: number;
  timeoutMs: number;
  timeoutText: string;
  debugImage: string | undefined;
  keepImage: boolean;
}

export interface VerifyDeps {
  oc: OcRunner;
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

export async function verify(request: VerifyRequest, deps: VerifyDeps): Promise<VerifyResult> {
  const ref = parseReference(request.image);
  const image = pullString(ref);
  const warnings: string[] = [];
  if (wasNormalized(request.image, ref)) warnings.push(`${request.image} is pulled as ${image}`);

  const { oc } = deps;
  await whoAmI(oc);
  if (oc.kind === 'kubectl' && !request.debugImage) {
    warnings.push(`kubectl has no default node-debug image: using ${DEFAULT_NODE_DEBUG_IMAGE}; pass --image where it is not mirrored`);
  }
  const nodes = selectNodes(await listNodes(oc, request.selector), request.nodeNames);
  const policies = await readClusterPolicies(oc);
  const rows = policyRows(policies.rules, ref);
  warnings.push(...mirrorWarnings(policies.rules, ref));
  const expectation = expectationFor(policies.rules, ref);

  const result: VerifyResult = {
    image,
    policies: rows,
    warnings,
    nodes: [],
    summary: { mirrored: 0, 'mirror-failed': 0, 'not-mirrored': 0, error: 0, skipped: 0 },
    namespace: null,
    namespaceDeleted: false,
    interrupted: false,
  };
  const ready = nodes.filter((n) => n.ready);
  const results = new Map<string, NodeResult>();
  for (const node of nodes.filter((n) => !n.ready)) results.set(node.name, skipped(node));

  if (ready.length > 0 && !deps.signal.aborted) {
    deps.onStatus?.('creating a namespace for the debug pods');
    result.namespace = await createRunNamespace(oc);
    try {
      let done = 0;
      deps.onNodeDone?.(0, ready.length);
      await forEachLimited(ready, request.parallel, deps.signal, async (node) => {
        const nodeResult = await checkNodeSafely({ oc, signal: deps.signal, logSink: deps.logSink }, {
          node: node.name,
          image,
          namespace: result.namespace!,
          debugImage: request.debugImage,
          keepImage: request.keepImage,
          timeoutMs: request.timeoutMs,
          timeoutText: request.timeoutText,
          expectation: { ...expectation, rolloutPending: pendingRollout(node) },
        });
        results.set(node.name, nodeResult);
        deps.onNodeDone?.(++done, ready.length);
      });
    } finally {
      deps.onStatus?.(`deleting namespace ${result.namespace}`);
      result.namespaceDeleted = await deleteNamespace(oc, result.namespace);
    }
  }
  result.interrupted = deps.signal.aborted;
  for (const node of nodes) {
    const nodeResult = results.get(node.name);
    if (!nodeResult) continue;
    result.nodes.push(nodeResult);
    result.summary[nodeResult.verdict] += 1;
  }
  if (result.namespace && !result.namespaceDeleted) {
    result.warnings.push(`could not delete namespace ${result.namespace}: run \`oc delete namespace ${result.namespace}\``);
  }
  return result;
}

// One node's failure to even start its check (a log file that cannot be opened, say) is that
// node's error, never a reason to abandon the others mid-flight.
async function checkNodeSafely(...args: Parameters<typeof checkNode>): Promise<NodeResult> {
  try {
    return await checkNode(...args);
  } catch (error) {
    return resultWithoutRun(args[1].node, 'error', `the check could not run: ${(error as Error).message}`);
  }
}

function pendingRollout(node: ClusterNode): string | null {
  if (!node.currentConfig || !node.desiredConfig || node.currentConfig === node.desiredConfig) return null;
  return `${node.currentConfig} -> ${node.desiredConfig}`;
}

function selectNodes(nodes: ClusterNode[], names: string[] | undefined): ClusterNode[] {
  if (!names) {
    if (nodes.length === 0) throw new UserError('no nodes match: check -l/--selector');
    return nodes;
  }
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const missing = names.filter((n) => !byName.has(n));
  if (missing.length) throw new UserError(`no such node${missing.length > 1 ? 's' : ''}: ${missing.join(', ')} (see \`oc get nodes\`)`);
  return names.map((n) => byName.get(n)!);
}

function skipped(node: ClusterNode): NodeResult {
  return resultWithoutRun(node.name, 'skipped', `node is not Ready: ${node.notReadyReason}`);
}

function resultWithoutRun(name: string, verdict: Verdict, detail: string): NodeResult {
  return {
    name,
    verdict,
    pulledFrom: null,
    attempts: [],
    detail,
    durationMs: 0,
    podman: null,
    imageWasPresent: null,
    imageRemoved: false,
  };
}

async function forEachLimited<T>(items: T[], limit: number, signal: AbortSignal, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal.aborted) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
