// krew's manifest rules, as `validate-krew-manifest` applies them (kubernetes-sigs/krew
// internal/index/validation/validate.go, cmd/validate-krew-manifest/main.go), and the parts of
// `kubectl krew install` a test can do offline: sha256, unpack, `files`, `bin`, license.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { accessSync, constants, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { basename, extname, join } from 'node:path';

export interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}
export interface Platform {
  selector?: Selector;
  uri?: string;
  sha256?: string;
  files?: { from?: string; to?: string }[];
  bin?: string;
}
export interface Plugin {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
  spec?: { version?: string; shortDescription?: string; description?: string; caveats?: string; homepage?: string; platforms?: Platform[] };
}

const WINDOWS_FORBIDDEN = ['CON', 'PRN', 'AUX', 'NUL', ...Array.from({ length: 9 }, (_, i) => `COM${i + 1}`), ...Array.from({ length: 9 }, (_, i) => `LPT${i + 1}`)];
// The platforms krew-index CI knows (validate-krew-manifest's allPlatforms, current list).
export const ALL_PLATFORMS: [string, string][] = [
  ['windows', '386'], ['windows', 'amd64'], ['windows', 'arm64'],
  ['linux', '386'], ['linux', 'amd64'], ['linux', 'arm'], ['linux', 'arm64'], ['linux', 'ppc64le'],
  ['darwin', '386'], ['darwin', 'amd64'], ['darwin', 'arm64'],
];
// k8s.io/apimachinery/pkg/util/version ParseSemantic, after krew strips the required "v".
const SEMVER = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

export function matches(selector: Selector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    const ok =
      e.operator === 'In' ? has && (e.values ?? []).includes(labels[e.key]!)
      : e.operator === 'NotIn' ? !has || !(e.values ?? []).includes(labels[e.key]!)
      : e.operator === 'Exists' ? has
      : e.operator === 'DoesNotExist' ? !has
      : false;
    if (!ok) return false;
  }
  return true;
}

function validatePlatform(p: Platform): string | null {
  if (!p.uri) return '`uri` has to be set';
  if (!p.sha256) return '`sha256` sum has to be set';
  if (!/^[a-f0-9]{64}$/.test(p.sha256)) return `\`sha256\` value ${p.sha256} is not valid`;
  if (!p.bin) return '`bin` has to be set';
  if (p.files !== undefined) {
    if (p.files.length === 0) return '`files` has to be unspecified or non-empty';
    for (const op of p.files) if (!op.from || !op.to) return '`from` and `to` have to be set';
  }
  const sel = p.selector;
  if (!sel) return 'nil selector is not supported';
  if (sel.matchLabels === undefined && (sel.matchExpressions ?? []).length === 0) return 'empty selector is not supported';
  for (const key of [...Object.keys(sel.matchLabels ?? {}), ...(sel.matchExpressions ?? []).map((e) => e.key)]) {
    if (key !== 'os' && key !== 'arch') return `key ${JSON.stringify(key)} not supported`;
  }
  if (sel.matchLabels !== undefined && Object.keys(sel.matchLabels).length === 0) return '`matchLabels` specified but empty';
  if (sel.matchExpressions !== undefined && sel.matchExpressions.length === 0) return '`matchExpressions` specified but empty';
  return null;
}

/** Every error validate-krew-manifest would stop at, and the line-length warnings it prints. */
export function validateManifest(path: string, p: Plugin): { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  if (extname(path) !== '.yaml') errors.push(`expected manifest extension ".yaml" but found ${JSON.stringify(extname(path))}`);
  const name = basename(path, '.yaml');
  if (p.apiVersion !== 'krew.googlecontainertools.github.com/v1alpha2') errors.push(`apiVersion=${p.apiVersion} not supported`);
  if (p.kind !== 'Plugin') errors.push(`kind=${p.kind}, only "Plugin" is supported`);
  if (!/^[\w-]+$/.test(name) || WINDOWS_FORBIDDEN.some((f) => f.toLowerCase() === name.toLowerCase())) errors.push(`plugin name ${name} is not allowed`);
  if (p.metadata?.name !== name) errors.push(`plugin should be named ${name}, not ${p.metadata?.name}`);
  const spec = p.spec ?? {};
  if (!spec.shortDescription) errors.push('should have a short description');
  else if (/[\r\n]/.test(spec.shortDescription)) errors.push('should not have line breaks in short description');
  const platforms = spec.platforms ?? [];
  if (platforms.length === 0) errors.push('should have a platform specified');
  if (!spec.version) errors.push('should have a version specified');
  else if (!SEMVER.test(spec.version)) errors.push(`failed to parse plugin version ${spec.version}`);
  platforms.forEach((pl, i) => {
    const problem = validatePlatform(pl);
    if (problem) errors.push(`platform[${i}] is badly constructed: ${problem}`);
  });
  const long = (text: string | undefined, max: number) => (text ?? '').split('\n').some((l) => l.length > max && l.trim().includes(' '));
  if (long(spec.description, 80)) warnings.push('line length in `description` exceeds 80 characters');
  if (long(spec.shortDescription, 70)) warnings.push('line length in `shortDescription` exceeds 70 characters');
  if (long(spec.caveats, 80)) warnings.push('line length in `caveats` exceeds 80 characters');
  platforms.forEach((pl, i) => {
    if (pl.selector && !ALL_PLATFORMS.some(([os, arch]) => matches(pl.selector!, { os, arch }))) errors.push(`spec.platform[${i}]'s selector matches no supported platform`);
  });
  for (const [os, arch] of ALL_PLATFORMS) {
    const hits = platforms.flatMap((pl, i) => (pl.selector && matches(pl.selector, { os, arch }) ? [i] : []));
    if (hits.length > 1) errors.push(`multiple spec.platforms (at indexes ${hits}) select os=${os}/arch=${arch}`);
  }
  return { errors, warnings };
}

const LICENSE_NAMES = /^(license|license\.txt|license\.md|licenses.*|copying|copying\.txt)$/i;

/**
 * krew install for one os/arch, offline: the archive is found by the uri's file name in
 * `archives`; returns the directory the plugin was installed in and the bin link made for it.
 */
export function krewInstall(p: Plugin, os: string, arch: string, archives: string, root: string): { installDir: string; link: string } {
  const platform = (p.spec?.platforms ?? []).find((pl) => pl.selector && matches(pl.selector, { os, arch }));
  if (!platform) throw new Error(`no platform for ${os}/${arch}`);
  const file = join(archives, basename(new URL(platform.uri!).pathname));
  const digest = createHash('sha256').update(readFileSync(file)).digest('hex');
  if (digest !== platform.sha256) throw new Error(`sha256 mismatch: ${digest} != ${platform.sha256}`);
  const extracted = mkdtempSync(join(root, 'download-'));
  execFileSync('tar', ['-xzf', file, '-C', extracted]);
  const installDir = join(root, 'store', p.metadata!.name!, p.spec!.version!);
  mkdirSync(installDir, { recursive: true });
  const ops = platform.files ?? readdirSync(extracted).map((from) => ({ from, to: '.' }));
  for (const op of ops) {
    // krew reads `from` as a glob; our manifest names each file, and so does this test.
    if (/[*?[]/.test(op.from!)) throw new Error(`files: ${op.from}: this test installs named files only`);
    if (!existsSync(join(extracted, op.from!))) throw new Error(`files: ${op.from} is not in the archive`);
    cpSync(join(extracted, op.from!), join(installDir, op.to!, basename(op.from!)), { recursive: true, verbatimSymlinks: true });
  }
  const bin = join(installDir, platform.bin!);
  accessSync(bin, constants.X_OK);
  if (!readdirSync(installDir).some((f) => LICENSE_NAMES.test(f))) throw new Error('no license file after install');
  // krew links the bin as kubectl-<name, with - as _> (pluginNameToBin).
  mkdirSync(join(root, 'bin'), { recursive: true });
  const link = join(root, 'bin', `kubectl-${p.metadata!.name!.replaceAll('-', '_')}`);
  if (!existsSync(link)) symlinkSync(bin, link);
  return { installDir, link };
}
