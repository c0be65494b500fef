// Every command's options as data, declared once: the yargs builders read them, and so does
// shell completion, which must answer without loading yargs.
import type { Options } from 'yargs';
import { SCALE_THRESHOLD } from '../pull-log/engines.js';

export const OUTPUT_FORMATS = ['table', 'wide', 'json', 'yaml'] as const;
export type OutputChoice = (typeof OUTPUT_FORMATS)[number];

// kubectl and oc pass the flags typed after the plugin's name through unparsed: these are the
// client's own and are handed on to every call; -n has no meaning here.
export const CLIENT_OPTIONS = {
  client: { type: 'string', describe: 'oc or kubectl binary, by name or path (default: the one you typed, from PATH, else the other)' },
  kubeconfig: { type: 'string', describe: 'passed to every client call' },
  context: { type: 'string', describe: 'passed to every client call' },
  'request-timeout': { type: 'string', describe: 'passed to every client call (e.g. 30s; 0 waits forever)' },
  namespace: { alias: 'n', type: 'string', hidden: true },
} as const satisfies Record<string, Options>;

export const OUTPUT_OPTION = {
  output: { alias: 'o', choices: OUTPUT_FORMATS, default: 'table' as OutputChoice, describe: 'output format' },
} as const satisfies Record<string, Options>;

const FILES_HELP = 'policy manifests (YAML, multi-document, JSON or kind: List; - for stdin); default: read them from the cluster';

export const FILES_OPTION = {
  filename: { alias: 'f', type: 'string', array: true, default: [] as string[], describe: FILES_HELP },
} as const satisfies Record<string, Options>;

/** A change before it is applied (app/proposal.ts): what it applies and what it deletes. */
export const PROPOSAL_OPTIONS = {
  proposed: { type: 'string', array: true, default: [] as string[], describe: 'manifests a change applies (- for stdin), merged into the policies as kubectl apply would' },
  without: { type: 'string', array: true, default: [] as string[], describe: 'an object the change deletes, as TYPE/NAME (icsp/x, idms/x, itms/x, clusterimagepolicy/x)' },
} as const satisfies Record<string, Options>;

export const COMPARE_OPTION = {
  compare: { type: 'boolean', default: false, describe: "with a change: each node reads the images with its own files too, in the same pod; today's verdict beside the proposal's, regressions first" },
} as const satisfies Record<string, Options>;

/** The run on one self-contained HTML page too (verify, audit). */
export const REPORT_OPTION = {
  report: { type: 'string', describe: 'also write the run as one self-contained HTML page to FILE (stdout and the exit code are unchanged)' },
} as const satisfies Record<string, Options>;

export const VERIFY_OPTIONS = {
  selector: { alias: 'l', type: 'string', describe: 'only nodes matching this label selector' },
  nodes: { type: 'string', describe: 'only these nodes (comma-separated names)' },
  parallel: { type: 'number', default: 10, describe: 'node pods at once' },
  timeout: { type: 'string', default: '5m', describe: 'per-node limit: 90s, 5m, or plain seconds' },
  image: { type: 'string', describe: 'node pod image (oc debug --image); set it where the default support-tools image is not mirrored' },
  'keep-image': { type: 'boolean', default: false, describe: 'keep the pulled image on nodes that did not have it' },
  'log-dir': { type: 'string', describe: "save each node's raw log as DIR/<node>.log (mode 0600)" },
  'dry-run': { type: 'boolean', default: false, describe: 'print the client calls each node would get, create nothing, exit 0' },
  strategy: { choices: ['auto', 'debug', 'daemonset'] as const, default: 'auto' as const, describe: `how nodes are reached: a debug pod per node, or DaemonSets (auto: DaemonSets above ${SCALE_THRESHOLD} nodes)` },
  check: {
    choices: ['auto', 'pull', 'manifest'] as const,
    default: 'auto' as const,
    describe: `pull the image, or read only its manifest with skopeo (mirror choice only; blob failures after the manifest are not seen; nothing written to nodes; --engine podman only); auto: manifest above ${SCALE_THRESHOLD} nodes`,
  },
  engine: {
    choices: ['podman', 'crictl', 'both'] as const,
    default: 'podman' as const,
    describe: "who pulls on the node: podman (the node's files, now), crictl (CRI-O itself: what it loaded, its proxy, the global pull secret), or both, compared",
  },
  group: { type: 'boolean', describe: `one row per outcome, node names folded (default above ${SCALE_THRESHOLD} nodes; -o wide lists every node)` },
  'max-images': { type: 'number', default: 5, describe: 'without IMAGE: check at most this many of the images running pods use (one per mirrored source)' },
  release: {
    type: 'string',
    describe: "with oc: a release payload's images too, from oc adm release info (no value: the cluster's own release); under kubectl, --images-from with that command's --pullspecs output",
  },
  exhaustive: {
    type: 'boolean',
    default: false,
    describe: 'several images: read every image on every node (default: one node per fingerprint of the files a pull depends on reads them, and the others take its verdicts where their network answers alike)',
  },
  running: { type: 'boolean', default: false, describe: 'every distinct image running pods use; those no mirror serves are reported as not-covered, without a pod (they fail once the source is cut off)' },
  'images-from': {
    alias: 'f',
    type: 'string',
    describe: "check the images a file names (- for stdin): one reference a line (# comments), oc-mirror's dry-run mapping.txt, or oc adm release info --pullspecs",
  },
} as const satisfies Record<string, Options>;

export const EXPLAIN_OPTIONS = {
  'registries-conf': { type: 'string', describe: "a node's registries.conf instead of policies" },
  'registries-conf-d': { type: 'string', describe: 'its registries.conf.d directory of drop-ins' },
  'policy-json': { type: 'string', describe: "a node's /etc/containers/policy.json: which signatures pulls need (default: what the policies render)" },
  'registries-d': { type: 'string', describe: "a node's /etc/containers/registries.d: where signatures are read from" },
} as const satisfies Record<string, Options>;

export const RENDER_OPTIONS = {
  file: {
    choices: ['registries.conf', 'policy.json', 'sigstore-registries.yaml'] as const,
    default: 'registries.conf' as const,
    describe: 'which file: /etc/containers/registries.conf, /etc/containers/policy.json, or /etc/containers/registries.d/sigstore-registries.yaml',
  },
} as const satisfies Record<string, Options>;

export const ROOT_OPTIONS = {
  color: { type: 'boolean', default: true, describe: 'colour the output (also off with NO_COLOR)' },
} as const satisfies Record<string, Options>;

/** What completion offers for a flag's value: a fixed list, or what to look up. */
export type ValueSource = readonly string[] | 'nodes' | 'contexts' | 'files' | 'dirs' | 'none';

export const VALUE_SOURCES: Record<string, ValueSource> = {
  client: ['oc', 'kubectl'],
  kubeconfig: 'files',
  context: 'contexts',
  nodes: 'nodes',
  filename: 'files',
  'registries-conf': 'files',
  'registries-conf-d': 'dirs',
  'images-from': 'files',
  'policy-json': 'files',
  'registries-d': 'dirs',
  'log-dir': 'dirs',
  report: 'files',
};

export interface CommandSpec {
  describe: string;
  /** For --help: a command line (after the plugin's name) and what it does. */
  examples: readonly (readonly [string, string])[];
  /** Positional arguments, in order, for completion (none of them can be completed). */
  positionals: string[];
  options: Record<string, Options>;
}

export const COMMANDS = {
  verify: {
    describe: 'Pull IMAGE on every node through a debug pod and report which source served it',
    examples: [
      ['verify quay.io/org/app@DIGEST', 'check every node (by digest: ICSP and IDMS mirror digest pulls only)'],
      ['verify quay.io/org/app@DIGEST -l node-role.kubernetes.io/worker', 'workers only'],
      ['verify quay.io/org/app@DIGEST --image mirror:5000/support-tools', 'a disconnected cluster whose default tools image is not mirrored'],
      ['verify quay.io/org/app@DIGEST --dry-run', 'show the client calls each node would get, and create nothing'],
      ['verify', 'no IMAGE: check images the cluster already runs from mirrored repositories'],
      ['verify -f working-dir/dry-run/mapping.txt', 'every image an oc-mirror run mirrors'],
      ['verify --running', 'before an air gap: every running image; the uncovered listed'],
      ['verify quay.io/org/a@DIGEST quay.io/org/b@DIGEST', 'several images, on every node'],
    ],
    positionals: ['IMAGE'],
    options: { ...CLIENT_OPTIONS, ...OUTPUT_OPTION, ...VERIFY_OPTIONS, ...REPORT_OPTION },
  },
  explain: {
    describe: 'List the sources a pull of IMAGE tries, in order, as containers/image would',
    examples: [
      ['explain quay.io/org/app@DIGEST', "with the cluster's policies"],
      ['explain quay.io/org/app:1.2 -f mirrors.yaml', 'with policy manifests, offline'],
      ['explain quay.io/org/app@DIGEST --registries-conf registries.conf', "with a node's own registries.conf (and --registries-conf-d DIR)"],
    ],
    positionals: ['IMAGE'],
    options: { ...FILES_OPTION, ...CLIENT_OPTIONS, ...OUTPUT_OPTION, ...EXPLAIN_OPTIONS },
  },
  render: {
    describe: 'Print the registries.conf (or policy.json, sigstore-registries.yaml) the machine-config-operator writes for the policies',
    examples: [
      ['render', "what the MCO writes on the nodes for the cluster's policies"],
      ['render -f idms.yaml -f itms.yaml', 'for manifests, before applying them'],
      ['render --file policy.json', "the signature policy the cluster's ClusterImagePolicies give every node"],
      ['render --proposed idms.yaml --without icsp/old', 'the files after a change, and whether its rollout drains (stderr)'],
    ],
    positionals: [],
    options: { ...FILES_OPTION, ...CLIENT_OPTIONS, ...RENDER_OPTIONS, ...PROPOSAL_OPTIONS },
  },
  list: {
    describe: 'List every ICSP, IDMS and ITMS entry: source, mirrors, which pulls, source policy',
    examples: [
      ['list', "the cluster's mirror policies"],
      ['list -f mirrors.yaml -o json', 'manifests, as JSON'],
    ],
    positionals: [],
    options: { ...FILES_OPTION, ...CLIENT_OPTIONS, ...OUTPUT_OPTION },
  },
  migrate: {
    describe: 'Convert ImageContentSourcePolicy YAML to ImageDigestMirrorSet YAML, as oc adm migrate icsp does',
    examples: [['migrate -f icsp.yaml > idms.yaml', 'write the ImageDigestMirrorSets for an ICSP file']],
    positionals: [],
    options: { ...FILES_OPTION, filename: { ...FILES_OPTION.filename, describe: 'ImageContentSourcePolicy manifests to convert (required)' } },
  },
  audit: {
    describe: "Read what CRI-O itself did, from each node's journal: every pull, which source served it, silent fallbacks",
    examples: [
      ['audit', 'every pull of the last 24 hours, on every node'],
      ['audit quay.io/openshift-release-dev --since 2h', 'release images, the last two hours'],
    ],
    positionals: ['FILTER'],
    options: {
      ...CLIENT_OPTIONS,
      ...OUTPUT_OPTION,
      since: { type: 'string', default: '24h', describe: 'how far back: 24h, 90m, or a date (YYYY-MM-DD HH:MM:SS)' },
      selector: { alias: 'l', type: 'string', describe: 'only nodes matching this label selector' },
      nodes: { type: 'string', describe: 'only these nodes (comma-separated names)' },
      parallel: { type: 'number', default: 10, describe: 'journals read at once' },
      timeout: { type: 'string', default: '2m', describe: "per-node limit for reading its journal" },
      ...REPORT_OPTION,
    },
  },
  status: {
    describe: 'Show the MachineConfig rollout that carries mirror policies to the nodes: pools, nodes, rendered registries.conf',
    examples: [
      ['status', 'every pool and node'],
      ['status -l node-role.kubernetes.io/worker -o json', 'workers, as JSON'],
    ],
    positionals: [],
    options: { ...CLIENT_OPTIONS, ...OUTPUT_OPTION, selector: { alias: 'l', type: 'string', describe: 'only nodes matching this label selector' } },
  },
  cleanup: {
    describe: 'Remove the namespaces, DaemonSets and pods that killed runs left behind',
    examples: [
      ['cleanup', 'what earlier runs left, over an hour old'],
      ['cleanup --older-than 0 --dry-run', 'everything of every run, listed only'],
    ],
    positionals: [],
    options: {
      ...CLIENT_OPTIONS,
      ...OUTPUT_OPTION,
      'older-than': { type: 'string', default: '1h', describe: 'only leftovers at least this old (0: all, including a run in progress elsewhere)' },
      'dry-run': { type: 'boolean', default: false, describe: 'list them, remove nothing' },
    },
  },
  completion: {
    describe: 'Print a completion script for bash or zsh (oc and kubectl find the _complete-icsp helpers themselves)',
    examples: [
      ['completion bash > ~/.local/share/bash-completion/completions/oc-icsp', 'bash, for oc-icsp run directly'],
      ['completion zsh > "${fpath[1]}/_oc-icsp"', 'zsh'],
    ],
    positionals: ['SHELL'],
    options: {},
  },
  report: {
    describe: 'Draw a document saved with -o json or -o yaml (verify, audit) as one self-contained HTML page, on stdout',
    examples: [
      ['report verify.json > verify.html', 'the page of a run saved earlier, for example by a CI job'],
      ['report - < verify.json > page.html', 'from stdin'],
    ],
    positionals: ['DOCUMENT'],
    options: {},
  },
  version: {
    describe: "Print the plugin's version, the Node.js it runs on, and the platform (what a bug report needs)",
    examples: [['version -o json', 'as one document']],
    positionals: [],
    options: { ...OUTPUT_OPTION },
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;
