# Certificates and kubeconfigs for the lab. Sourced by up.sh.

# Issue a client or server certificate signed by the lab CA.
# Usage: issue NAME SUBJECT [SAN-LIST]
issue() {
  local name=$1 subject=$2 san=${3:-}
  local dir="$STATE_DIR/pki"
  [[ -s "$dir/$name.crt" ]] && return
  openssl genrsa -out "$dir/$name.key" 2048 2>/dev/null
  openssl req -new -key "$dir/$name.key" -subj "$subject" -out "$dir/$name.csr" 2>/dev/null
  local ext="$dir/$name.ext"
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth,serverAuth\n' >"$ext"
  [[ -n "$san" ]] && printf 'subjectAltName=%s\n' "$san" >>"$ext"
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial \
    -days 3650 -extfile "$ext" -out "$dir/$name.crt" 2>/dev/null
  rm -f "$dir/$name.csr" "$ext"
}

# Write a kubeconfig for NAME's client certificate.
kubeconfig_for() {
  local name=$1 dir="$STATE_DIR/pki"
  cat >"$dir/$name.kubeconfig" <<KCFG
apiVersion: v1
kind: Config
clusters:
- name: reportgen-lab
  cluster:
    certificate-authority: $dir/ca.crt
    server: https://127.0.0.1:6443
users:
- name: $name
  user:
    client-certificate: $dir/$name.crt
    client-key: $dir/$name.key
contexts:
- name: reportgen-lab
  context: {cluster: reportgen-lab, user: $name, namespace: default}
current-context: reportgen-lab
KCFG
}

make_pki() {
  local dir="$STATE_DIR/pki" ip=$1
  mkdir -p "$dir"
  if [[ ! -s "$dir/ca.crt" ]]; then
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/ca.key" -out "$dir/ca.crt" \
      -days 3650 -subj "/CN=reportgen-lab-ca" 2>/dev/null
    openssl genrsa -out "$dir/sa.key" 2048 2>/dev/null
    openssl rsa -in "$dir/sa.key" -pubout -out "$dir/sa.pub" 2>/dev/null
  fi
  issue apiserver "/CN=kube-apiserver" \
    "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.$CLUSTER_DOMAIN,DNS:localhost,DNS:$NODE_NAME,IP:127.0.0.1,IP:10.96.0.1,IP:$ip"
  issue apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client"
  issue admin "/O=system:masters/CN=reportgen-lab-admin"
  issue front-proxy-client "/CN=front-proxy-client"  # the aggregation layer's client
  issue controller-manager "/CN=system:kube-controller-manager"
  issue scheduler "/CN=system:kube-scheduler"
  issue kube-proxy "/CN=system:kube-proxy"
  issue kubelet "/O=system:nodes/CN=system:node:$NODE_NAME" "DNS:$NODE_NAME,IP:127.0.0.1,IP:$ip"
  local who
  for who in admin controller-manager scheduler kube-proxy kubelet; do kubeconfig_for "$who"; done
}
