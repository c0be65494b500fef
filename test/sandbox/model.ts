// The sandbox's types, declared once: what a node plays, what the cluster plays (its settings),
// the faults a test switches on while it runs, and the running sandbox. The launcher and the
// tests make a sandbox with them (sandbox.ts); the API server reads them back from the sandbox's
// folder (api/cluster-state.ts), where they travel as files because it is another process.
import type { Registry } from './registries.js';

/** How a node's kubelet and its pods behave; a test may change it while the sandbox runs. */
export type NodeBehaviour =
  /** Runs pods as a kubelet does. */
  | 'normal'
  /** Its Ready condition is Unknown: verify skips it. */
  | 'not-ready'
  /** Its pods' containers cannot start (ImagePullBackOff). */
  | 'pod-fails'
  /** Its pods never run: the kubelet never answers. */
  | 'hang'
  /** Its pods take 3 s to stop, and a log request to it waits 3 s. */
  | 'slow-stop'
  /** Admission refuses pods for it (the DaemonSet controller's FailedCreate). */
  | 'refused'
  /** Deleted from the cluster: the DaemonSet controller makes no pod for it. */
  | 'deleted';

/** A node of the sandbox, with real files: its registries.conf, pull secret, proxy, journal. */
export interface NodeSpec {
  name: string;
  /** One of nodeConfigs' names (sandbox.ts): which registries.conf it has. */
  config?: string;
  behaviour?: NodeBehaviour;
  /** The pull secret holds the auth mirror's credentials (default true). */
  credentials?: boolean;
  role?: string;
  /** Its MachineConfig update is still pending. */
  rollout?: boolean;
  /** An /etc/mco/proxy.env, as the MCO writes for a cluster proxy: one that works, or one nothing listens on. */
  proxy?: 'working' | 'dead';
  /** Images pulled through the node's CRI-O when the sandbox starts (its journal keeps them). */
  workloads?: ('mirrored' | 'fallback' | 'tag' | 'failed' | 'replicas')[];
  /** low: 64 MiB free where pulls write. */
  disk?: 'low';
  /**
   * Its /etc/containers/policy.json and registries.d: what the MCO renders for the cluster's
   * ClusterImagePolicies (default), or the template of before them, as on a node whose rollout
   * of them has not happened (lags).
   */
  signaturePolicy?: 'rendered' | 'lags';
  /** Lines of a busy CRI-O in the node's journal, before its workload pulls. */
  journalNoise?: number;
  /**
   * Where the node stands on the network: isolated, its pods run in a network namespace of their
   * own with nothing in it, so no registry answers them (its files are those of any other node).
   */
  network?: 'isolated';
  /** Its /etc/containers/certs.d trusts the TLS registry's certificate (containers/image pkg/tlsclientconfig). */
  trustsTls?: boolean;
}

/** What the cluster plays (settings.json). */
export interface Settings {
  /** OpenShift release the API plays (which APIs it serves, which Kubernetes version it reports). */
  openshift: string;
  /** The cluster's feature set: TechPreviewNoUpgrade serves what is gated off by default (ClusterImagePolicy on 4.19). */
  featureSet?: 'Default' | 'TechPreviewNoUpgrade';
  /** How long a pod takes from creation to running. */
  podLatencyMs: number;
  /**
   * The benches: pods replay a recorded node log instead of running anything (api/light-node.ts);
   * with survey and read, what their command asks: a survey with one of `groups` fingerprints, or
   * `image`'s part of a read log said of each image asked, one every `msPerImage`.
   */
  light?: { log: string; survey?: { log: string; groups: number }; read?: { log: string; image: string; msPerImage: number } };
  /** How long the kubelet lets journalctl run (30 s on a real kubelet), and how fast it reads. */
  journalDeadlineMs: number;
  journalLinesPerSecond?: number;
  /** How long one pod create of the DaemonSet controller takes (an API round trip; 0: at once). */
  podCreateLatencyMs?: number;
  /** How long OpenShift's cluster-policy-controller takes to give a new namespace its SCC ranges (0: at once). */
  sccAnnotationDelayMs?: number;
  /** How long the 4.14+ kubelet's `journalctl --field _SYSTEMD_UNIT` check takes, each (it runs one per service, within the deadline). */
  journalFieldCheckMs?: number;
}

export const DEFAULT_SETTINGS: Settings = { openshift: '4.18', podLatencyMs: 300, journalDeadlineMs: 30_000 };

/**
 * Faults a test switches on while the sandbox runs:
 * - logged-out: every request is answered 401, as for an expired token;
 * - namespace-collisions: the next `count` namespaces made by generateName collide (409);
 * - delete-node-after-list: `node` is deleted just after the next list of nodes;
 * - journal-check-fails: on `node` the 4.14+ kubelet's check that crio logs to the journal
 *   fails (until cleared), so it answers without reading the journal.
 */
export type Fault =
  | { kind: 'logged-out' }
  | { kind: 'namespace-collisions'; count: number }
  | { kind: 'delete-node-after-list'; node: string }
  | { kind: 'journal-check-fails'; node: string };
export type FaultKind = Fault['kind'];

export interface SandboxOptions {
  settings?: Partial<Settings>;
  /**
   * Many images: `count` repositories cat-0 ... under the sandbox's source, each on the open, auth
   * and TLS mirrors but where `missing` leaves it off one (by index).
   */
  catalog?: { count: number; missing?: Partial<Record<'open' | 'auth' | 'tls', number[]>> };
  /** More objects the cluster starts with. */
  objects?: Record<string, unknown>[];
}

/** A running sandbox. */
export interface Sandbox {
  dir: string;
  image: string;
  /** The payload-like image that the default `openshift` ClusterImagePolicy covers (4.21 and later). */
  releaseImage: string;
  tagImage: string;
  digest: string;
  fallbackImage: string;
  /** SandboxOptions.catalog's images, by digest under the sandbox's source. */
  catalog: string[];
  /**
   * The cluster's release payload (ClusterVersion status.desired.image, under the release source,
   * which a workstation cannot reach) and the same on the TLS mirror, which the workstation
   * trusts; its image-references name the sandbox's image and the catalog.
   */
  payload: { image: string; mirrored: string; components: string[]; version: string };
  registries: Record<'open' | 'auth' | 'tls', Registry> & { quay: Pick<Registry, 'name' | 'host' | 'port'> };
  proxy: Service;
  services: Service[];
  api: { pid: number; port: number; kubeconfig: string };
}

/** One of services.ts, running. */
export interface Service {
  name: string;
  port: number;
  host: string;
  pid: number;
}

/** What the API server's ledger records: each object event and request, one JSON line each. */
export interface LedgerEvent {
  event?: string;
  pod?: string;
  namespace?: string;
  daemonset?: string;
  [field: string]: unknown;
}
