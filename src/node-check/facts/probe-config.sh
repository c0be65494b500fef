# shellcheck shell=sh
# The configuration the probe uses: the node's own files, or (a change proposed, CONF not empty)
# the registries.conf the MCO would write after it, in the run's own directory, and the node's
# own drop-ins, pull secret, trust and proxy. podman takes it from CONTAINERS_REGISTRIES_CONF and
# skopeo from its global --registries-conf (it ignores the variable): each replaces the main file
# only, and the drop-ins in /etc/containers/registries.conf.d still load (containers/image
# pkg/sysregistriesv2 system_registries_v2.go newConfigWrapperWithHomeDir: SystemRegistriesConfPath
# chooses the main file; the drop-in directory is chosen apart). Nothing of the node's is written.
# A CONF whose first line is COMPARE_LINE (a TOML comment) asks for --compare: the images are read
# with the node's own files first, then with the proposal's (pulls.sh calls use_proposed between).
regconf=""
compare=no
skopeo_() { skopeo "$@"; }
use_proposed() {
  [ -n "$regconf" ] || return 0
  export CONTAINERS_REGISTRIES_CONF="$regconf"
  skopeo_() { skopeo --registries-conf "$regconf" "$@"; }
}
if [ -n "$conf" ]; then
  case "$conf" in "# oc-icsp: compare"*) compare=yes ;; esac
  if [ -z "$work" ]; then
    work="$(mktemp -d /var/tmp/oc-icsp-XXXXXX)" || work=""
    [ -z "$work" ] || trap clean EXIT
  fi
  if [ -n "$work" ] && printf '%s' "$conf" >"$work/registries.conf"; then
    regconf="$work/registries.conf"
    [ "$compare" = yes ] || use_proposed
    mark probe-config proposed "$(sha256sum <"$regconf" | cut -d' ' -f1)"
  else
    compare=no
    mark probe-config unwritable
  fi
fi
