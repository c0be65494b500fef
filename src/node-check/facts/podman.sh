# The node's podman: the words of its debug log depend on its version.
mark section node
printf 'podman %s\n' "$(podman --version 2>&1 | head -n 1)"
