#!/bin/sh
# The sandbox's signer: a skopeo that can make sigstore signatures. Debian 12's skopeo 1.9 and
# podman 4.3 are built with sigstore signing and verification taken out (the Debian patch in
# golang-github-containers-image 5.23.1-4 makes signature/sigstore/sign.go and
# signature/policy_eval_sigstore.go return "Debian-local change: sigstore disabled"). Debian 13's
# skopeo 1.18 has them. Its package and the libraries it needs (its glibc among them) are
# unpacked into DIR, not installed, and skopeo runs under that glibc's own loader, so nothing on
# this machine changes. Idempotent: a DIR that already holds it is left as it is.
# Usage: install.sh DIR
set -eu
dir="$1"
[ -x "$dir/usr/bin/skopeo" ] && exit 0
state="$(mktemp -d)"
trap 'rm -rf "$state"' EXIT
mkdir -p "$state/lists/partial" "$state/archives/partial" "$state/debs"
# The machine's own Debian mirror (the one that serves its release), asked for trixie instead.
# shellcheck disable=SC1091
. /etc/os-release
# shellcheck disable=SC2016
mirror="$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 2>/dev/null | awk -v suite="$VERSION_CODENAME" '$2 == suite { print $1; exit }')"
[ -n "$mirror" ] || { echo "no Debian mirror for $VERSION_CODENAME in this machine's apt sources" >&2; exit 1; }
echo "deb $mirror trixie main" > "$state/sources.list"
opts="-o Dir::Etc::sourcelist=$state/sources.list -o Dir::Etc::sourceparts=/dev/null -o Dir::State::Lists=$state/lists -o Dir::Cache::archives=$state/archives -o APT::Sandbox::User=root"
# shellcheck disable=SC2086
apt-get $opts update -qq
cd "$state/debs"
for package in skopeo libc6 libgpgme11t64 libassuan9 libgpg-error0 libsqlite3-0; do
  # shellcheck disable=SC2086
  apt-get $opts download -qq "$package/trixie"
done
mkdir -p "$dir.partial"
for deb in ./*.deb; do dpkg-deb -x "$deb" "$dir.partial"; done
rm -rf "$dir"
mv "$dir.partial" "$dir"
