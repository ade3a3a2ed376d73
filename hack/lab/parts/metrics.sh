# Part metrics: the metrics API (`kubectl top`) from metrics-server, run on the host like
# the control plane, behind the API server's aggregation layer. The API server reaches
# it at the node's address (a Service without selector, its Endpoints set by hand); it
# scrapes the kubelet over TLS, checking the kubelet's serving certificate against the
# lab's CA (pki.sh issues it for the node's InternalIP).
# Sourced by parts.sh.
METRICS_SERVER_BIN="$CACHE_ROOT/metrics-server-$METRICS_SERVER_VERSION/bin"
METRICS_PORT=4443

build_part_metrics() {
  go_binary "$METRICS_SERVER_BIN" metrics-server sigs.k8s.io/metrics-server "$METRICS_SERVER_VERSION" \
    sigs.k8s.io/metrics-server/cmd/metrics-server
}

start_part_metrics() {
  local pki="$STATE_DIR/pki" ip; ip=$(node_ip)
  issue metrics-server "/CN=metrics-server" "DNS:metrics-server.kube-system.svc,IP:$ip"
  start metrics-server "$METRICS_SERVER_BIN/metrics-server" --bind-address "$ip" --secure-port "$METRICS_PORT" \
    --tls-cert-file "$pki/metrics-server.crt" --tls-private-key-file "$pki/metrics-server.key" \
    --kubeconfig "$pki/admin.kubeconfig" --authentication-kubeconfig "$pki/admin.kubeconfig" \
    --authorization-kubeconfig "$pki/admin.kubeconfig" --kubelet-preferred-address-types InternalIP \
    --kubelet-certificate-authority "$pki/ca.crt" --metric-resolution 15s
  sed -e "s/NODE_IP/$ip/" -e "s/METRICS_PORT/$METRICS_PORT/" -e "s/CA_BUNDLE/$(base64 -w0 "$pki/ca.crt")/" \
    "$LAB_DIR/parts/metrics.yaml" | "$K8S_BIN/kubectl" --kubeconfig "$KUBECONFIG_PATH" apply -f - >/dev/null
  wait_for "the metrics API" 90 "$K8S_BIN/kubectl" --kubeconfig "$KUBECONFIG_PATH" top node "$NODE_NAME"
}

clean_part_metrics() { stop metrics-server; }  # its API objects go with the cluster's state

about_part_metrics() {
  part_running metrics "$RUN_DIR/metrics-server.pid" "metrics-server" \
    "metrics-server $METRICS_SERVER_VERSION serves metrics.k8s.io (kubectl top)"
}
