# The cluster proxy, as the MCO gives it to CRI-O (/etc/mco/proxy.env, an EnvironmentFile of
# crio.service): exported here too, so that the pulls after go through it as CRI-O's would. A
# password in a proxy URL never leaves the node.
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
