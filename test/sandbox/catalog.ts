// Many images on the sandbox's registries, fast: each is the sandbox's image under a repository
// of its own, made by the distribution API itself (a cross-repository blob mount, then the
// manifest put; distribution's docs/spec/api.md "Cross Repository Blob Mount", "Put Manifest"),
// not one skopeo copy each. What is left off a registry is an image missing from that mirror.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';
import type { Registry } from './registries.js';
import { REGISTRY_PASSWORD, REGISTRY_USER } from './registries.js';

interface Answer {
  status: number;
  body: Buffer;
}

function call(registry: Registry, method: string, path: string, headers: Record<string, string> = {}, body?: Buffer): Promise<Answer> {
  const auth = registry.auth ? { authorization: `Basic ${Buffer.from(`${REGISTRY_USER}:${REGISTRY_PASSWORD}`).toString('base64')}` } : {};
  const options = { host: '127.0.0.1', port: registry.port, method, path, headers: { ...auth, ...headers }, ...(registry.tls ? { ca: readFileSync(registry.cert!) } : {}) };
  return new Promise((resolve, reject) => {
    const req = (registry.tls ? httpsRequest : httpRequest)(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

/** Copies `from` (a repository holding `digest`) to each repository in `to`, by mounts: no blob moves. */
export async function copyByMount(registry: Registry, from: string, digest: string, to: string[]): Promise<void> {
  const manifest = await call(registry, 'GET', `/v2/${from}/manifests/${digest}`, { accept: MANIFEST });
  if (manifest.status !== 200) throw new Error(`${registry.name}: GET ${from}@${digest}: ${manifest.status}`);
  const parsed = JSON.parse(manifest.body.toString('utf8')) as { config: { digest: string }; layers: { digest: string }[] };
  const blobs = [parsed.config.digest, ...parsed.layers.map((l) => l.digest)];
  for (const repo of to) {
    for (const blob of blobs) {
      const mounted = await call(registry, 'POST', `/v2/${repo}/blobs/uploads/?mount=${blob}&from=${from}`);
      if (mounted.status !== 201) throw new Error(`${registry.name}: mount ${blob} into ${repo}: ${mounted.status}`);
    }
    const put = await call(registry, 'PUT', `/v2/${repo}/manifests/${digest}`, { 'content-type': MANIFEST }, manifest.body);
    if (put.status !== 201) throw new Error(`${registry.name}: PUT ${repo}@${digest}: ${put.status} ${put.body.toString('utf8')}`);
  }
}
