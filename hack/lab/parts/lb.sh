# Part lb: LoadBalancer Services get an address, from MetalLB's controller alone (no
# speaker: nothing is announced) and one IPAddressPool. kube-proxy already DNATs a
# Service's status.loadBalancer.ingress IPs; a route puts the pool on cni0, so the
# host reaches them without the default gateway, and REPORTGEN-LAB-CONTAIN drops what
# is still addressed to the pool after DNAT (an address no Service holds).
# The pool is in TEST-NET-3 (RFC 5737): no real host has it, and it overlaps neither
# the pod network, the service network nor eth0's.
# Sourced by parts.sh.
METALLB_BIN="$CACHE_ROOT/metallb-$METALLB_VERSION/bin"
METALLB_CRDS="$CACHE_ROOT/metallb-$METALLB_VERSION/crds.yaml"
LB_POOL="203.0.113.240/28"

build_part_lb() {
  GO_MOD_EDIT=metallb_replaces go_binary "$METALLB_BIN" controller go.universe.tf/metallb "$METALLB_VERSION" \
    go.universe.tf/metallb/controller
  [[ -s "$METALLB_CRDS" ]] && return
  local dir; dir=$(cd "$CACHE_ROOT/src/metallb-$METALLB_VERSION" && go list -m -f '{{.Dir}}' go.universe.tf/metallb)
  for f in "$dir"/config/crd/bases/*.yaml; do echo "---"; cat "$f"; done >"$METALLB_CRDS.tmp"
  mv "$METALLB_CRDS.tmp" "$METALLB_CRDS"
}

# It asks for frr-k8s $METALLB_FRR_K8S_WANTS, which the module proxy here does not serve.
metallb_replaces() {
  echo "replace github.com/metallb/frr-k8s => github.com/metallb/frr-k8s $METALLB_FRR_K8S_VERSION" >>"$1/go.mod"
}

start_part_lb() {
  local kubectl=("$K8S_BIN/kubectl" --kubeconfig "$KUBECONFIG_PATH")
  "${kubectl[@]}" apply --server-side -f "$METALLB_CRDS" >/dev/null
  sed "s#LB_POOL#$LB_POOL#" "$LAB_DIR/parts/lb.yaml" | "${kubectl[@]}" apply -f - >/dev/null
  ip route replace "$LB_POOL" dev cni0
  iptables -t mangle -C REPORTGEN-LAB-CONTAIN -d "$LB_POOL" -j DROP 2>/dev/null ||
    iptables -t mangle -A REPORTGEN-LAB-CONTAIN -d "$LB_POOL" -j DROP
  KUBECONFIG="$KUBECONFIG_PATH" start metallb-controller "$METALLB_BIN/controller" --namespace metallb-system \
    --webhook-mode disabled --disable-cert-rotation --port 7472
  wait_for "metallb controller" 60 "${kubectl[@]}" -n metallb-system get ipaddresspool lab-pool
  label_node reportgen.dev/load-balancer=metallb
}

clean_part_lb() {
  stop metallb-controller
  ip route del "$LB_POOL" dev cni0 2>/dev/null
  return 0
}

about_part_lb() {
  part_running lb "$RUN_DIR/metallb-controller.pid" "the metallb controller" \
    "metallb $METALLB_VERSION controller assigns LoadBalancer addresses from $LB_POOL"
}
