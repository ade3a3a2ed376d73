# Part ingress: an ingress class and a Gateway class, served by Traefik on the host
# (its Kubernetes Ingress and Gateway API providers), and the Gateway API's standard
# CRDs. Pods reach it through the Service traefik/traefik, whose Endpoints name the
# node's address. Traefik's version check and usage report are off: nothing leaves.
# Sourced by parts.sh.
TRAEFIK_BIN="$CACHE_ROOT/traefik-$TRAEFIK_VERSION/bin"
GATEWAY_CRDS="$CACHE_ROOT/gateway-api-$GATEWAY_API_VERSION/standard-install.yaml"
TRAEFIK_PORT=8000

build_part_ingress() {
  build_gateway_crds
  GO_MOD_EDIT=traefik_replaces go_binary "$TRAEFIK_BIN" traefik github.com/traefik/traefik/v3 "$TRAEFIK_VERSION" \
    github.com/traefik/traefik/v3/cmd/traefik
}

# Traefik's replace and exclude lines stop a plain `go install`: the wrapper copies them.
traefik_replaces() {
  local gomod
  gomod=$(cd "$1" && go mod download -json "github.com/traefik/traefik/v3@$TRAEFIK_VERSION" |
    sed -n 's/.*"GoMod": "\(.*\)",/\1/p')
  sed -n '/^replace (/,/^)/p; /^exclude /p' "$gomod" >>"$1/go.mod"
}

# The standard channel's CRDs, from the sigs.k8s.io/gateway-api module, as one file.
build_gateway_crds() {
  [[ -s "$GATEWAY_CRDS" ]] && return
  local src="$CACHE_ROOT/src/gateway-api-$GATEWAY_API_VERSION" dir
  wrapper_module "$src" sigs.k8s.io/gateway-api "$GATEWAY_API_VERSION"
  dir=$(cd "$src" && go mod download -json "sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION" |
    sed -n 's/.*"Dir": "\(.*\)",/\1/p')
  mkdir -p "$(dirname "$GATEWAY_CRDS")"
  for f in "$dir"/config/crd/standard/*.yaml; do echo "---"; cat "$f"; done >"$GATEWAY_CRDS.tmp"
  mv "$GATEWAY_CRDS.tmp" "$GATEWAY_CRDS"
}

start_part_ingress() {
  local ip kubectl=("$K8S_BIN/kubectl" --kubeconfig "$KUBECONFIG_PATH") cluster_ip
  ip=$(node_ip)
  "${kubectl[@]}" apply --server-side -f "$GATEWAY_CRDS" >/dev/null
  sed -e "s/NODE_IP/$ip/" -e "s/TRAEFIK_PORT/$TRAEFIK_PORT/" "$LAB_DIR/parts/ingress.yaml" |
    "${kubectl[@]}" apply -f - >/dev/null
  cluster_ip=$("${kubectl[@]}" -n traefik get service traefik -o jsonpath='{.spec.clusterIP}')
  KUBECONFIG="$KUBECONFIG_PATH" start traefik "$TRAEFIK_BIN/traefik" \
    --global.checkNewVersion=false --global.sendAnonymousUsage=false \
    --entryPoints.web.address="$ip:$TRAEFIK_PORT" --ping=true --ping.entryPoint=web \
    --providers.kubernetesIngress=true --providers.kubernetesIngress.ingressEndpoint.ip="$cluster_ip" \
    --providers.kubernetesGateway=true --providers.kubernetesGateway.statusAddress.ip="$cluster_ip" \
    --log.level=INFO
  wait_for "traefik" 60 busybox wget -q -O /dev/null "http://$ip:$TRAEFIK_PORT/ping"
  wait_for "GatewayClass traefik" 60 "${kubectl[@]}" wait --for=condition=Accepted gatewayclass/traefik --timeout=1s
}

clean_part_ingress() { stop traefik; }  # its API objects and CRDs go with the cluster's state

about_part_ingress() {
  part_running ingress "$RUN_DIR/traefik.pid" "traefik" \
    "traefik $TRAEFIK_VERSION serves IngressClass and GatewayClass traefik (Gateway API $GATEWAY_API_VERSION)"
}
