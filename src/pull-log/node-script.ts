// What runs on each node under `chroot /host`: the writer of the marker protocol whose reader
// is node-output.ts. Images and repositories travel as positional arguments, never inside the
// script text, so nothing the user typed is ever parsed by a shell.
import { MARKER } from './node-output.js';

/** The node's pull secret: CRI-O reads it (global_auth_file), podman does not unless told. */
export const NODE_AUTHFILE = '/var/lib/kubelet/config.json';
/** The cluster proxy, as the MCO gives it to CRI-O (an EnvironmentFile of crio.service). */
export const NODE_PROXY_ENV = '/etc/mco/proxy.env';

// Arguments: KEEP IMAGE... -- REPOSITORY...
//   KEEP        yes: leave pulled images on the node
//   IMAGE       each image to pull, in turn
//   REPOSITORY  mirror repositories whose credentials the pull secret is asked about (hosts
//               and yes/no only: no secret ever leaves the node)
export const NODE_SCRIPT = `set -u
keep="$1"; shift
mark() { printf '\\n${MARKER} %s\\n' "$*"; }
redact() { printf '%s' "$1" | sed 's#://[^@/]*@#://***@#'; }
mark section node
printf 'podman %s\\n' "$(podman --version 2>&1 | head -n 1)"
if [ -f ${NODE_PROXY_ENV} ]; then
  set -a; . ${NODE_PROXY_ENV}; set +a
  mark proxy HTTP_PROXY "$(redact "\${HTTP_PROXY:-\${http_proxy:-}}")"
  mark proxy HTTPS_PROXY "$(redact "\${HTTPS_PROXY:-\${https_proxy:-}}")"
  mark proxy NO_PROXY "\${NO_PROXY:-\${no_proxy:-}}"
fi
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
  image="$1"; shift
  mark image "$image"
  present=no
  if podman image exists "$image" >/dev/null 2>&1; then present=yes; fi
  mark image-present "$present"
  mark section pull
  podman pull --log-level=debug --authfile ${NODE_AUTHFILE} "$image" 2>&1
  rc=$?
  mark pull-exit "$rc"
  if [ "$rc" -eq 0 ] && [ "$present" = no ] && [ "$keep" != yes ]; then
    if podman rmi "$image" >/dev/null 2>&1; then mark removed yes; else mark removed failed; fi
  fi
done
[ "$#" -gt 0 ] && shift
for repository in "$@"; do
  if podman login --get-login --authfile ${NODE_AUTHFILE} "$repository" >/dev/null 2>&1; then
    mark credentials "$repository" yes
  else
    mark credentials "$repository" no
  fi
done
for f in /etc/containers/registries.conf /etc/containers/registries.conf.d/*.conf; do
  [ -f "$f" ] || continue
  mark section file "$f"
  cat "$f"
done
mark end
`;

/** argv after `oc debug node/N ... --`: chroot into the host and run the script there. */
export function nodeCommand(images: string[], keepImage: boolean, repositories: string[] = []): string[] {
  return ['chroot', '/host', '/bin/sh', '-c', NODE_SCRIPT, 'oc-icsp', keepImage ? 'yes' : 'no', ...images, '--', ...repositories];
}
