// Sigstore signing for the sandbox's mirrors: keys in cosign's encrypted format, and images
// pushed with a signature attachment by a real skopeo (scripts/install-signer.sh says which and why).
//
// The private key file is what cosign writes and containers/image reads
// (containers/image signature/sigstore/copied.go loadPrivateKey: a PEM block of type
// "ENCRYPTED COSIGN PRIVATE KEY" whose bytes are theupdateframework/go-tuf encrypted/encrypted.go's
// JSON: scrypt with N=32768, r=8, p=1 and a 32-byte salt makes the 32-byte key of a NaCl
// secretbox with a 24-byte nonce, sealing the PKCS #8 DER of the private key; go-tuf refuses
// other scrypt parameters). The public key is a PKIX PEM, what a ClusterImagePolicy's
// publicKey.keyData holds (sigstore/sigstore pkg/cryptoutils UnmarshalPEMToPublicKey).
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes, scryptSync } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { secretbox } from '@noble/ciphers/salsa.js';
import { projectRoot } from './project-root.js';

/** Where scripts/install-signer.sh unpacks the signer; outside /var/tmp, which the node script sweeps. */
export const SIGNER_DIR = '/var/cache/oc-icsp-sandbox/skopeo-trixie';
const INSTALL = join(projectRoot(), 'scripts', 'install-signer.sh');

export interface SigningKey {
  privateKey: string;
  passphraseFile: string;
  publicKeyPem: string;
}

export function makeSigningKey(dir: string, name: string): SigningKey {
  mkdirSync(dir, { recursive: true });
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const passphrase = randomBytes(12).toString('hex');
  const salt = randomBytes(32);
  const nonce = randomBytes(24);
  const boxKey = scryptSync(passphrase, salt, 32, { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  const sealed = secretbox(boxKey, nonce).seal(privateKey.export({ type: 'pkcs8', format: 'der' }));
  const encrypted = JSON.stringify({
    kdf: { name: 'scrypt', params: { N: 32768, r: 8, p: 1 }, salt: salt.toString('base64') },
    cipher: { name: 'nacl/secretbox', nonce: nonce.toString('base64') },
    ciphertext: Buffer.from(sealed).toString('base64'),
  });
  const body = Buffer.from(encrypted).toString('base64').match(/.{1,64}/g)!.join('\n');
  const key = { privateKey: join(dir, `${name}.key`), passphraseFile: join(dir, `${name}.pass`), publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string };
  writeFileSync(key.privateKey, `-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----\n${body}\n-----END ENCRYPTED COSIGN PRIVATE KEY-----\n`, { mode: 0o600 });
  writeFileSync(key.passphraseFile, passphrase, { mode: 0o600 });
  writeFileSync(join(dir, `${name}.pub`), key.publicKeyPem);
  return key;
}

/** argv of the signer's skopeo, installed first when missing (root only). */
export function signerSkopeo(): string[] {
  if (!existsSync(join(SIGNER_DIR, 'usr/bin/skopeo'))) {
    // Suites run side by side: one installs, the others wait for it (the script skips an install done).
    mkdirSync(join(SIGNER_DIR, '..'), { recursive: true });
    execFileSync('flock', [`${SIGNER_DIR}.lock`, 'sh', INSTALL, SIGNER_DIR], { stdio: ['ignore', 'ignore', 'pipe'] });
  }
  const libDir = readdirSync(join(SIGNER_DIR, 'usr/lib')).map((d) => join(SIGNER_DIR, 'usr/lib', d)).find((d) => readdirSync(d).some((f) => f.startsWith('ld-linux')));
  if (!libDir) throw new Error(`no loader in ${SIGNER_DIR}: remove it and run the sandbox again`);
  const loader = readdirSync(libDir).find((f) => f.startsWith('ld-linux'))!;
  return [join(libDir, loader), '--library-path', libDir, join(SIGNER_DIR, 'usr/bin/skopeo')];
}

/**
 * Pushes the layout to registry/repo:tag with a sigstore signature for `identity` (the source
 * reference a node's policy checks it against: the signature is read from the mirror, its
 * identity is the source's). registries.d tells skopeo to write the signature as an attachment.
 */
export function pushSigned(layoutDir: string, tag: string, registry: { host: string }, repo: string, key: SigningKey, identity: string): void {
  const work = join(layoutDir, `signer-${registry.host.replace(/[^0-9a-z]/gi, '-')}-${repo.replace(/\//g, '-')}`);
  mkdirSync(join(work, 'registries.d'), { recursive: true });
  writeFileSync(join(work, 'registries.d', 'attachments.yaml'), `docker:\n  ${registry.host}:\n    use-sigstore-attachments: true\n`);
  writeFileSync(join(work, 'policy.json'), '{"default":[{"type":"insecureAcceptAnything"}]}\n');
  const [command, ...prefix] = signerSkopeo();
  execFileSync(
    command!,
    [...prefix, '--policy', join(work, 'policy.json'), '--registries.d', join(work, 'registries.d'), 'copy', '--quiet', '--dest-tls-verify=false',
      '--sign-by-sigstore-private-key', key.privateKey, '--sign-passphrase-file', key.passphraseFile, '--sign-identity', identity,
      `oci:${layoutDir}:${tag}`, `docker://${registry.host}/${repo}:${tag}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
}
