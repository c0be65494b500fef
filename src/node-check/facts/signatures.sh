# The node's signature policy, as CRI-O and podman read it: policy.json (which signatures each
# source needs), registries.d (where signatures are read from: use-sigstore-attachments), and
# CRI-O's per-namespace policies (cri-o server/image_pull.go contextForNamespace uses
# /etc/crio/policies/<namespace>.json for a pod of that namespace, where it exists).
# With a proposed signature policy (probe-config.sh), its files stand for the node's where the
# probe reads them: from the start, or from --compare's second pass (signature-file-proposed, which
# replaces what was said before it).
# signature_files own|proposed [later]: the node's files, or the proposal's in their place;
# `later` opens them as signature-file-proposed.
signature_section() { if [ "$2" = later ]; then mark section signature-file-proposed "$1"; else mark section signature-file "$1"; fi; }
signature_files() {
  for f in /etc/containers/policy.json /etc/containers/registries.d/*.yaml /etc/crio/policies/*.json; do
    [ -f "$f" ] || continue
    [ "$1" = own ] || [ -z "$regddir" ] || [ "${f#/etc/containers/registries.d/}" = "$f" ] || continue
    signature_section "$f" "${2:-}"
    if [ "$1" != own ] && [ "$f" = /etc/containers/policy.json ] && [ -n "$sigpolicy" ]; then cat "$sigpolicy"; else cat "$f"; fi
  done
  if [ "$1" != own ] && [ -n "$regddir" ]; then
    signature_section /etc/containers/registries.d/sigstore-registries.yaml "${2:-}"
    cat "$regddir/sigstore-registries.yaml"
  fi
}
sigstore_in() { if grep -q sigstoreSigned "$1" 2>/dev/null; then echo yes; else echo no; fi; }
sigstore="$(sigstore_in /etc/containers/policy.json)"
if [ -n "$sigpolicy" ] && [ "$compare" = yes ]; then
  signature_files own
  # shellcheck disable=SC2317
  proposal_used() {
    signature_files proposed later
    sigstore="$(sigstore_in "$sigpolicy")"
  }
elif [ -n "$sigpolicy" ]; then
  signature_files proposed
  sigstore="$(sigstore_in "$sigpolicy")"
else
  signature_files own
fi
# A manifest check sees whether the signature is where a pull would read it, without verifying
# it or writing anything but a folder of its own: skopeo copies the image under a policy that
# needs a sigstore signature by a key nobody holds (made for this, its private half thrown
# away), so containers/image reads the manifest, then the attachment from the endpoint that
# served it, exactly as a pull would (the node's registries.conf, registries.d and pull
# secret), and always refuses the image before copying a layer (copy/single.go checks the
# policy first). Its log says whether the attachment was found.
after_manifest() {
  [ "$sigstore" = yes ] || return 0
  if [ -z "$work" ]; then
    work="$(mktemp -d /var/tmp/oc-icsp-XXXXXX)" || { work=""; return 0; }
    trap clean EXIT
  fi
  printf '%s\n' '{"default":[{"type":"sigstoreSigned","keyData":"LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS0KTUZrd0V3WUhLb1pJemowQ0FRWUlLb1pJemowREFRY0RRZ0FFbVNLNkJGNDJwUzc5SldPYnNoZFEvRkR3bWJwcgpsZVNFQ0lzOVl1UnZOTStKTDF3SVVVVlVtUTVIQmxzcklQUHNScVFFaGF2endMMHU4cnpDOE9kOUpBPT0KLS0tLS1FTkQgUFVCTElDIEtFWS0tLS0tCg==","signedIdentity":{"type":"matchRepoDigestOrExact"}}]}' >"$work/presence.json"
  mark section signature-lookup "$1"
  # shellcheck disable=SC2069
  run skopeo_ --debug --policy "$work/presence.json" copy --src-authfile /var/lib/kubelet/config.json "docker://$1" "dir:$work/signature" 2>&1 >/dev/null
  mark signature-lookup-exit "$?"
  rm -rf "$work/signature"
}
