// A tiny image built in the test: an OCI layout with one gzipped layer, pushed with skopeo.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

// A one-file tar archive (ustar), enough for a layer.
function tarOneFile(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  const write = (text: string, offset: number, length: number) => header.write(text, offset, length, 'ascii');
  write(name, 0, 100);
  write('0000644\0', 100, 8);
  write('0000000\0', 108, 8);
  write('0000000\0', 116, 8);
  write(content.length.toString(8).padStart(11, '0') + '\0', 124, 12);
  write('00000000000\0', 136, 12);
  write('        ', 148, 8);
  write('0', 156, 1);
  write('ustar\0', 257, 6);
  write('00', 263, 2);
  let sum = 0;
  for (const byte of header) sum += byte;
  write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  const padded = Buffer.alloc(Math.ceil(content.length / 512) * 512);
  content.copy(padded);
  return Buffer.concat([header, padded, Buffer.alloc(1024)]);
}

/** A tar archive of several files (ustar), each as tarOneFile makes it. */
function tarFiles(files: Record<string, string>): Buffer {
  const parts = Object.entries(files).map(([name, content]) => tarOneFile(name, Buffer.from(content)).subarray(0, -1024));
  return Buffer.concat([...parts, Buffer.alloc(1024)]);
}

/**
 * Writes an OCI image layout at dir with tag `tag`; returns the manifest digest. Its one layer
 * holds hello.txt with `message`, or `files` (a release payload's release-manifests/, say).
 */
export function buildOciLayout(dir: string, tag: string, message: string, files?: Record<string, string>): string {
  const blobs = join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const putBlob = (data: Buffer) => {
    const digest = sha256(data);
    writeFileSync(join(blobs, digest), data);
    return { digest: `sha256:${digest}`, size: data.length };
  };
  const tar = files ? tarFiles(files) : tarOneFile('hello.txt', Buffer.from(`${message}\n`));
  const layer = putBlob(gzipSync(tar));
  const config = putBlob(
    Buffer.from(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        config: { Cmd: ['/bin/true'] },
        rootfs: { type: 'layers', diff_ids: [`sha256:${sha256(tar)}`] },
      }),
    ),
  );
  const manifest = putBlob(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
      }),
    ),
  );
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'org.opencontainers.image.ref.name': tag } }],
    }),
  );
  return manifest.digest;
}

/** Pushes the layout to registry/repo:tag and returns the digest the registry serves. */
export function pushImage(layoutDir: string, tag: string, registry: { port: number; host: string }, repo: string, { creds }: { creds?: string } = {}): string {
  const digestFile = join(layoutDir, `pushed-${registry.port}.digest`);
  const args = ['copy', '--quiet', '--digestfile', digestFile];
  if (creds) args.push('--dest-creds', creds);
  // The push is set-up, not the thing under test: the nodes' TLS trust is.
  args.push('--dest-tls-verify=false');
  args.push(`oci:${layoutDir}:${tag}`, `docker://${registry.host}/${repo}:${tag}`);
  execFileSync('skopeo', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  return readFileSync(digestFile, 'utf8').trim();
}
