# Part netpol: NetworkPolicy enforcement by kube-router, its firewall controller only
# (--run-firewall, as k3s embeds it): iptables chains KUBE-ROUTER-* and ipsets KUBE-*.
# sigs.k8s.io/kube-network-policies was tried first: it needs nftables' `queue`
# expression (NFQUEUE), which this machine's kernel does not have.
# Sourced by parts.sh.
KUBE_ROUTER_BIN="$CACHE_ROOT/kube-router-$KUBE_ROUTER_VERSION/bin"

build_part_netpol() {
  go_binary "$KUBE_ROUTER_BIN" kube-router github.com/cloudnativelabs/kube-router/v2 "$KUBE_ROUTER_VERSION" \
    github.com/cloudnativelabs/kube-router/v2/cmd/kube-router
}

start_part_netpol() {
  start kube-router "$KUBE_ROUTER_BIN/kube-router" --kubeconfig "$KUBECONFIG_PATH" \
    --hostname-override "$NODE_NAME" --run-firewall=true --run-router=false --run-service-proxy=false \
    --enable-cni=false --enable-ipv6=false --health-port 0
  wait_for "kube-router" 60 iptables -S KUBE-ROUTER-FORWARD
  label_node reportgen.dev/network-policy=kube-router
}

# Its chains (KUBE-ROUTER-*, KUBE-NWPLCY-*, KUBE-POD-FW-*) and ipsets. Not with
# `kube-router --cleanup-config`: v2.1.0 panics when only the firewall ran.
clean_part_netpol() {
  stop kube-router
  local chains='KUBE-ROUTER-|KUBE-NWPLCY-|KUBE-POD-FW-|kube-router netpol' rules
  rules=$(iptables-save)
  grep -qE "$chains" <<<"$rules" && grep -vE "$chains" <<<"$rules" | iptables-restore
  local set
  for set in $(ipset list -n 2>/dev/null | grep -E '^KUBE-'); do ipset destroy "$set" 2>/dev/null; done
  return 0
}

about_part_netpol() {
  part_running netpol "$RUN_DIR/kube-router.pid" "kube-router" \
    "kube-router $KUBE_ROUTER_VERSION enforces NetworkPolicy"
}
