// `oc icsp status`: the MachineConfig rollout that carries mirror policies to the nodes. For each
// pool, its machine counts and conditions, and whether its rendered MachineConfig's
// registries.conf resolves the policies' sources as the policies say; for each node, where
// its rollout stands.
import type { Client } from '../oc/client.js';
import { listNodes } from '../oc/cluster.js';
import { gunzipSync } from 'node:zlib';
import { type FileContents, listMachineConfigPools, machineConfigFiles, type MachineConfigPool } from '../oc/machine-config.js';
import type { MirrorRule } from '../registries/policies.js';
import { parseReference } from '../registries/reference.js';
import { loadRegistriesConf, type RegistriesConf } from '../registries/registries-conf.js';
import { readClusterPolicies } from './cluster-policies.js';
import { type SignaturePolicyRow, signaturePolicyRows } from './policies.js';
import type { CredentialProvider } from '../registries/credential-provider.js';
import { clusterConf, MAIN_REGISTRIES_CONF, sourcesOf } from './node-config.js';
import { isUpToDate, poolOf } from './rollout.js';
import { type Outcome, outcomeOf } from './outcome.js';

export interface PoolStatus {
  name: string;
  machineCount: number;
  updatedMachineCount: number;
  readyMachineCount: number;
  degradedMachineCount: number;
  unavailableMachineCount: number;
  updating: boolean;
  degraded: boolean;
  message: string | null;
  currentConfig: string | null;
  desiredConfig: string | null;
  /** The desired rendered MachineConfig's registries.conf; null when it cannot be read. */
  registries: { present: boolean; matchesPolicies: boolean | null } | null;
}

export interface NodeStatus {
  name: string;
  pool: string | null;
  currentConfig: string | null;
  desiredConfig: string | null;
  state: string | null;
  upToDate: boolean;
}

export interface StatusResult {
  pools: PoolStatus[];
  nodes: NodeStatus[];
  /** The ClusterImagePolicies and ImagePolicies the pools render into policy.json. */
  signaturePolicies: SignaturePolicyRow[];
  /** CRIOCredentialProviderConfig/cluster, where the cluster has one. */
  credentialProvider: CredentialProvider | null;
}

export async function status(client: Client, selector: string | undefined): Promise<StatusResult> {
  await client.whoAmI();
  const [nodes, pools, policies] = await Promise.all([listNodes(client.runner, selector), listMachineConfigPools(client.runner), readClusterPolicies(client.runner)]);
  const expected = clusterConf(policies);
  const poolStatuses = await Promise.all(pools.map(async (p) => poolStatus(p, await registriesOf(client, p), expected, policies.rules)));
  return {
    pools: poolStatuses,
    signaturePolicies: signaturePolicyRows(policies),
    credentialProvider: policies.credentialProvider,
    nodes: nodes.map((n) => ({
      name: n.name,
      pool: poolOf(n, pools)?.name ?? null,
      currentConfig: n.currentConfig,
      desiredConfig: n.desiredConfig,
      state: n.mcoState,
      upToDate: isUpToDate(n),
    })),
  };
}

/** The registries.conf a pool's desired rendered MachineConfig holds (text null: it has none), or null when it cannot be read. */
export async function registriesOf(client: Client, pool: MachineConfigPool): Promise<{ text: string | null } | null> {
  if (!pool.desiredConfig) return null;
  const files = await machineConfigFiles(client.runner, pool.desiredConfig);
  if (!files) return null;
  const contents = files[MAIN_REGISTRIES_CONF];
  return { text: contents === undefined ? null : await decodeContents(contents) };
}

/**
 * Ignition file contents: a data: URL (fetch() reads it, no network involved), gzip-compressed
 * when `compression: gzip` says so (Ignition spec 3.1+; the MCO reads both,
 * machine-config-operator pkg/controller/common/helpers.go DecodeIgnitionFileContents).
 */
export async function decodeContents(contents: FileContents): Promise<string | null> {
  try {
    const bytes = Buffer.from(await (await fetch(contents.source)).arrayBuffer());
    if (contents.compression === 'gzip') return gunzipSync(bytes).toString('utf8');
    return contents.compression ? null : bytes.toString('utf8');
  } catch {
    return null;
  }
}

function poolStatus(p: MachineConfigPool, registries: { text: string | null } | null, expected: RegistriesConf | null, rules: MirrorRule[]): PoolStatus {
  return {
    name: p.name,
    machineCount: p.machineCount,
    updatedMachineCount: p.updatedMachineCount,
    readyMachineCount: p.readyMachineCount,
    degradedMachineCount: p.degradedMachineCount,
    unavailableMachineCount: p.unavailableMachineCount,
    updating: p.updating?.status ?? false,
    degraded: p.degraded?.status ?? false,
    message: (p.degraded?.status ? p.degraded.message : p.updating?.status ? p.updating.message : null) ?? null,
    currentConfig: p.currentConfig,
    desiredConfig: p.desiredConfig,
    registries: registries === null ? null : { present: registries.text !== null, matchesPolicies: registries.text === null ? false : sameMirrorBehaviour(registries.text, expected, rules) },
  };
}

/**
 * Do two registries.conf resolve every policy source alike? Probed with a digest and a tag
 * reference under each source, by the sources a pull would try.
 */
export function sameMirrorBehaviour(text: string, expected: RegistriesConf | null, rules: MirrorRule[]): boolean | null {
  if (expected === null) return null;
  let conf: RegistriesConf;
  try {
    conf = loadRegistriesConf({ path: 'rendered MachineConfig', text });
  } catch {
    return false;
  }
  for (const rule of rules) {
    const repository = rule.source.startsWith('*.') ? `probe${rule.source.slice(1)}/probe` : `${rule.source}/probe`;
    for (const suffix of [`@sha256:${'0'.repeat(64)}`, ':probe']) {
      const ref = parseReference(`${repository}${suffix}`);
      try {
        if (JSON.stringify(sourcesOf(conf, ref)) !== JSON.stringify(sourcesOf(expected, ref))) return false;
      } catch {
        return false;
      }
    }
  }
  return true;
}

/** The nodes not yet on their desired MachineConfig: the finding of `status`. */
export function nodesBehind(result: StatusResult): NodeStatus[] {
  return result.nodes.filter((n) => !n.upToDate);
}

export function statusOutcome(result: StatusResult): Outcome {
  return outcomeOf(nodesBehind(result).length > 0);
}
