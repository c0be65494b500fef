// MachineConfigPools, node rollout state and rendered MachineConfigs: the MCO's side of a node
// whose registries.conf lags. One function per question, each one `get` with an argv array.
import { clientError, clientJson, isUnservedType as unserved } from './client-talk.js';
import type { OcRunner, RunResult } from './runner.js';

export interface PoolCondition {
  status: boolean;
  message: string | null;
}

/** A label selector as the API gives it (k8s.io/apimachinery pkg/apis/meta/v1 LabelSelector). */
export interface LabelSelector {
  matchLabels: Record<string, string>;
  matchExpressions: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values: string[] }[];
}

export interface MachineConfigPool {
  name: string;
  nodeSelector: LabelSelector;
  /** The rendered MachineConfig the pool rolls out (spec) and the one all its machines run (status). */
  desiredConfig: string | null;
  currentConfig: string | null;
  machineCount: number;
  updatedMachineCount: number;
  readyMachineCount: number;
  degradedMachineCount: number;
  unavailableMachineCount: number;
  updating: PoolCondition | null;
  degraded: PoolCondition | null;
  paused: boolean;
}

export const MCP_RESOURCE = 'machineconfigpools.machineconfiguration.openshift.io';
export const MC_RESOURCE = 'machineconfigs.machineconfiguration.openshift.io';

/** The pools; a cluster without the MCO (not OpenShift) has none. */
export async function listMachineConfigPools(oc: OcRunner): Promise<MachineConfigPool[]> {
  const result = await oc.run(['get', MCP_RESOURCE, '-o', 'json']);
  if (result.exitCode !== 0) {
    if (unserved(result)) return [];
    throw clientError(oc, 'list MachineConfigPools', result);
  }
  return (json(result, 'MachineConfigPools').items ?? []).map(toPool);
}

/** An Ignition file's contents: a data: URL, gzip-compressed where `compression` says so. */
export interface FileContents {
  source: string;
  compression: string | null;
}

/** The files of a rendered MachineConfig, by path (the contents still as data: URLs); null when it cannot be read. */
export async function machineConfigFiles(oc: OcRunner, name: string): Promise<Record<string, FileContents> | null> {
  const result = await oc.run(['get', MC_RESOURCE, name, '-o', 'json']);
  if (result.exitCode !== 0) return null;
  const mc = json(result, `MachineConfig ${name}`) as { spec?: { config?: { storage?: { files?: { path?: string; contents?: { source?: string; compression?: string } }[] } } } };
  const files: Record<string, FileContents> = {};
  for (const f of mc.spec?.config?.storage?.files ?? []) {
    if (f.path && f.contents?.source !== undefined) files[f.path] = { source: f.contents.source, compression: f.contents.compression || null };
  }
  return files;
}

function json(result: RunResult, what: string): { items?: Record<string, unknown>[] } & Record<string, unknown> {
  return clientJson(result.stdout, `read ${what}`) as { items?: Record<string, unknown>[] } & Record<string, unknown>;
}

function toPool(item: Record<string, unknown>): MachineConfigPool {
  const metadata = (item.metadata ?? {}) as { name?: string };
  const spec = (item.spec ?? {}) as { nodeSelector?: Partial<LabelSelector>; configuration?: { name?: string }; paused?: boolean };
  const status = (item.status ?? {}) as Record<string, unknown> & {
    configuration?: { name?: string };
    conditions?: { type: string; status: string; message?: string }[];
  };
  const condition = (type: string): PoolCondition | null => {
    const c = status.conditions?.find((x) => x.type === type);
    return c ? { status: c.status === 'True', message: c.message || null } : null;
  };
  const count = (key: string) => (typeof status[key] === 'number' ? (status[key] as number) : 0);
  return {
    name: metadata.name ?? '',
    nodeSelector: { matchLabels: spec.nodeSelector?.matchLabels ?? {}, matchExpressions: (spec.nodeSelector?.matchExpressions ?? []).map((e) => ({ ...e, values: e.values ?? [] })) },
    desiredConfig: spec.configuration?.name ?? null,
    currentConfig: status.configuration?.name ?? null,
    machineCount: count('machineCount'),
    updatedMachineCount: count('updatedMachineCount'),
    readyMachineCount: count('readyMachineCount'),
    degradedMachineCount: count('degradedMachineCount'),
    unavailableMachineCount: count('unavailableMachineCount'),
    updating: condition('Updating'),
    degraded: condition('Degraded'),
    paused: spec.paused === true,
  };
}
