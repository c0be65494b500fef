# Whether the node pull secret holds credentials for each mirror repository asked about (the
# arguments after `--`, up to the next one): yes or no, never a secret.
for repository in "$@"; do
  [ "$repository" = -- ] && break
  if podman login --get-login --authfile /var/lib/kubelet/config.json "$repository" >/dev/null 2>&1; then
    mark credentials "$repository" yes
  else
    mark credentials "$repository" no
  fi
done
