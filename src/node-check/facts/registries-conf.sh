# The node's registries.conf and its drop-ins, as they are now.
for f in /etc/containers/registries.conf /etc/containers/registries.conf.d/*.conf; do
  [ -f "$f" ] || continue
  mark section file "$f"
  cat "$f"
done
