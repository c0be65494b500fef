// Each node fact on its own: the lines its part of the script writes, read back, and its result
// for one image; the registry that puts them together.
import { describe, expect, it } from 'vitest';
import type { FactReader, ImageContext } from '../../src/node-check/fact.js';
import { credentials } from '../../src/node-check/facts/credentials.js';
import { crioConfig } from '../../src/node-check/facts/crio-config.js';
import { disk } from '../../src/node-check/facts/disk.js';
import { ALL_FACTS, FACTS } from '../../src/node-check/facts/index.js';
import { podman } from '../../src/node-check/facts/podman.js';
import { proxy } from '../../src/node-check/facts/proxy.js';
import { compareNodeConfig, registriesConf } from '../../src/node-check/facts/registries-conf.js';
import { NODE_SCRIPT_SOURCE } from '../../src/node-check/node-script.js';
import { loadRegistriesConf } from '../../src/registries/registries-conf.js';
import { parseReference } from '../../src/registries/reference.js';

const IMAGE = `registry.example.com/team/app@sha256:${'a'.repeat(64)}`;
const context = (over: Partial<ImageContext> = {}): ImageContext => ({
  node: 'w0',
  image: IMAGE,
  ref: parseReference(IMAGE),
  expected: null,
  severalImages: false,
  verdict: { verdict: 'mirrored', pulledFrom: null, attempts: [], reason: { code: 'served-by-mirror', failedFirst: [] } },
  ...over,
});

/** Feeds a reader marks ([word, ...args]) and section lines ([section, text]). */
function read<Raw>(reader: FactReader<Raw>, marks: string[][] = [], lines: [string, string][] = []): Raw {
  for (const [word = '', ...args] of marks) reader.mark(word, args);
  for (const [section, text] of lines) reader.line(section, text);
  return reader.result();
}

describe('the registry', () => {
  it('keys are the JSON fields, each once; every part of the script is in the script, in stage order', () => {
    expect(FACTS.map((f) => f.key)).toEqual(['config', 'proxy', 'credentials', 'crioConfig', 'lowDisk', 'probeConfig', 'signatures', 'podman', 'fingerprint']);
    let at = -1;
    for (const stage of ['prelude', 'epilogue']) {
      for (const f of ALL_FACTS.filter((x) => x.stage === stage)) {
        const found = NODE_SCRIPT_SOURCE.indexOf(f.script);
        expect(found).toBeGreaterThan(at);
        at = found;
      }
    }
  });
  it('no two facts claim a mark or a section', () => {
    const claimed = ALL_FACTS.flatMap((f) => [...f.marks, ...f.sections]);
    expect(new Set(claimed).size).toBe(claimed.length);
  });
});

describe('podman', () => {
  it('the first version line only', () => {
    expect(podman.result(read(podman.reader(), [], [['node', 'podman podman version 4.9.4-rhel'], ['node', 'podman version 5.0.0']]), context())).toBe('4.9.4-rhel');
    expect(read(podman.reader(), [], [['node', 'podman: command not found']])).toBeNull();
  });
});

describe('proxy', () => {
  it('no proxy.env: null; its variables, and which mirrors the node reaches through it', () => {
    expect(proxy.result(read(proxy.reader()), context())).toBeNull();
    const env = read(proxy.reader(), [['proxy', 'HTTPS_PROXY', 'http://proxy:3128'], ['proxy', 'NO_PROXY', '.svc,', 'direct.example'], ['proxy']]);
    expect(env).toEqual({ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: '.svc, direct.example' });
    const attempts = [
      { reference: 'far.example/team/app', mirror: true, ok: false, reason: 'timeout' as const, message: null },
      { reference: 'direct.example/team/app', mirror: true, ok: true, reason: null, message: null },
      { reference: 'registry.example.com/team/app', mirror: false, ok: false, reason: 'dns' as const, message: null },
    ];
    const result = proxy.result({ ...env, NO_PROXY: 'direct.example' }, context({ verdict: { verdict: 'mirrored', pulledFrom: null, attempts, reason: { code: 'served-by-mirror', failedFirst: [] } } }));
    expect(result).toEqual({ used: true, httpsProxy: 'http://proxy:3128', noProxy: 'direct.example', mirrorsThroughProxy: ['far.example'] });
    expect(proxy.result({ HTTP_PROXY: 'http://p:1' }, context())).toMatchObject({ used: true, httpsProxy: 'http://p:1', noProxy: null });
    expect(proxy.result({ NO_PROXY: '.svc' }, context())).toMatchObject({ used: false, httpsProxy: null });
  });
});

describe('credentials', () => {
  it('yes and no per repository; a line with no repository is none', () => {
    expect(read(credentials.reader(), [['credentials', 'm.example/a', 'yes'], ['credentials', 'm.example', 'no'], ['credentials']])).toEqual({ 'm.example/a': true, 'm.example': false });
  });
});

describe('disk', () => {
  it('free space, and low only once the pulls said so; low with nothing measured is nothing', () => {
    expect(read(disk.reader(), [['low-disk']])).toBeNull();
    const seen = read(disk.reader(), [['disk', '100', '1000']]);
    expect(seen).toEqual({ availableKb: 100, totalKb: 1000, low: false });
    expect(disk.result(seen, context())).toBeNull();
    const low = read(disk.reader(), [['disk', '100', '1000'], ['low-disk']]);
    expect(disk.result(low, context())).toEqual({ availableKb: 100, totalKb: 1000 });
    expect(disk.warnings!({ availableKb: 100, totalKb: 1000 }, context())).toEqual([{ code: 'low-disk', node: 'w0', availableKb: 100, totalKb: 1000 }]);
    expect(disk.warnings!(null, context())).toEqual([]);
  });
});

describe('crioConfig', () => {
  const journal = 'Nov 30 06:36:47.132000 w0 crio[1484]: time="2026-11-30 06:36:47.132000000Z" level=info msg="Starting CRI-O, version: 1.30.14"';
  it('stale when the files changed after CRI-O last loaded them; unknown without either time', () => {
    const raw = read(crioConfig.reader(), [['config-mtime', '1796027807'], ['crio-events-end']], [['crio-events', journal]]);
    expect(raw).toEqual({ configMtime: 1796027807, loadedAt: '2026-11-30 06:36:47.132000000Z' });
    const result = crioConfig.result(raw, context());
    expect(result).toEqual({ loadedAt: '2026-11-30T06:36:47.132Z', fileChangedAt: new Date(1796027807000).toISOString(), stale: true });
    expect(crioConfig.warnings!(result, context())).toEqual([{ code: 'crio-config-stale', node: 'w0', loadedAt: result!.loadedAt, fileChangedAt: result!.fileChangedAt }]);
    expect(crioConfig.result({ ...raw, configMtime: 1700000000 }, context())).toMatchObject({ stale: false });
    expect(crioConfig.warnings!({ ...result!, stale: false }, context())).toEqual([]);
    expect(crioConfig.result({ configMtime: null, loadedAt: raw.loadedAt }, context())).toBeNull();
    expect(crioConfig.result({ configMtime: 1, loadedAt: null }, context())).toBeNull();
    expect(crioConfig.result({ configMtime: 1, loadedAt: 'not a time' }, context())).toBeNull();
    expect(read(crioConfig.reader(), [['config-mtime']])).toEqual({ configMtime: null, loadedAt: null });
  });
});

describe('registries.conf', () => {
  const conf = (location: string) => `[[registry]]\nprefix = ""\nlocation = "registry.example.com/team"\n[[registry.mirror]]\nlocation = "${location}"\npull-from-mirror = "digest-only"\n`;
  const expected = loadRegistriesConf({ path: 'rendered', text: conf('mirror.example/team') });

  it('each file by its path, line by line', () => {
    const reader = registriesConf.reader();
    reader.open!('file', ['/etc/containers/registries.conf']);
    reader.line('file', 'a = 1');
    reader.open!('file', ['/etc/containers/registries.conf.d/my', 'file.conf']);
    reader.line('file', 'b = 2');
    expect(reader.result()).toEqual([
      { path: '/etc/containers/registries.conf', text: 'a = 1\n' },
      { path: '/etc/containers/registries.conf.d/my file.conf', text: 'b = 2\n' },
    ]);
  });

  it('matches when the node resolves the image as the policies do; tells the verdict; a mirrored node whose file differs is a warning', () => {
    const node = (text: string) => [{ path: '/etc/containers/registries.conf', text }];
    const same = registriesConf.result(node(conf('mirror.example/team')), context({ expected }));
    expect(same).toMatchObject({ matchesCluster: true, problem: null });
    // And the node's own sources, in order: what a pull stopped at one of them leaves untried.
    expect(registriesConf.expectation!(node(conf('mirror.example/team')), context({ expected }))).toEqual({
      configMatches: true,
      nodeSources: [IMAGE.replace('registry.example.com', 'mirror.example'), IMAGE],
    });
    const other = registriesConf.result(node(conf('elsewhere.example/team')), context({ expected }));
    expect(other).toMatchObject({ matchesCluster: false });
    expect(registriesConf.warnings!(other, context({ expected }))).toEqual([{ code: 'config-differs', node: 'w0', image: null }]);
    expect(registriesConf.warnings!(other, context({ expected, severalImages: true }))).toEqual([{ code: 'config-differs', node: 'w0', image: IMAGE }]);
    const failed = context({ verdict: { ...context().verdict, verdict: 'mirror-failed' } });
    expect(registriesConf.warnings!(other, failed)).toEqual([]);
    expect(registriesConf.warnings!(same, context())).toEqual([]);
  });

  it('unknown without files or without the cluster\'s expectation; a file that does not parse is a problem', () => {
    expect(registriesConf.result([], context({ expected }))).toBeNull();
    expect(registriesConf.expectation!([], context({ expected }))).toEqual({ configMatches: null, nodeSources: null });
    expect(registriesConf.expectation!([{ path: '/etc/containers/registries.conf', text: '[[registry' }], context({ expected }))).toMatchObject({ nodeSources: null });
    expect(compareNodeConfig([{ path: '/etc/containers/registries.conf', text: conf('m.example/team') }], null, parseReference(IMAGE))).toBeNull();
    const broken = compareNodeConfig([{ path: '/etc/containers/registries.conf', text: '[[registry' }], expected, parseReference(IMAGE));
    expect(broken).toMatchObject({ matchesCluster: false, sources: [] });
    expect(broken!.problem).toBeTruthy();
  });
});
