// `oc icsp report` (the built binary): a document saved with -o json or -o yaml, from a file or
// stdin, drawn as the same page; the document is one the report room prints for a run made of
// real nodes' answers (test/report/real-results.ts).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderVerify } from '../../src/report/verify-report.js';
import { twoImagesRun } from '../report/real-results.js';
import { scratch } from './in-process.js';

const BIN = join(process.cwd(), 'dist/oc-icsp');
const files = scratch('oc-icsp-report-');

describe('report', () => {
  it('draws the same page from -o json, -o yaml and stdin; exit 0, nothing on stderr', async () => {
    const result = await twoImagesRun();
    const json = files.write('run.json', await renderVerify(result, 'json'));
    const yaml = files.write('run.yaml', await renderVerify(result, 'yaml'));
    const fromJson = spawnSync(BIN, ['report', json], { encoding: 'utf8' });
    const fromYaml = spawnSync(BIN, ['report', yaml], { encoding: 'utf8' });
    const fromStdin = spawnSync(BIN, ['report', '-'], { encoding: 'utf8', input: await renderVerify(result, 'json') });
    expect([fromJson.status, fromJson.stderr]).toEqual([0, '']);
    expect(fromJson.stdout).toMatch(/^<!doctype html>\n/);
    expect(fromJson.stdout).toContain('<h1 id="summary">2 images x 4 nodes: 0 served by a mirror on every node</h1>');
    expect(fromYaml.stdout).toBe(fromJson.stdout);
    expect(fromStdin.stdout).toBe(fromJson.stdout);
  });
});
