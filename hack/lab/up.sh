#!/usr/bin/env bash
# Bring the lab cluster up: build what is missing, then start every component.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$LAB_DIR/pki.sh"
source "$LAB_DIR/configs.sh"
source "$LAB_DIR/images.sh"
source "$LAB_DIR/parts.sh"

KUBECTL=("$K8S_BIN/kubectl" --kubeconfig "$KUBECONFIG_PATH")
T0=$SECONDS

# Poll COMMAND until it succeeds or TIMEOUT seconds pass.
wait_for() {
  local what=$1 timeout=$2; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "timed out after ${timeout}s waiting for $what (logs: $LOG_DIR)"
    sleep 0.5
  done
  log "$what ready (+$((SECONDS - T0))s)"
}

prepare_host() {
  sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1 net.bridge.bridge-nf-call-ip6tables=1
  mkdir -p "$STATE_DIR" "$LOG_DIR" "$RUN_DIR/containerd" /run/netns
  # Pod network namespaces are bind mounts under /run/netns. Make it a shared mount
  # point first, as `ip netns add` would: if iproute2 did it later, above live pod
  # mounts, containerd could no longer remove them ("unlinkat ...: device or resource busy").
  if ! mountpoint -q /run/netns; then
    mount --bind /run/netns /run/netns
    mount --make-shared /run/netns
    touch "$RUN_DIR/netns-bind"  # so `down` knows the bind is ours to remove
  fi
}

start_control_plane() {
  local pki="$STATE_DIR/pki" ip=$1
  start etcd "$ETCD_BIN/etcd" --name lab --data-dir "$STATE_DIR/etcd" \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster lab=http://127.0.0.1:2380 --listen-metrics-urls http://127.0.0.1:2381
  start kube-apiserver "$K8S_BIN/kube-apiserver" --etcd-servers http://127.0.0.1:2379 \
    --advertise-address "$ip" --bind-address 0.0.0.0 --secure-port 6443 \
    --service-cluster-ip-range "$SERVICE_CIDR" --allow-privileged=true \
    --authorization-mode Node,RBAC --client-ca-file "$pki/ca.crt" \
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
    --kubelet-client-certificate "$pki/apiserver-kubelet-client.crt" \
    --kubelet-client-key "$pki/apiserver-kubelet-client.key" \
    --service-account-issuer "https://kubernetes.default.svc.$CLUSTER_DOMAIN" \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
    --kubelet-preferred-address-types InternalIP --enable-priority-and-fairness=false --profiling=false \
    --requestheader-client-ca-file "$pki/ca.crt" --requestheader-allowed-names front-proxy-client \
    --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
    --requestheader-extra-headers-prefix X-Remote-Extra- --enable-aggregator-routing=true \
    --proxy-client-cert-file "$pki/front-proxy-client.crt" --proxy-client-key-file "$pki/front-proxy-client.key"
  wait_for "kube-apiserver" 90 "${KUBECTL[@]}" get --raw /readyz
  start kube-controller-manager "$K8S_BIN/kube-controller-manager" \
    --kubeconfig "$pki/controller-manager.kubeconfig" --leader-elect=false \
    --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
    --cluster-signing-cert-file "$pki/ca.crt" --cluster-signing-key-file "$pki/ca.key" \
    --use-service-account-credentials=true --allocate-node-cidrs=true \
    --cluster-cidr "$POD_CIDR" --node-cidr-mask-size 24 --service-cluster-ip-range "$SERVICE_CIDR" \
    --bind-address 127.0.0.1 --profiling=false
  start kube-scheduler "$K8S_BIN/kube-scheduler" --kubeconfig "$pki/scheduler.kubeconfig" \
    --leader-elect=false --bind-address 127.0.0.1 --profiling=false
}

start_node() {
  local ip=$1
  start containerd containerd --config "$STATE_DIR/containerd/config.toml"
  wait_for "containerd" 30 ctr --address "$CONTAINERD_SOCK" version
  import_images
  start kubelet "$K8S_BIN/kubelet" --config "$STATE_DIR/kubelet/config.yaml" \
    --kubeconfig "$STATE_DIR/pki/kubelet.kubeconfig" --root-dir "$STATE_DIR/kubelet/root" \
    --hostname-override "$NODE_NAME" --node-ip "$ip" --cert-dir "$STATE_DIR/pki" \
    --node-labels "reportgen.dev/lab=$K8S_VERSION,reportgen.dev/egress=blocked,reportgen.dev/cni=bridge,reportgen.dev/load-balancer=none,reportgen.dev/network-policy=none"
  start kube-proxy "$K8S_BIN/kube-proxy" --config "$STATE_DIR/kube-proxy/config.yaml"
}

# Keep every packet on this machine. Pods may reach pods on this node, Services
# that kube-proxy has DNATed to them, and this machine; nothing else.
#  - Routes put the whole service and pod networks on the bridge, so no lookup for
#    them ever falls through to the default gateway. (A blackhole route would break
#    host-to-ClusterIP traffic: the lookup fails before OUTPUT's DNAT.)
#  - After DNAT, a destination still in the service network, or in the pod network
#    but off this node's /24, was never programmed: REPORTGEN-LAB-CONTAIN drops it,
#    for host and pod traffic alike, and counts it. REPORTGEN-LAB-EGRESS drops what
#    pods send anywhere but this node's pods (to this machine itself is INPUT, not here).
contain_network() {
  # The bridge CNI plugin adopts an existing cni0; creating it now lets the routes
  # exist before the first pod does.
  ip link show cni0 >/dev/null 2>&1 || ip link add cni0 type bridge
  ip addr replace "${NODE_POD_CIDR%.*}.1/${NODE_POD_CIDR#*/}" dev cni0
  ip link set cni0 up
  ip route replace "$SERVICE_CIDR" dev cni0
  ip route replace "$POD_CIDR" dev cni0
  # In the mangle table, after every DNAT and ahead of the filter table, so that nothing
  # in filter FORWARD (kube-router's ACCEPTs, for one) can let a packet past: CONTAIN in
  # POSTROUTING (host and pod traffic), EGRESS in FORWARD (pod traffic).
  local chain
  for chain in REPORTGEN-LAB-CONTAIN REPORTGEN-LAB-EGRESS; do
    iptables -t mangle -N "$chain" 2>/dev/null || iptables -t mangle -F "$chain"
  done
  iptables -t mangle -A REPORTGEN-LAB-CONTAIN -d "$NODE_POD_CIDR" -j RETURN
  iptables -t mangle -A REPORTGEN-LAB-CONTAIN -d "$SERVICE_CIDR" -j DROP
  iptables -t mangle -A REPORTGEN-LAB-CONTAIN -d "$POD_CIDR" -j DROP
  iptables -t mangle -A REPORTGEN-LAB-EGRESS -d "$NODE_POD_CIDR" -j RETURN
  iptables -t mangle -A REPORTGEN-LAB-EGRESS -j DROP
  # Forwarded only: the host's own packets may carry cni0's address (10.244.0.1) as their source.
  iptables -t mangle -C FORWARD -s "$POD_CIDR" -j REPORTGEN-LAB-EGRESS 2>/dev/null ||
    iptables -t mangle -I FORWARD 1 -s "$POD_CIDR" -j REPORTGEN-LAB-EGRESS
  iptables -t mangle -C POSTROUTING -j REPORTGEN-LAB-CONTAIN 2>/dev/null ||
    iptables -t mangle -I POSTROUTING 1 -j REPORTGEN-LAB-CONTAIN
}

node_ready() {
  [[ $("${KUBECTL[@]}" get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}') == True ]]
}

# True when some component `up` started is still running.
any_alive() {
  local pidfile
  for pidfile in "$RUN_DIR"/*.pid; do
    running_pid "$pidfile" >/dev/null && return 0
  done
  return 1
}

# The parts asked for with --with LIST (parts.sh), one a line.
wanted_parts() {
  case "${1:-}" in
    "") return 0 ;;
    --with) [[ -n "${2:-}" ]] || die "--with needs a list, e.g. --with netpol,metrics"; parse_parts "$2" ;;
    --with=*) parse_parts "${1#--with=}" ;;
    *) die "unknown option '$1' (usage: hack/labcluster up [--with PART,...])" ;;
  esac
}

main() {
  [[ $EUID -eq 0 ]] || die "the lab runs containers and edits iptables: run as root"
  local parts; parts=$(wanted_parts "$@") || exit 2
  parts=$(printf '%s\n' $parts $(running_parts) | awk 'NF && !seen[$0]++')  # and restart any that died
  if "$LAB_DIR/status.sh" --core >/dev/null 2>&1; then
    log "lab is already up"
    # shellcheck disable=SC2086
    build_parts $parts && start_parts $parts
    return
  fi
  # State with nothing running is what a killed session leaves: start from clean.
  # With some components alive, `up` restarts only the missing ones.
  if [[ -d "$STATE_DIR" ]] && ! any_alive; then
    log "clearing the remains of an earlier lab"
    bash "$LAB_DIR/down.sh"
  fi
  bash "$LAB_DIR/deps.sh"
  bash "$LAB_DIR/build.sh"
  # shellcheck disable=SC2086
  build_parts $parts
  build_images
  step "starting the lab cluster (state: $STATE_DIR)"
  local ip; ip=$(node_ip)
  [[ -n "$ip" ]] || die "no global IPv4 address on this machine to advertise"
  prepare_host
  make_pki "$ip"
  write_containerd_config
  write_cni_config
  write_kubelet_config
  write_proxy_config
  contain_network
  start_control_plane "$ip"
  start_node "$ip"
  wait_for "node $NODE_NAME" 90 node_ready
  sed "s/COREDNS_VERSION/$COREDNS_VERSION/" "$LAB_DIR/coredns.yaml" | "${KUBECTL[@]}" apply -f - >/dev/null
  wait_for "CoreDNS" 90 "${KUBECTL[@]}" -n kube-system rollout status deployment/coredns --timeout=2s
  wait_for "cluster DNS" 30 "$LAB_DIR/status.sh" --core
  # shellcheck disable=SC2086
  start_parts $parts
  step "lab is up in $((SECONDS - T0))s — kubeconfig: $KUBECONFIG_PATH"
}

main "$@"
