# Config files for containerd, CNI, kubelet and kube-proxy. Sourced by up.sh.

write_containerd_config() {
  local dir="$STATE_DIR/containerd"
  mkdir -p "$dir/certs.d" "$STATE_DIR/cni/net.d"
  # Every registry the lab might be asked for resolves to a closed loopback port:
  # a missing image fails fast and no pull ever leaves this machine.
  local reg
  for reg in docker.io registry.k8s.io quay.io ghcr.io gcr.io k8s.gcr.io registry-1.docker.io; do
    mkdir -p "$dir/certs.d/$reg"
    printf 'server = "http://127.0.0.1:1"\n[host."http://127.0.0.1:1"]\n  capabilities = ["pull", "resolve"]\n' \
      >"$dir/certs.d/$reg/hosts.toml"
  done
  cat >"$dir/config.toml" <<TOML
version = 2
root = "$dir/root"
state = "$RUN_DIR/containerd/state"
[grpc]
  address = "$CONTAINERD_SOCK"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "registry.k8s.io/pause:$PAUSE_VERSION"
  # This VM's root lacks CAP_SYS_RESOURCE, so no process may lower its OOM score
  # (runc: "failed to update /proc/self/oom_score_adj: Permission denied").
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$STATE_DIR/cni/net.d"
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$dir/certs.d"
TOML
}

write_cni_config() {
  cat >"$STATE_DIR/cni/net.d/10-reportgen-lab.conflist" <<JSON
{
  "cniVersion": "1.0.0",
  "name": "reportgen-lab",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "cni0",
      "isGateway": true,
      "ipMasq": true,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$STATE_DIR/cni/ipam",
        "ranges": [[{"subnet": "$NODE_POD_CIDR"}]],
        "routes": [{"dst": "0.0.0.0/0"}]
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
JSON
}

write_kubelet_config() {
  mkdir -p "$STATE_DIR/kubelet"
  # Pods with dnsPolicy Default get this: no resolver off the machine.
  printf 'nameserver 127.0.0.1\n' >"$STATE_DIR/resolv.conf"
  cat >"$STATE_DIR/kubelet/config.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $STATE_DIR/pki/ca.crt}
authorization: {mode: Webhook}
cgroupDriver: cgroupfs
oomScoreAdj: 0
failCgroupV1: false
failSwapOn: false
clusterDomain: $CLUSTER_DOMAIN
clusterDNS: [$DNS_IP]
resolvConf: $STATE_DIR/resolv.conf
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
imageServiceEndpoint: unix://$CONTAINERD_SOCK
tlsCertFile: $STATE_DIR/pki/kubelet.crt
tlsPrivateKeyFile: $STATE_DIR/pki/kubelet.key
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%"}
imageGCHighThresholdPercent: 100
enforceNodeAllocatable: []
cgroupsPerQOS: true
serializeImagePulls: false
nodeStatusUpdateFrequency: 4s
syncFrequency: 10s
YAML
}

write_proxy_config() {
  mkdir -p "$STATE_DIR/kube-proxy"
  cat >"$STATE_DIR/kube-proxy/config.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clusterCIDR: $POD_CIDR
hostnameOverride: $NODE_NAME
clientConnection: {kubeconfig: $STATE_DIR/pki/kube-proxy.kubeconfig}
conntrack: {maxPerCore: 0}
iptables: {syncPeriod: 10s, minSyncPeriod: 0s}
YAML
}
