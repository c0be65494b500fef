# The registries.conf the pulls read and its drop-ins, as they are now: the node's own main file,
# or with a proposed change the one the probe used in its place (facts/probe-config.sh).
for f in /etc/containers/registries.conf /etc/containers/registries.conf.d/*.conf; do
  [ -f "$f" ] || continue
  mark section file "$f"
  if [ "$f" = /etc/containers/registries.conf ] && [ -n "$regconf" ]; then cat "$regconf"; else cat "$f"; fi
done
