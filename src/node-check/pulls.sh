# shellcheck shell=sh
# The pulls: a store of the run's own (or the node's, with KEEP), each image in turn by the
# engine and check asked for, and the `--` that ends the images. Uses head.sh's mark, run and
# the disk fact's room.
if [ "$check" = pull ]; then
  # The run's own directory holds what a pull writes outside the node's image store: the
  # throwaway store, and podman's downloads (TMPDIR, podman(1); /var/tmp otherwise).
  [ -n "$work" ] || work="$(mktemp -d /var/tmp/oc-icsp-XXXXXX)" || work=""
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
# Each image in turn, from the arguments given (the images, up to `--`).
pass_images() {
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
      run skopeo_ --debug inspect --raw --authfile /var/lib/kubelet/config.json "docker://$image" 2>&1 >/dev/null
      rc=$?
      mark pull-exit "$rc"
      [ "$rc" -eq 0 ] && after_manifest "$image"
      continue
    fi
    if [ -n "$store" ]; then
      mark section pull
      run env TMPDIR="$downloads" podman --root "$store/root" --runroot "$store/run" pull ${podman_policy:+--signature-policy} ${podman_policy:+"$podman_policy"} --log-level=debug --authfile /var/lib/kubelet/config.json "$image" 2>&1
      mark pull-exit "$?"
      # Several images: each is removed before the next is pulled, so the run never holds more
      # than one image's layers (the free-space check was made for one).
      if [ "$#" -gt 0 ] && [ "$1" != "--" ]; then run podman --root "$store/root" --runroot "$store/run" rmi --all --force >/dev/null 2>&1; fi
      continue
    fi
    present=no
    if podman image exists "$image" >/dev/null 2>&1; then present=yes; fi
    mark image-present "$present"
    mark section pull
    run env TMPDIR="$downloads" podman pull ${podman_policy:+--signature-policy} ${podman_policy:+"$podman_policy"} --log-level=debug --authfile /var/lib/kubelet/config.json "$image" 2>&1
    mark pull-exit "$?"
  done
}
pass_images "$@"
# --compare: the same images again, through the proposed configuration, in a store of their own
# (the first pass's layers must not serve the second).
if [ "$compare" = yes ]; then
  mark pass proposed
  use_proposed
  if [ -n "$store" ]; then store="$work/proposed"; mkdir -p "$store"; fi
  pass_images "$@"
  mark pass end
fi
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do shift; done
# What follows the images is the epilogue facts' (the repositories, for credentials).
[ "$#" -gt 0 ] && shift
