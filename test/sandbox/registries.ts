// Real docker-registry (distribution) instances on 127.0.0.1: open (plain HTTP),
// htpasswd basic auth (plain HTTP), and TLS with a self-signed certificate.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import http from 'node:http';
import https from 'node:https';

export const REGISTRY_USER = 'mirror-reader';
export const REGISTRY_PASSWORD = 'sandbox-secret';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as import('node:net').AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function configYaml({ port, dataDir, auth, tls }: { port: number; dataDir: string; auth?: string; tls?: { cert: string; key: string } }): string {
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${dataDir}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    ...(tls ? ['  tls:', `    certificate: ${tls.cert}`, `    key: ${tls.key}`] : []),
    ...(auth ? ['auth:', '  htpasswd:', '    realm: sandbox', `    path: ${auth}`] : []),
    '',
  ].join('\n');
}

/** Starts one registry; resolves once it answers on /v2/. */
/** A running registry of the sandbox. */
export interface Registry {
  name: string;
  port: number;
  host: string;
  pid: number;
  auth: boolean;
  tls: boolean;
  cert?: string;
}

export async function startRegistry(stateDir: string, name: string, { auth = false, tls = false } = {}): Promise<Registry> {
  const dir = join(stateDir, 'registries', name);
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  let htpasswd: string | undefined;
  if (auth) {
    htpasswd = join(dir, 'htpasswd');
    execFileSync('htpasswd', ['-Bbc', htpasswd, REGISTRY_USER, REGISTRY_PASSWORD], { stdio: 'ignore' });
  }
  let certs: { cert: string; key: string } | undefined;
  if (tls) {
    certs = { cert: join(dir, 'tls.crt'), key: join(dir, 'tls.key') };
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
        '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', certs.key, '-out', certs.cert],
      { stdio: 'ignore' },
    );
  }
  // The port is free when picked, not when the registry binds it: another sandbox's process
  // (suites run side by side) may take it between. Then the registry exits, and it is started
  // again on another port.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const config = join(dir, 'config.yml');
    writeFileSync(config, configYaml({ port, dataDir, auth: htpasswd, tls: certs }));
    const log = openSync(join(dir, 'registry.log'), 'a');
    const child = spawn('docker-registry', ['serve', config], { detached: true, stdio: ['ignore', log, log] });
    child.unref();
    let exited = false;
    child.on('exit', () => (exited = true));
    writeFileSync(join(dir, 'pid'), String(child.pid));
    try {
      await waitForRegistry(port, tls, () => exited);
      return { name, port, host: `127.0.0.1:${port}`, pid: child.pid!, auth, tls, cert: certs?.cert };
    } catch (error) {
      if (!exited || attempt >= 3) throw error;
    }
  }
}

/** Until a registry answers on /v2/ as docker-registry does (its API version header), not any server. */
async function waitForRegistry(port: number, tls: boolean, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`docker-registry on 127.0.0.1:${port} exited; see its registry.log`);
    const ok = await new Promise<boolean>((resolve) => {
      const get = tls ? https.get : http.get;
      const req = get({ host: '127.0.0.1', port, path: '/v2/', rejectUnauthorized: false, timeout: 1000 }, (res) => {
        res.resume();
        resolve((res.statusCode === 200 || res.statusCode === 401) && res.headers['docker-distribution-api-version'] === 'registry/2.0');
      });
      req.on('error', () => resolve(false));
      req.on('timeout', () => {
        req.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`docker-registry on 127.0.0.1:${port} did not come up; see its registry.log`);
}

export function stopRegistry(registry: { pid: number }): void {
  try {
    process.kill(registry.pid, 'SIGTERM');
  } catch {
    // already stopped
  }
}
