// /etc/containers/registries.d as containers/image reads it for sigstore attachments
// (docker/registries_d.go: loadAndMergeConfig reads every *.yaml in the folder; a namespace
// defined twice, or default-docker twice, is an error; useSigstoreAttachments looks up the full
// identity, then each parent namespace, then default-docker, and the first entry that sets
// use-sigstore-attachments decides). The reference looked up is the endpoint that served the
// manifest (docker/docker_image_src.go: the physical reference), so a mirror needs its own entry.
import { parse } from 'yaml';
import { PolicyFileError, referenceIdentity, referenceNamespaces } from './signature-policy.js';
import type { ImageReference } from './reference.js';

interface Namespace {
  'use-sigstore-attachments'?: boolean;
}

export interface RegistriesD {
  defaultDocker: Namespace | null;
  docker: Map<string, Namespace>;
}

export function readRegistriesD(files: { path: string; text: string }[]): RegistriesD {
  const merged: RegistriesD = { defaultDocker: null, docker: new Map() };
  const from = new Map<string, string>();
  for (const file of files.filter((f) => f.path.endsWith('.yaml'))) {
    let data: { 'default-docker'?: Namespace; docker?: Record<string, Namespace> } | null;
    try {
      data = parse(file.text) as typeof data;
    } catch (error) {
      throw new PolicyFileError(`parsing ${file.path}: ${(error as Error).message}`);
    }
    if (!data) continue;
    if (data['default-docker']) {
      if (merged.defaultDocker) throw new PolicyFileError(`"default-docker" defined both in ${from.get('')} and ${file.path}`);
      merged.defaultDocker = data['default-docker'];
      from.set('', file.path);
    }
    for (const [name, ns] of Object.entries(data.docker ?? {})) {
      if (merged.docker.has(name)) throw new PolicyFileError(`"docker" namespace "${name}" defined both in ${from.get(name)} and ${file.path}`);
      merged.docker.set(name, ns ?? {});
      from.set(name, file.path);
    }
  }
  return merged;
}

/** Whether containers/image reads sigstore attachments from this endpoint. */
export function usesSigstoreAttachments(config: RegistriesD, endpoint: ImageReference): boolean {
  for (const name of [referenceIdentity(endpoint), ...referenceNamespaces(endpoint)]) {
    const value = config.docker.get(name)?.['use-sigstore-attachments'];
    if (value !== undefined) return value;
  }
  return config.defaultDocker?.['use-sigstore-attachments'] ?? false;
}
