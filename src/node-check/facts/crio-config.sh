# When the registries files last changed, and when CRI-O last loaded them (its start or its
# reload, in its journal).
mark config-mtime "$(stat -c %Y /etc/containers/registries.conf /etc/containers/registries.conf.d/*.conf 2>/dev/null | sort -n | tail -n 1)"
mark section crio-events
journalctl -u crio --no-pager -o short-precise -n 5 --grep 'Starting CRI-O|pplied new registry configuration' 2>/dev/null
mark crio-events-end
