#!/usr/bin/env bash
# Exit 0 only when the API server answers, the node is Ready, cluster DNS answers and
# every part `up --with` started still runs (`status.sh --core`: the cluster alone).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$LAB_DIR/parts.sh"

KUBECTL=("$K8S_BIN/kubectl" --kubeconfig "$KUBECONFIG_PATH" --request-timeout=5s)
fail() { echo "lab: $*"; exit 1; }

[[ -s "$KUBECONFIG_PATH" ]] || fail "down (no kubeconfig at $KUBECONFIG_PATH)"
"${KUBECTL[@]}" get --raw /readyz >/dev/null 2>&1 || fail "API server does not answer"
ready=$("${KUBECTL[@]}" get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)
[[ "$ready" == True ]] || fail "node $NODE_NAME is not Ready"
busybox nslookup "kubernetes.default.svc.$CLUSTER_DOMAIN" "$DNS_IP" >/dev/null 2>&1 ||
  fail "cluster DNS at $DNS_IP does not answer"
echo "lab: up — API server, node $NODE_NAME Ready, DNS at $DNS_IP"
[[ "${1:-}" == --core ]] && exit 0
broken=0
for part in $(running_parts); do
  "about_part_$part" | sed 's/^/lab: part /'
  "about_part_$part" >/dev/null || broken=1
done
exit $broken
