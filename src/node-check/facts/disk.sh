# room PATH: enough free space to write an image there without pushing the node toward eviction
# (the pulls ask it, and read the manifest instead where it says no, with `mark low-disk`).
room() {
  # Split on purpose: df's two numbers become $1 and $2.
  # shellcheck disable=SC2046
  set -- $(df -Pk "$1" 2>/dev/null | awk 'NR==2 {print $2, $4}')
  [ "$#" -eq 2 ] || return 1
  mark disk "$2" "$1"
  [ "$2" -ge 5242880 ] && [ $(( $2 * 100 / $1 )) -ge 20 ]
}
