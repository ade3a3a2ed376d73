# Shared settings for the lab cluster scripts. Sourced, never run.
set -euo pipefail

LAB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$LAB_DIR/versions.env"

CACHE_ROOT="${REPORTGEN_LAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/reportgen-lab}"
K8S_BIN="$CACHE_ROOT/kubernetes-$K8S_VERSION/bin"
ETCD_BIN="$CACHE_ROOT/etcd-$ETCD_VERSION/bin"
COREDNS_BIN="$CACHE_ROOT/coredns-$COREDNS_VERSION/bin"
CRICTL_BIN="$CACHE_ROOT/cri-tools-$CRI_TOOLS_VERSION/bin"
BUSYBOX_BIN="$CACHE_ROOT/busybox-$BUSYBOX_VERSION/bin"
IMAGES_DIR="$CACHE_ROOT/images-$K8S_VERSION-$COREDNS_VERSION-busybox$BUSYBOX_VERSION"

STATE_DIR="${REPORTGEN_LAB_STATE:-/var/lib/reportgen-lab}"
RUN_DIR="/run/reportgen-lab"
LOG_DIR="$STATE_DIR/logs"
KUBECONFIG_PATH="$STATE_DIR/pki/admin.kubeconfig"
KUBECTL_CACHE="$STATE_DIR/kubectl-cache"  # `labcluster kubectl`'s discovery: it lives as long as the lab

POD_CIDR="10.244.0.0/16"
NODE_POD_CIDR="10.244.0.0/24"
SERVICE_CIDR="10.96.0.0/12"
DNS_IP="10.96.0.10"
NODE_NAME="labnode"
CLUSTER_DOMAIN="cluster.local"

log() { printf '\033[1;34m[lab]\033[0m %s\n' "$*" >&2; }
step() { printf '\033[1;32m[lab]\033[0m ==> %s\n' "$*" >&2; }
die() { printf '\033[1;31m[lab] error:\033[0m %s\n' "$*" >&2; exit 1; }

# True when PID runs. A killed process whose parent never reaps it (this VM's init
# does not) stays a zombie that `kill -0` still finds: that counts as dead.
alive() {
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n "$state" && "$state" != Z && "$state" != X ]]
}

# The PID in a pid file, when that process runs.
running_pid() {
  [[ -s "$1" ]] && alive "$(cat "$1")" && cat "$1"
}

# The machine's primary IPv4 address: the node and API server advertise it.
node_ip() {
  ip -4 -o addr show scope global | awk '$2 !~ /^(cni|veth|lab|kube)/ {split($4,a,"/"); print a[1]; exit}'
}
# Start a component in its own session unless it already runs.
start() {
  local name=$1; shift
  local pidfile="$RUN_DIR/$name.pid"
  if running_pid "$pidfile" >/dev/null; then return; fi
  setsid "$@" >"$LOG_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
}

# Stop a component by its pid file: TERM, then KILL after 10 s.
stop() {
  local pidfile="$RUN_DIR/$1.pid" pid
  [[ -s "$pidfile" ]] || return 0
  pid=$(cat "$pidfile")
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 100); do alive "$pid" || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

CONTAINERD_SOCK="$RUN_DIR/containerd/containerd.sock"
