# shellcheck shell=sh
# Asked for (a second `--` and the hosts after it, in a run that composes many images' verdicts):
# what a pull's result depends on besides the network, as one digest, and whether the node's
# network reaches each host the images need. Nodes with the same digest hold the same
# registries.conf and drop-ins, pull secret, signature policy and registries.d, CA trust and
# certs.d (containers/image pkg/tlsclientconfig reads /etc/containers/certs.d and
# /etc/docker/certs.d per host), proxy.env and CRI-O's namespace policies: the same image read
# gives them the same answer wherever their network answers alike.
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do shift; done
if [ "$#" -gt 0 ]; then
  shift
  digest="$(for p in /etc/containers/registries.conf /etc/containers/registries.conf.d /var/lib/kubelet/config.json /etc/containers/policy.json /etc/containers/registries.d /etc/containers/certs.d /etc/docker/certs.d /etc/pki/ca-trust/extracted/pem /etc/ssl/certs/ca-certificates.crt /etc/mco/proxy.env /etc/crio/policies; do
    [ -e "$p" ] && find "$p" -type f 2>/dev/null
  done | sort | while read -r f; do printf '%s\n' "$f"; cat "$f" 2>/dev/null; done | sha256sum | cut -d' ' -f1)"
  mark fingerprint "$digest"
  # One request a host, through the node's proxy, trust and pull secret: a repository of its own
  # under a rule of its own (the longest prefix wins, sysregistriesv2 findRegistryWithParsedConfig),
  # so no mirror, block or drop-in of the node's sends it elsewhere. Any answer of the registry's
  # (401, 404) is reached; the node's network is what the error names otherwise.
  reachdir="$(mktemp -d /var/tmp/oc-icsp-reach-XXXXXX)" || reachdir=""
  for host in "$@"; do
    [ -n "$reachdir" ] || break
    printf '[[registry]]\nprefix = "%s/oc-icsp-reach-probe"\nlocation = "%s/oc-icsp-reach-probe"\n' "$host" "$host" >"$reachdir/registries.conf"
    mark section reach-said "$host"
    # shellcheck disable=SC2069
    run skopeo --registries-conf "$reachdir/registries.conf" inspect --raw --authfile /var/lib/kubelet/config.json "docker://$host/oc-icsp-reach-probe:latest" 2>&1 >/dev/null
    mark reach "$host" "$?"
  done
  [ -z "$reachdir" ] || rm -rf "$reachdir"
fi
