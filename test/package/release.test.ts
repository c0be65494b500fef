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
import { packageRelease } from '../../scripts/package.mjs';
import { krewInstall, type Plugin, validateManifest } from './krew-manifest.js';

const work = mkdtempSync(join(tmpdir(), 'oc-icsp-release-'));
const release = join(work, 'release');
const canSea = process.platform === 'linux' && process.arch === 'x64';
const haveKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
const DIGEST = `sha256:${'e'.repeat(64)}`;
let manifest: Plugin;

beforeAll(async () => {
  await packageRelease({ release, work: join(work, 'stage') });
  manifest = parse(readFileSync(join(release, 'icsp.yaml'), 'utf8')) as Plugin;
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function unpack(archive: string): string {
  const dir = mkdtempSync(join(work, 'unpack-'));
  execFileSync('tar', ['-xzf', join(release, archive), '-C', dir]);
  return dir;
}

const version = JSON.parse(readFileSync('package.json', 'utf8')).version as string;
const seaArchive = `oc-icsp_${version}_linux_amd64.tar.gz`;
const nodeArchive = `oc-icsp_${version}_node.tar.gz`;

describe('release files', () => {
  it('an archive and a .sha256 for each, and the manifest', () => {
    expect(readdirSync(release).sort()).toEqual([
      'icsp.yaml',
      ...(canSea ? [seaArchive, `${seaArchive}.sha256`] : []),
      nodeArchive,
      `${nodeArchive}.sha256`,
    ].sort());
    for (const a of [nodeArchive, ...(canSea ? [seaArchive] : [])]) {
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

describe.skipIf(!canSea)('the single binary, with no Node at all', () => {
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
    expect(run.stderr).toBe('error: kubectl-icsp needs Node.js 20.19 or later on PATH: install it, or use the linux/amd64 single binary\n');
  });
});

describe.skipIf(!haveKubectl || !canSea)('installed the way krew installs it, found by the real kubectl', () => {
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
