// `npm run package`, checked the way krew and its users meet it: the manifest against every
// rule of validate-krew-manifest; the single binary run with no Node anywhere on PATH; the Node
// archive through its launcher and a symlink; an install the way krew does it, then the real
// kubectl finding the plugin and its completion helper.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module: the release script itself
import { packageRelease, SEA_ARCHES } from '../../scripts/package.mjs';
// @ts-expect-error plain JavaScript module: the release script's Node fetcher
import { cannotRun, runnable, SEA_NODE_VERSION, seaNode } from '../../scripts/sea-node.mjs';
import { krewInstall, type Plugin, validateManifest } from './krew-manifest.js';

const work = mkdtempSync(join(tmpdir(), 'oc-icsp-release-'));
const release = join(work, 'release');
// Each single binary this machine can build and run (arm64 under qemu-user on amd64), and why not the others.
const why = Object.fromEntries((SEA_ARCHES as string[]).map((arch) => [arch, process.platform === 'linux' ? (cannotRun(arch) as string | null) : 'not Linux']));
// The embedded Node comes from the npm registry at packaging time: without it, say so and skip.
for (const arch of SEA_ARCHES as string[]) {
  if (why[arch]) continue;
  try {
    seaNode(arch);
  } catch (error) {
    why[arch] = `the pinned Node.js could not be fetched: ${(error as Error).message}`;
  }
}
const arches = (SEA_ARCHES as string[]).filter((arch) => !why[arch]);
const goArch = (arch: string) => (arch === 'x64' ? 'amd64' : arch);
const canSea = arches.includes('x64');
const skipped = canSea ? '' : ` (skipped: ${why.x64})`;
const haveKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
const DIGEST = `sha256:${'e'.repeat(64)}`;
let manifest: Plugin;

beforeAll(async () => {
  await packageRelease({ release, work: join(work, 'stage'), arches });
  manifest = parse(readFileSync(join(release, 'icsp.yaml'), 'utf8')) as Plugin;
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function unpack(archive: string): string {
  const dir = mkdtempSync(join(work, 'unpack-'));
  execFileSync('tar', ['-xzf', join(release, archive), '-C', dir]);
  return dir;
}

const version = JSON.parse(readFileSync('package.json', 'utf8')).version as string;
const seaArchiveOf = (arch: string) => `oc-icsp_${version}_linux_${goArch(arch)}.tar.gz`;
const seaArchive = seaArchiveOf('x64');
const nodeArchive = `oc-icsp_${version}_node.tar.gz`;

describe('release files', () => {
  it('an archive and a .sha256 for each, and the manifest', () => {
    expect(readdirSync(release).sort()).toEqual([
      'icsp.yaml',
      ...arches.flatMap((arch) => [seaArchiveOf(arch), `${seaArchiveOf(arch)}.sha256`]),
      nodeArchive,
      `${nodeArchive}.sha256`,
    ].sort());
    for (const a of [nodeArchive, ...arches.map(seaArchiveOf)]) {
      const [hex, name] = readFileSync(join(release, `${a}.sha256`), 'utf8').trim().split(/\s+/);
      expect(name).toBe(a);
      expect(manifest.spec!.platforms!.find((p) => p.uri!.endsWith(`/${a}`))!.sha256).toBe(hex);
    }
  });

  it('the manifest passes every validate-krew-manifest rule, with no warning', () => {
    expect(validateManifest(join(release, 'icsp.yaml'), manifest)).toEqual({ errors: [], warnings: [] });
    expect(manifest.spec!.version).toBe(`v${version}`);
    expect(manifest.spec!.shortDescription!.length).toBeLessThanOrEqual(70);
    for (const p of manifest.spec!.platforms!) {
      expect(p.uri).toMatch(/^https:\/\/.*\.tar\.gz$/);
      expect(p.files!.map((f) => f.from)).toContain('LICENSE');
      expect(p.bin).toBe('kubectl-icsp');
    }
  });

  it('the validator is not a rubber stamp', () => {
    const broken = structuredClone(manifest);
    broken.spec!.platforms!.push({ ...broken.spec!.platforms![0]!, sha256: 'ABC' });
    broken.spec!.version = '0.1.0';
    const { errors } = validateManifest(join(release, 'icsp.yaml'), broken);
    expect(errors).toEqual(expect.arrayContaining([expect.stringMatching(/failed to parse plugin version/), expect.stringMatching(/sha256/), expect.stringMatching(/multiple spec.platforms/)]));
    expect(validateManifest(join(release, 'plugin.yaml'), manifest).errors).toEqual(['plugin should be named plugin, not icsp']);
  });
});

describe.skipIf(!canSea)(`the single binary, with no Node at all${skipped}`, () => {
  it('--help and an offline explain run with an empty PATH', () => {
    const dir = unpack(seaArchive);
    expect(readdirSync(dir).sort()).toEqual(['LICENSE', 'kubectl-icsp', 'kubectl_complete-icsp', 'oc_complete-icsp']);
    const help = spawnSync(join(dir, 'kubectl-icsp'), ['--help'], { encoding: 'utf8', env: { PATH: '' } });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^kubectl icsp <command> \[options\]/);
    const conf = join(work, 'node.conf');
    execFileSync('sh', ['-c', `printf '%s\\n' '[[registry]]' 'location = "registry.example.com/team"' '[[registry.mirror]]' 'location = "mirror.example:5000/team"' > "${conf}"`]);
    const explain = spawnSync(join(dir, 'kubectl-icsp'), ['explain', `registry.example.com/team/app@${DIGEST}`, '--registries-conf', conf, '-o', 'json'], { encoding: 'utf8', env: { PATH: '' } });
    expect(explain.status).toBe(0);
    expect(JSON.parse(explain.stdout).sources.map((s: { reference: string }) => s.reference)).toEqual([
      `mirror.example:5000/team/app@${DIGEST}`,
      `registry.example.com/team/app@${DIGEST}`,
    ]);
  });
});

describe.each((SEA_ARCHES as string[]).map((arch) => ({ arch, platform: `linux/${goArch(arch)}` })))('the $platform single binary', ({ arch, platform }) => {
  it.skipIf(!!why[arch])(`embeds the pinned Node.js LTS and says so in version -o json${why[arch] ? ` (skipped: ${why[arch]})` : ''}`, () => {
    const dir = unpack(seaArchiveOf(arch));
    const binary = join(dir, 'kubectl-icsp');
    expect(execFileSync('file', ['-b', binary], { encoding: 'utf8' })).toMatch(arch === 'x64' ? /x86-64/ : /ARM aarch64/);
    const [command, ...prefix] = runnable(arch, binary) as string[];
    const run = spawnSync(command!, [...prefix, 'version', '-o', 'json'], { encoding: 'utf8', env: { PATH: '' } });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ apiVersion: 'oc-icsp/v1', kind: 'Version', version, node: `v${SEA_NODE_VERSION}`, platform });
    expect(Number(SEA_NODE_VERSION.split('.')[0]) % 2).toBe(0); // an LTS line
  });

  it.skipIf(!!why[arch])('is in the manifest for its platform only', () => {
    const entries = manifest.spec!.platforms!.filter((p) => p.uri!.endsWith(`/${seaArchiveOf(arch)}`));
    expect(entries.map((p) => p.selector)).toEqual([{ matchLabels: { os: 'linux', arch: goArch(arch) } }]);
  });
});

describe.skipIf(!canSea)(`the unit tests on the Node.js the binaries embed${skipped}`, () => {
  it(`pass on Node.js ${SEA_NODE_VERSION} as on this one`, () => {
    const node = seaNode('x64') as string;
    const run = spawnSync(node, ['node_modules/vitest/vitest.mjs', 'run', '--config', 'vitest.unit.config.ts', '--reporter=dot'], { encoding: 'utf8', env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'FORCE_COLOR')), NO_COLOR: '1' }, maxBuffer: 1 << 26 });
    expect(run.stdout + run.stderr).toMatch(/Tests\s+\d+ passed/);
    expect(run.status, run.stdout.slice(-3000)).toBe(0);
  }, 240_000);
});

describe('the Node archive', () => {
  it('runs through its launcher, also through a symlink from elsewhere', () => {
    const dir = unpack(nodeArchive);
    expect(readdirSync(dir).sort()).toEqual(['LICENSE', 'kubectl-icsp', 'kubectl_complete-icsp', 'oc-icsp', 'oc-icsp.cjs', 'oc-icsp.cjs.cache', 'oc_complete-icsp']);
    const links = mkdtempSync(join(work, 'links-'));
    symlinkSync(join(dir, 'kubectl-icsp'), join(links, 'kubectl-icsp'));
    const env = { PATH: `${dirname(process.execPath)}:/usr/bin:/bin` };
    const run = spawnSync(join(links, 'kubectl-icsp'), ['--help'], { encoding: 'utf8', env });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^kubectl icsp <command>/);
    const completion = spawnSync(join(dir, 'oc_complete-icsp'), ['ver'], { encoding: 'utf8', env });
    expect(completion.stdout).toBe('verify\nversion\n:4\n');
  });

  it('says what it needs when there is no node on PATH', () => {
    const dir = unpack(nodeArchive);
    // A PATH with the tools the launcher uses, and no node.
    const tools = mkdtempSync(join(work, 'tools-'));
    for (const tool of ['readlink', 'dirname', 'basename']) {
      symlinkSync(execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), join(tools, tool));
    }
    const run = spawnSync(join(dir, 'kubectl-icsp'), ['--help'], { encoding: 'utf8', env: { PATH: tools } });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('error: kubectl-icsp needs Node.js 20.19 or later on PATH: install it, or use the linux/amd64 or linux/arm64 single binary\n');
  });
});

describe.skipIf(!haveKubectl || !canSea)(`installed the way krew installs it, found by the real kubectl${skipped}${haveKubectl ? '' : ' (skipped: no kubectl)'}`, () => {
  it('kubectl plugin list lists it with no warning; kubectl icsp --help works; completion through kubectl', () => {
    const root = mkdtempSync(join(work, 'krew-'));
    const { installDir, link } = krewInstall(manifest, 'linux', 'amd64', release, root);
    // The completion helpers are linked by hand, as the caveats say.
    for (const helper of ['kubectl_complete-icsp', 'oc_complete-icsp']) symlinkSync(join(installDir, helper), join(root, 'bin', helper));
    const kubectlDir = dirname(execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim());
    const env = { PATH: `${join(root, 'bin')}:${kubectlDir}:/usr/bin:/bin`, HOME: root };
    const list = spawnSync('kubectl', ['plugin', 'list'], { encoding: 'utf8', env });
    expect(list.status).toBe(0);
    expect(list.stdout).toContain(link);
    expect(list.stderr).not.toMatch(/warning/i);
    const help = spawnSync('kubectl', ['icsp', '--help'], { encoding: 'utf8', env });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^kubectl icsp <command> \[options\]/);
    const verbs = spawnSync('kubectl', ['__complete', 'icsp', 'ver'], { encoding: 'utf8', env });
    expect(verbs.stdout).toBe('verify\nversion\n:4\n');
    const formats = spawnSync('kubectl', ['__complete', 'icsp', 'verify', '-o', ''], { encoding: 'utf8', env });
    expect(formats.stdout).toBe('table\nwide\njson\nyaml\n:4\n');
  });
});
