// `oc adm release info [-o json] [IMAGE]`, as openshift/oc pkg/cli/admin/release/info.go does it:
// with no IMAGE, the cluster's release (ClusterVersion status.desired.image, else
// spec.desiredUpdate.image; replaceClusterSemanticArgs), read from the registry where it is, its
// last layer's release-manifests/image-references (an ImageStream) and release-metadata
// (LoadReleaseInfo), printed as ReleaseInfo's JSON (-o json) or one component pull spec a line
// (-o pullspec, tags whose from is a DockerImage). The workstation's trust is the sandbox's
// workstation-certs (a certs.d layout); a registry it cannot reach fails as the read fails
// ("error: %v" per image, Run). oc's registry client is not skopeo; the error's words past
// "error: " are the sandbox's.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Connection, ClientError, json } from './rest.js';

interface ClusterVersion {
  spec?: { desiredUpdate?: { image?: string } };
  status?: { desired?: { image?: string } };
}

export async function releaseInfo(c: Connection, rest: string[], certsDir: string): Promise<number> {
  const output = rest.find((a, i) => rest[i - 1] === '-o' || rest[i - 1] === '--output') ?? /^(?:-o|--output)=(.*)$/.exec(rest.find((a) => /^(-o|--output)=/.test(a)) ?? '')?.[1] ?? '';
  const images = rest.filter((a, i) => !a.startsWith('-') && rest[i - 1] !== '-o' && rest[i - 1] !== '--output');
  if (images.length === 0) {
    const cv = await json<ClusterVersion>(c, 'GET', '/apis/config.openshift.io/v1/clusterversions/version');
    const image = cv.status?.desired?.image || cv.spec?.desiredUpdate?.image;
    if (!image) throw new ClientError('error: the server is not reporting a release image at this time, please specify an image to view');
    images.push(image);
  }
  let code = 0;
  for (const image of images) {
    const work = mkdtempSync(join(tmpdir(), 'sandbox-oc-release-'));
    try {
      const host = image.split('/')[0]!;
      const copy = spawnSync('skopeo', ['copy', '--quiet', '--src-cert-dir', join(certsDir, host), `docker://${image}`, `dir:${join(work, 'image')}`], { encoding: 'utf8' });
      if (copy.status !== 0) {
        const said = /msg="(.*)"\s*$/m.exec(copy.stderr)?.[1]?.replaceAll('\\"', '"') ?? copy.stderr.trim();
        process.stderr.write(`error: unable to read image ${image}: ${said}\n`);
        code = 1;
        continue;
      }
      const manifestText = readFileSync(join(work, 'image', 'manifest.json'));
      const manifest = JSON.parse(manifestText.toString('utf8')) as { layers: { digest: string }[] };
      const last = manifest.layers.at(-1)!.digest.split(':')[1]!;
      execFileSync('tar', ['-xzf', join(work, 'image', last), '-C', work, 'release-manifests']);
      const references = JSON.parse(readFileSync(join(work, 'release-manifests', 'image-references'), 'utf8')) as { spec: { tags: { from?: { kind: string; name: string } }[] } };
      const metadata = JSON.parse(readFileSync(join(work, 'release-manifests', 'release-metadata'), 'utf8')) as unknown;
      if (output === 'pullspec') {
        for (const tag of references.spec.tags) if (tag.from?.kind === 'DockerImage') process.stdout.write(`${tag.from.name}\n`);
        continue;
      }
      if (output !== 'json') throw new ClientError('error: the sandbox oc prints release info with -o json or -o pullspec only');
      const digest = `sha256:${createHash('sha256').update(manifestText).digest('hex')}`;
      const info = { image, digest, contentDigest: digest, listDigest: '', config: null, metadata, references, versions: null, displayVersions: null, images: null, warnings: null };
      process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  return code;
}
