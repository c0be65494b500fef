# shellcheck shell=sh
# The node script's head: what every part after it relies on. The script is this, the facts'
# prelude parts (src/node-check/facts/), pulls.sh, the facts' epilogue parts and `mark end`, put
# together by node-script.ts. It is the writer of the marker protocol whose reader is
# src/node-check/node-output.ts (every line it reads starts with "::oc-icsp:: ", MARKER there).
# Images and repositories travel as positional arguments, never inside the script text, so
# nothing the user typed is ever parsed by a shell. Whole-line comments are dropped when it is
# bundled (node-script.ts), so they cost nothing on the wire.
#
# Arguments: CHECK KEEP ENGINE CONF POLICY REGD IMAGE... -- REPOSITORY... [-- HOST...]
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
#   CONF        empty: the node's own registries.conf; otherwise the one a proposed change makes
#               (facts/probe-config.sh)
#   POLICY      empty, or the policy.json a proposed change makes
#   REGD        empty, or the registries.d/sigstore-registries.yaml it makes
#   IMAGE       each image to pull, in turn
#   REPOSITORY  mirror repositories whose credentials the pull secret is asked about (hosts
#               and yes/no only: no secret ever leaves the node)
#   HOST        with the second `--` only: the node's fingerprint, and whether it reaches each
#               host (facts/fingerprint.sh)
# Before any pull, the script checks the free space where it would write: below 5 GiB or 20 %
# free (the kubelet evicts pods at 15 % free on imagefs and 10 % on nodefs by default,
# pkg/kubelet/eviction/defaults_linux.go), it reads the manifest instead (skopeo writes nothing)
# and says so.
#
# The node's files it reads: /var/lib/kubelet/config.json, the pull secret CRI-O reads
# (global_auth_file; podman reads it only when told); /etc/mco/proxy.env, the cluster proxy as
# the MCO gives it to CRI-O (an EnvironmentFile of crio.service).
set -u
check="$1"; keep="$2"; engine="$3"; conf="$4"; policy="$5"; regd="$6"; shift 6
mark() { printf '\n::oc-icsp:: %s\n' "$*"; }
redact() { printf '%s' "$1" | sed 's#://[^@/]*@#://***@#'; }
# Stores of runs that were killed before their trap ran.
find /var/tmp -maxdepth 1 -name 'oc-icsp-*' -mmin +60 -exec rm -rf {} + 2>/dev/null
# Told to stop (the kubelet's SIGTERM to a deleted pod, SIGKILL a few seconds later), the script
# stops what it waits on and removes its directory at once. A shell runs a trap only when its
# foreground command returns, but at once during wait: long commands run in the background.
work=""; store=""; child=""; forking=""; stopping=""; downloads=/var/tmp; podman_policy=""; regconf=""; sigpolicy=""; regddir=""
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
# after_manifest IMAGE: what a fact adds once an image's manifest was read; proposal_used: what a
# fact adds once the probe turns to a proposal's files (--compare's second pass). A prelude fact
# may define them again.
# shellcheck disable=SC2317
after_manifest() { :; }
# shellcheck disable=SC2317
proposal_used() { :; }
