// What only the built binary has: standard input, and the version baked in at build time.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(process.cwd(), 'dist/oc-icsp');
// One ImageTagMirrorSet with two entries, given on standard input.
const POLICIES = JSON.stringify({
  apiVersion: 'config.openshift.io/v1',
  kind: 'ImageTagMirrorSet',
  metadata: { name: 'tags' },
  spec: { imageTagMirrors: [{ source: 'registry.example.com/team', mirrors: ['mirror.corp.example:5000/team'] }, { source: 'registry.example.com/ops', mirrors: ['mirror.corp.example:5000/ops'] }] },
});

describe('list', () => {
  it('-f - reads standard input', async () => {
    const r = spawnSync(process.execPath, [BIN, 'list', '-f', '-', '-o', 'json'], { encoding: 'utf8', env: { PATH: '/nonexistent' }, input: POLICIES });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).policies.map((p: { source: string }) => p.source)).toEqual(['registry.example.com/team', 'registry.example.com/ops']);
  });
});

describe('version', () => {
  it('the plugin, the Node.js it runs on, the platform; as a document with -o json', async () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const binary = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { PATH: '/nonexistent' } });
    const text = binary(['version']);
    expect(text.status).toBe(0);
    expect(text.stdout).toBe(`oc-icsp ${pkg.version}\nNode.js ${process.version}\nplatform ${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}\n`);
    expect(JSON.parse(binary(['version', '-o', 'json']).stdout)).toEqual({
      apiVersion: 'oc-icsp/v1', kind: 'Version', version: pkg.version, node: process.version, platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
    });
  });
});
