# Optional parts of the lab, each built from upstream source into the version-keyed
# cache like the rest:   hack/labcluster up --with netpol,metrics,ingress,lb
#
#   netpol   NetworkPolicy enforcement: kube-router, its firewall only (as k3s embeds it)
#   metrics  the metrics API for `kubectl top`: metrics-server, behind the aggregation layer
#   ingress  an ingress class and a Gateway class: Traefik, with the Gateway API CRDs
#   lb       LoadBalancer addresses: MetalLB's controller and one address pool
#
# Every part NAME has build_part_NAME, start_part_NAME, clean_part_NAME (undo all it
# added; `down` runs it for every part) and about_part_NAME (one line for `status`).
# The parts that run are listed in $PARTS_FILE. Sourced, never run.
source "$LAB_DIR/build.sh"
for _part in "$LAB_DIR"/parts/*.sh; do source "$_part"; done
unset _part

PARTS_FILE="$STATE_DIR/parts"
ALL_PARTS=(netpol metrics ingress lb)

# The parts named by a --with value ("netpol,metrics"), checked; "all" means every part.
parse_parts() {
  local list=$1 part
  [[ $list == all ]] && list=$(IFS=,; echo "${ALL_PARTS[*]}")
  for part in ${list//,/ }; do
    [[ " ${ALL_PARTS[*]} " == *" $part "* ]] || die "unknown lab part '$part' (parts: ${ALL_PARTS[*]})"
    echo "$part"
  done
}

# A part's status line: NAME: WHAT while DAEMON's PIDFILE names a live process, else it says
# the daemon is not running and fails.   part_running NAME PIDFILE DAEMON WHAT
part_running() {
  running_pid "$2" >/dev/null && echo "$1: $4" || { echo "$1: $3 is not running"; return 1; }
}

# The parts that run now, one a line.
running_parts() { [[ -s "$PARTS_FILE" ]] && cat "$PARTS_FILE"; return 0; }

build_parts() { local part; for part in "$@"; do "build_part_$part"; done; }

# Start each part and record it, once the cluster answers. Parts add APIs: the lab
# kubectl's discovery cache starts afresh.
start_parts() {
  local part
  rm -rf "$KUBECTL_CACHE"
  for part in "$@"; do
    "start_part_$part"
    grep -qxF "$part" "$PARTS_FILE" 2>/dev/null || echo "$part" >>"$PARTS_FILE"
  done
}

clean_parts() { local part; for part in "${ALL_PARTS[@]}"; do "clean_part_$part"; done; rm -f "$PARTS_FILE"; }

# Set a reportgen.dev/ node label: what the cluster's facts read where no API object tells.
label_node() { "$K8S_BIN/kubectl" --kubeconfig "$KUBECONFIG_PATH" label node "$NODE_NAME" --overwrite "$@" >/dev/null; }
