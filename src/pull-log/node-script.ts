// What runs on each node under `chroot /host`: the writer of the marker protocol whose reader
// is node-output.ts. The image travels as a positional argument ($1), never inside the script
// text, so nothing the user typed is ever parsed by a shell.
import { MARKER } from './node-output.js';

/** The node's pull secret: CRI-O reads it (global_auth_file), podman does not unless told. */
export const NODE_AUTHFILE = '/var/lib/kubelet/config.json';

export const NODE_SCRIPT = `set -u
image="$1"; keep="$2"
mark() { printf '\\n${MARKER} %s\\n' "$*"; }
mark section node
printf 'podman %s\\n' "$(podman --version 2>&1 | head -n 1)"
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
for f in /etc/containers/registries.conf /etc/containers/registries.conf.d/*.conf; do
  [ -f "$f" ] || continue
  mark section file "$f"
  cat "$f"
done
mark end
`;

/** argv after `oc debug node/N ... --`: chroot into the host and run the script there. */
export function nodeCommand(image: string, keepImage: boolean): string[] {
  return ['chroot', '/host', '/bin/sh', '-c', NODE_SCRIPT, 'oc-icsp', image, keepImage ? 'yes' : 'no'];
}
