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
# A proposed signature policy (POLICY, REGD) goes the same way: skopeo's global --policy and
# --registries.d, podman pull's --signature-policy (podman has no registries.d flag: its pulls read
# the node's own registries.d).
regconf=""
sigpolicy=""
regddir=""
compare=no
skopeo_() { skopeo "$@"; }
use_proposed() {
  [ -n "$regconf" ] || return 0
  export CONTAINERS_REGISTRIES_CONF="$regconf"
  skopeo_() { skopeo --registries-conf "$regconf" ${sigpolicy:+--policy} ${sigpolicy:+"$sigpolicy"} ${regddir:+--registries.d} ${regddir:+"$regddir"} "$@"; }
  [ -z "$sigpolicy" ] || podman_policy="$sigpolicy"
  proposal_used
}
if [ -n "$conf" ]; then
  case "$conf" in "# oc-icsp: compare"*) compare=yes ;; esac
  if [ -z "$work" ]; then
    work="$(mktemp -d /var/tmp/oc-icsp-XXXXXX)" || work=""
    [ -z "$work" ] || trap clean EXIT
  fi
  if [ -n "$work" ] && printf '%s' "$conf" >"$work/registries.conf"; then
    regconf="$work/registries.conf"
    if [ -n "$policy" ] && printf '%s' "$policy" >"$work/policy.json"; then sigpolicy="$work/policy.json"; fi
    if [ -n "$regd" ] && mkdir -p "$work/registries.d" && printf '%s' "$regd" >"$work/registries.d/sigstore-registries.yaml"; then regddir="$work/registries.d"; fi
    [ "$compare" = yes ] || use_proposed
    mark probe-config proposed "$(sha256sum <"$regconf" | cut -d' ' -f1)"
  else
    compare=no
    mark probe-config unwritable
  fi
fi
