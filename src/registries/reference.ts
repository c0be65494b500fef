// Image references per the distribution grammar
// (github.com/distribution/reference regexp.go, normalize.go), which podman and CRI-O use.
import { InputError } from '../errors.js';

export interface ImageReference {
  /** Registry host with optional port, e.g. `quay.io` or `127.0.0.1:5000`. */
  domain: string;
  /** Repository path inside the registry, e.g. `library/busybox`. */
  path: string;
  tag?: string;
  digest?: string;
}

export class ImageReferenceError extends InputError {
  constructor(
    readonly input: string,
    readonly problem: string,
  ) {
    super(`invalid image reference ${JSON.stringify(input)}: ${problem}`);
  }
}

const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';
const NAME_TOTAL_LENGTH_MAX = 255;

const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const ipv6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainName = `${domainComponent}(?:\\.${domainComponent})*`;
const DOMAIN = new RegExp(`^(?:${domainName}|${ipv6})(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/** Splits off `@digest` and `:tag` and validates each part; the reason names the bad part. */
export function parseReference(input: string): ImageReference {
  const fail = (problem: string): never => {
    throw new ImageReferenceError(input, problem);
  };
  if (input === '') fail('it is empty');
  if (/\s/.test(input)) fail('it contains white space');
  if (input.includes('://')) fail('a URL scheme is not part of an image reference; drop it');

  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    validateDigest(digest, fail);
  }

  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG.test(tag)) {
      fail(
        tag.length > 128
          ? `tag is ${tag.length} characters long; the limit is 128`
          : `tag ${JSON.stringify(tag)} may only hold letters, digits, '_', '.' and '-', and may not start with '.' or '-'`,
      );
    }
  }

  const { domain, path } = splitDomain(rest);
  if (domain !== '' && !DOMAIN.test(domain)) fail(`registry host ${JSON.stringify(domain)} is not a valid host[:port]`);
  if (path === '') fail('the repository name is missing');
  for (const component of path.split('/')) {
    if (component === '') fail(`repository path ${JSON.stringify(path)} has an empty component`);
    if (component !== component.toLowerCase()) fail(`repository name ${JSON.stringify(path)} must be lowercase`);
    if (!PATH_COMPONENT.test(component)) {
      fail(`path component ${JSON.stringify(component)} may only hold a-z, 0-9 and single '.', '_', '__' or '-' separators between them`);
    }
  }
  const name = `${domain}/${path}`;
  if (name.length > NAME_TOTAL_LENGTH_MAX) {
    fail(`repository name is ${name.length} characters long; the limit is ${NAME_TOTAL_LENGTH_MAX}`);
  }
  return { domain, path, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) };
}

function validateDigest(digest: string, fail: (problem: string) => never): void {
  const colon = digest.indexOf(':');
  if (colon === -1) fail(`digest ${JSON.stringify(digest)} must look like sha256:<64 hex characters>`);
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  const length = DIGEST_HEX_LENGTH[algorithm];
  if (length === undefined) fail(`digest algorithm ${JSON.stringify(algorithm)} is not one of sha256, sha384, sha512`);
  if (!/^[a-f0-9]*$/.test(hex)) fail(`digest ${JSON.stringify(digest)} may only hold lowercase hex after "${algorithm}:"`);
  if (hex.length !== length) fail(`${algorithm} digest needs ${length} hex characters, got ${hex.length}`);
}

// splitDockerDomain in distribution/reference normalize.go: the first component is a
// registry only if it looks like one; otherwise the image lives on Docker Hub.
function splitDomain(name: string): { domain: string; path: string } {
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  const looksLikeDomain =
    slash !== -1 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first);
  if (!looksLikeDomain) {
    const path = slash === -1 ? OFFICIAL_REPO_PREFIX + name : name;
    return { domain: DEFAULT_DOMAIN, path };
  }
  let domain = first;
  let path = name.slice(slash + 1);
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = OFFICIAL_REPO_PREFIX + path;
  return { domain, path };
}

/** `domain/path`, what containers/image calls `Name()`. */
export function referenceName(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}`;
}

/**
 * The string podman pulls and logs: a digest wins over a tag (libimage drops the tag of
 * `name:tag@digest`), and a reference with neither gets `:latest`.
 */
export function pullString(ref: ImageReference): string {
  if (ref.digest) return `${referenceName(ref)}@${ref.digest}`;
  return `${referenceName(ref)}:${ref.tag ?? 'latest'}`;
}

export function isDigested(ref: ImageReference): boolean {
  return ref.digest !== undefined;
}

/** True when the user typed something other than the fully qualified form podman will use. */
export function wasNormalized(input: string, ref: ImageReference): boolean {
  return input !== pullString(ref) && !(ref.tag && ref.digest && input === `${referenceName(ref)}:${ref.tag}@${ref.digest}`);
}

/**
 * reference.ParseNamed as containers/image applies it to a rewritten reference: the text must
 * parse and already be in canonical form (no implied docker.io or library/).
 */
export function parseCanonical(text: string): ImageReference {
  let ref: ImageReference;
  try {
    ref = parseReference(text);
  } catch {
    throw new Error('invalid reference format');
  }
  const canonical = `${referenceName(ref)}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
  if (canonical !== text) throw new Error('repository name must be canonical');
  return ref;
}
