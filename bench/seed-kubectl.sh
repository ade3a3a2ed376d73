#!/usr/bin/env bash
# The seed lab (scenarios/services.yaml) as a person would run it by hand with kubectl: the baseline that
# bench/run times reportgen's end to end against. Same manifests, waits, gets, execs, port-forward; then
# `delete namespace --wait`, as reportgen's cleanup waits until the namespace is gone.
#
#   bench/seed-kubectl.sh KUBECTL NAMESPACE      (KUBECTL may carry flags: "kubectl --kubeconfig F")
set -euo pipefail
KUBECTL=($1)
NS=$2
SCENARIO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/scenarios/services"
k() { "${KUBECTL[@]}" -n "$NS" "$@"; }
shell_pod() {  # the scenario's inline busybox pods
  printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: %s, labels: {app: test}}\nspec:\n  containers:\n' "$1"
  printf '    - {name: shell, image: "busybox:1.36", command: [sleep, "3600"]}\n'
}
until_ok() { for _ in $(seq 1 90); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done; return 1; }

"${KUBECTL[@]}" create namespace "$NS" >/dev/null
FORWARD=
trap '[[ -z $FORWARD ]] || kill "$FORWARD" 2>/dev/null || true; "${KUBECTL[@]}" delete namespace "$NS" --wait >/dev/null' EXIT

# externalname
k apply -f "$SCENARIO/externalname.yaml" >/dev/null
shell_pod test-pod | k apply -f - >/dev/null
k wait --for=condition=Ready pod/test-pod --timeout=120s >/dev/null
k get svc mysql-external
k exec test-pod -- nslookup "github-api-external.$NS.svc.cluster.local" || true

# clusterip
k apply -f "$SCENARIO/clusterip.yaml" >/dev/null
k rollout status deployment/backend-app --timeout=180s >/dev/null
until_ok sh -c "[ \"\$(${KUBECTL[*]} -n $NS get endpoints backend-service -o jsonpath='{.subsets[*].addresses[*].ip}' | wc -w)\" -ge 3 ]"
until_ok k exec test-pod -- nc -z -w 2 backend-service 8080
k get pods -l app=backend -o wide
k get svc backend-service
k get endpoints backend-service
k exec test-pod -- sh -c "for i in 1 2 3 4 5; do wget -qO- backend-service:8080 | grep '<h1>'; done"
"${KUBECTL[@]}" -n "$NS" port-forward svc/backend-service 18080:8080 >/dev/null 2>&1 &
FORWARD=$!  # kubectl itself, so that kill ends it (a function would run it in a subshell)
until_ok curl -sf http://127.0.0.1:18080/
curl -s http://127.0.0.1:18080/ | head -3
kill "$FORWARD"; wait "$FORWARD" 2>/dev/null || true
k get service/backend-service -o json >/dev/null   # what reportgen's checks read
k get endpoints/backend-service -o json >/dev/null

# headless
k apply -f "$SCENARIO/headless.yaml" >/dev/null
shell_pod dns-test | k apply -f - >/dev/null
k rollout status statefulset/mongodb --timeout=180s >/dev/null
k wait --for=condition=Ready pod/dns-test --timeout=120s >/dev/null
until_ok sh -c "[ \"\$(${KUBECTL[*]} -n $NS get endpoints mongodb-headless -o jsonpath='{.subsets[*].addresses[*].ip}' | wc -w)\" -ge 3 ]"
k get pods -l app=mongodb -o wide
k get svc | grep mongodb
for name in "mongodb-headless.$NS.svc.cluster.local" "mongodb-clusterip.$NS.svc.cluster.local" \
            "mongodb-0.mongodb-headless.$NS.svc.cluster.local" "mongodb-1.mongodb-headless.$NS.svc.cluster.local" \
            "mongodb-2.mongodb-headless.$NS.svc.cluster.local" mongodb-headless; do
  k exec dns-test -- nslookup "$name" || true
done
