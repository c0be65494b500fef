# shellcheck shell=sh
# What runs on each node under `chroot /host`: the writer of the marker protocol whose reader is
# src/pull-log/node-output.ts (every line it reads starts with "::oc-icsp:: ", MARKER there).
# Images and repositories travel as positional arguments, never inside the script text, so
# nothing the user typed is ever parsed by a shell. Whole-line comments are dropped when it is
# bundled (node-script.ts), so they cost nothing on the wire.
#
# Arguments: CHECK KEEP ENGINE IMAGE... -- REPOSITORY...
#   CHECK       pull: podman pulls each image, as the kubelet would have CRI-O pull it;
#               manifest: skopeo reads only its manifest (same containers/image code and files:
#               the mirror is chosen then), writing nothing to the node's storage
#   KEEP        yes: pull into the node's own image store (CRI-O's) and leave the image there;
#               no: pull into a throwaway store under /var/tmp that the script removes (a trap,
#               and the next run removes any a killed run left), so the probe never adds to
#               CRI-O's store; when no such store can be made, read the manifest instead
#   ENGINE      podman: podman pulls (the node's files, read now); crictl: CRI-O pulls (what it
#               loaded, its proxy, the global pull secret), its attempts read back from its
#               journal; both: podman, then CRI-O
#   IMAGE       each image to pull, in turn
#   REPOSITORY  mirror repositories whose credentials the pull secret is asked about (hosts
#               and yes/no only: no secret ever leaves the node)
# Before any pull, the script checks the free space where it would write: below 5 GiB or 20 %
# free (the kubelet evicts pods at 15 % free on imagefs and 10 % on nodefs by default,
# pkg/kubelet/eviction/defaults_linux.go), it reads the manifest instead (skopeo writes nothing)
# and says so.
#
# The node's files it reads: /var/lib/kubelet/config.json, the pull secret CRI-O reads
# (global_auth_file; podman reads it only when told); /etc/mco/proxy.env, the cluster proxy as
# the MCO gives it to CRI-O (an EnvironmentFile of crio.service).
set -u
check="$1"; keep="$2"; engine="$3"; shift 3
mark() { printf '\n::oc-icsp:: %s\n' "$*"; }
redact() { printf '%s' "$1" | sed 's#://[^@/]*@#://***@#'; }
mark section node
printf 'podman %s\n' "$(podman --version 2>&1 | head -n 1)"
if [ -f /etc/mco/proxy.env ]; then
  set -a
  # The node's own file, read as crio.service reads it.
  # shellcheck source=/dev/null
  . /etc/mco/proxy.env
  set +a
  mark proxy HTTP_PROXY "$(redact "${HTTP_PROXY:-${http_proxy:-}}")"
  mark proxy HTTPS_PROXY "$(redact "${HTTPS_PROXY:-${https_proxy:-}}")"
  mark proxy NO_PROXY "${NO_PROXY:-${no_proxy:-}}"
fi
# When CRI-O last loaded registries.conf, and when the files last changed.
mark config-mtime "$(stat -c %Y /etc/containers/registries.conf /etc/containers/registries.conf.d/*.conf 2>/dev/null | sort -n | tail -n 1)"
# Stores of runs that were killed before their trap ran.
find /var/tmp -maxdepth 1 -name 'oc-icsp-*' -mmin +60 -exec rm -rf {} + 2>/dev/null
# room PATH: enough free space to write an image there without pushing the node toward eviction.
room() {
  # Split on purpose: df's two numbers become $1 and $2.
  # shellcheck disable=SC2046
  set -- $(df -Pk "$1" 2>/dev/null | awk 'NR==2 {print $2, $4}')
  [ "$#" -eq 2 ] || return 1
  mark disk "$2" "$1"
  [ "$2" -ge 5242880 ] && [ $(( $2 * 100 / $1 )) -ge 20 ]
}
# Told to stop (the kubelet's SIGTERM to a deleted pod, SIGKILL a few seconds later), the script
# stops what it waits on and removes its directory at once. A shell runs a trap only when its
# foreground command returns, but at once during wait: long commands run in the background.
work=""; store=""; child=""; forking=""; stopping=""; downloads=/var/tmp
# Once waited for, the child's PID is free for any process of the node: forget it, so that stop
# never signals a stranger. A signal that comes while a command is being started (dash can run
# the trap before $! is known, seen here under load) is acted on once its PID is known.
run() { forking=1; "$@" & child=$!; forking=""; [ -z "$stopping" ] || { stop; exit 130; }; wait "$child"; set -- $?; child=""; return "$1"; }
# The store's overlay home is a mount of its own (containers/storage drivers/overlay/overlay.go
# Init, mount.MakePrivate) that podman leaves in place: unmounted first, or rm cannot remove it.
clean() {
  [ -n "$work" ] || return 0
  awk -v w="$work/" 'index($5, w) == 1 {print $5}' /proc/self/mountinfo | sort -r | while read -r m; do umount "$m" 2>/dev/null || umount -l "$m"; done
  rm -rf "$work"
}
# A child signalled between its fork and its exec can lose the signal (seen here under load): it
# is signalled again a second later. (Its PID could have been reused within that second only if
# the node went through all of pid_max, 4194304 on RHCOS.)
stop() {
  if [ -n "$child" ] && kill "$child" 2>/dev/null; then
    (sleep 1; kill "$child" 2>/dev/null) &
    wait "$child"
  fi
  clean
}
trap 'stopping=1; [ -n "$forking" ] || { stop; exit 130; }' INT TERM HUP
if [ "$check" = pull ]; then
  # The run's own directory holds what a pull writes outside the node's image store: the
  # throwaway store, and podman's downloads (TMPDIR, podman(1); /var/tmp otherwise).
  work="$(mktemp -d /var/tmp/oc-icsp-XXXXXX)" || work=""
  if [ -n "$work" ] && mkdir "$work/tmp"; then
    trap clean EXIT
    downloads="$work/tmp"
    [ "$keep" = yes ] || store="$work"
  else
    [ -z "$work" ] || rm -rf "$work"
    work=""
    # No room for a store of its own (where /var/tmp is full): the manifest, and why.
    if [ "$keep" != yes ]; then check=manifest; room /var/tmp; mark low-disk; fi
  fi
fi
if [ "$check" = pull ]; then
  if ! room "${store:-/var/lib/containers/storage}"; then check=manifest; mark low-disk; fi
fi
mark section crio-events
journalctl -u crio --no-pager -o short-precise -n 5 --grep 'Starting CRI-O|pplied new registry configuration' 2>/dev/null
mark crio-events-end
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
  image="$1"; shift
  mark image "$image"
  if [ "$engine" != podman ] && [ "$check" = pull ]; then
    since="$(date -u '+%Y-%m-%d %H:%M:%S')"
    cpresent=no
    if crictl inspecti "$image" >/dev/null 2>&1; then cpresent=yes; fi
    mark section crictl
    run crictl pull "$image" 2>&1
    crc=$?
    mark crictl-exit "$crc"
    if [ "$crc" -eq 0 ] && [ "$cpresent" = no ] && [ "$keep" != yes ]; then crictl rmi "$image" >/dev/null 2>&1; fi
    mark section crio-journal
    journalctl -u crio --no-pager -o short-precise --since "$since" 2>/dev/null
    mark crio-journal-end
    [ "$engine" = crictl ] && continue
  fi
  if [ "$check" = manifest ]; then
    mark section pull
    # skopeo's debug talk (stderr) is the log read back; the manifest itself (stdout) is not.
    # shellcheck disable=SC2069
    run skopeo --debug inspect --raw --authfile /var/lib/kubelet/config.json "docker://$image" 2>&1 >/dev/null
    mark pull-exit "$?"
    continue
  fi
  if [ -n "$store" ]; then
    mark section pull
    run env TMPDIR="$downloads" podman --root "$store/root" --runroot "$store/run" pull --log-level=debug --authfile /var/lib/kubelet/config.json "$image" 2>&1
    mark pull-exit "$?"
    continue
  fi
  present=no
  if podman image exists "$image" >/dev/null 2>&1; then present=yes; fi
  mark image-present "$present"
  mark section pull
  run env TMPDIR="$downloads" podman pull --log-level=debug --authfile /var/lib/kubelet/config.json "$image" 2>&1
  mark pull-exit "$?"
done
[ "$#" -gt 0 ] && shift
for repository in "$@"; do
  if podman login --get-login --authfile /var/lib/kubelet/config.json "$repository" >/dev/null 2>&1; then
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
