# shellcheck shell=sh
# The DaemonSet probe's wrapper (src/oc/daemonset-objects.ts): `sh -c WRAPPER oc-icsp-probe
# NODE-COMMAND...`. The node script's output goes to the log as it comes (a tee through a FIFO)
# and to a file, and the whole of it to the termination message when it fits. Without a
# temporary directory, the script runs with its output in the log only.
# - The kubelet's SIGTERM reaches this shell only (the container's own process), so it passes it
#   on to the node script, whose trap removes what its pull wrote. A shell runs a trap at once
#   only during wait, hence the background jobs.
# - A SIGTERM that comes while the script is being started (dash can run the trap before $! is
#   known) is acted on once its PID is known, and sent again a second later: a process signalled
#   between its fork and its exec can lose the signal (both seen here under load).
# - A PID is forgotten once waited for: the pod shares the host's PIDs, and a freed one can be
#   reused.
# - The shell exits 0 once the script has: an init container that fails is run again, the pod
#   being the DaemonSet's (restartPolicy Always).
# - The message is "oc-icsp/1 STATUS BASE64" (REPORT_PREFIX), written only when BASE64 fits in
#   4082 bytes: the kubelet keeps the last 4096 bytes (TERMINATION_MESSAGE_BYTES), less the
#   prefix, two spaces and a status of three digits at most (REPORT_ROOM).
stop() { [ -z "$p" ] || { kill "$p" 2>/dev/null; (sleep 1; kill "$p" 2>/dev/null) & wait "$p"; }; rm -rf "$d"; exit 143; }
p=; forking=; stopping=; trap 'stopping=1; [ -n "$forking" ] || stop' TERM
if d=$(mktemp -d) && mkfifo "$d/f"; then
  tee "$d/out" <"$d/f" &
  forking=1; "$@" >"$d/f" 2>&1 & p=$!; forking=; [ -z "$stopping" ] || stop; wait "$p"; status=$?; p=; wait
  m=$(gzip -9c <"$d/out" | base64 -w 0) && [ ${#m} -le 4082 ] && printf '%s %s %s' oc-icsp/1 "$status" "$m" >/dev/termination-log
  rm -rf "$d"
else
  forking=1; "$@" 2>&1 & p=$!; forking=; [ -z "$stopping" ] || stop; wait "$p"; p=
fi
exit 0
