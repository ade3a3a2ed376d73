#!/usr/bin/env bash
# Stop everything `up` started and remove what it left: processes, pods, mounts,
# network interfaces, iptables rules, cgroups and state. Only the build cache stays.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$LAB_DIR/parts.sh"
set +e

CRICTL=("$CRICTL_BIN/crictl" --runtime-endpoint "unix://$CONTAINERD_SOCK" --timeout 10s)

remove_pods() {
  [[ -S "$CONTAINERD_SOCK" ]] || return 0
  # Through CRI, so the CNI plugin releases each pod's veth, address and rules.
  "${CRICTL[@]}" rmp --force --all >/dev/null 2>&1
}

kill_leftovers() {
  pkill -KILL -f "containerd-shim-runc-v2.*$RUN_DIR" 2>/dev/null
  pkill -KILL -f "$CACHE_ROOT/" 2>/dev/null
}

clean_iptables() {
  [[ -x "$K8S_BIN/kube-proxy" ]] && "$K8S_BIN/kube-proxy" --cleanup >/dev/null 2>&1
  local save
  for save in iptables-save ip6tables-save; do
    local restore=${save/-save/-restore}
    $save | grep -qE 'KUBE-|CNI-|REPORTGEN-' || continue
    $save | grep -vE 'KUBE-|CNI-|REPORTGEN-' | $restore
  done
}

# Pod netns bind mounts may be stacked, or hidden under the /run/netns bind that
# `up` made: peel every layer, drop that bind (only if `up` made it), then the files.
clean_network() {
  local ns _
  for _ in 1 2 3; do
    for ns in /run/netns/cni-*; do
      [[ -e "$ns" ]] || continue
      while mountpoint -q "$ns"; do umount -l "$ns" 2>/dev/null || break; done
    done
    [[ -e "$RUN_DIR/netns-bind" ]] && mountpoint -q /run/netns && umount -l /run/netns
  done
  rm -f /run/netns/cni-*
  # libcni's result cache: our network's entries, and the loopback ones of the same sandboxes.
  local cached id
  for cached in /var/lib/cni/results/reportgen-lab-*; do
    [[ -e "$cached" ]] || continue
    id=${cached#/var/lib/cni/results/reportgen-lab-}
    rm -f "$cached" "/var/lib/cni/results/cni-loopback-${id%-eth0}-lo"
  done
  # contain_network's routes go with cni0; delete them by name in case cni0 is gone.
  ip route del "$SERVICE_CIDR" dev cni0 2>/dev/null
  ip route del "$POD_CIDR" dev cni0 2>/dev/null
  ip link del cni0 2>/dev/null
  ip -o link show type veth 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 | grep '^veth' |
    while read -r dev; do ip link del "$dev" 2>/dev/null; done
}

unmount_under() {
  local dir=$1
  [[ -d "$dir" ]] || return 0
  # Deepest first, so nested mounts go before their parents.
  awk -v d="$dir" '$2 == d || index($2, d "/") == 1 {print $2}' /proc/self/mounts | sort -r |
    while read -r m; do umount -l "$m" 2>/dev/null; done
}

clean_cgroups() {
  local root
  for root in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/*/kubepods.slice; do
    [[ -d "$root" ]] || continue
    find "$root" -depth -type d -exec rmdir {} + 2>/dev/null
  done
}

main() {
  [[ $EUID -eq 0 ]] || die "run as root"
  step "stopping the lab cluster"
  clean_parts
  stop kubelet
  remove_pods
  stop kube-proxy
  stop kube-scheduler
  stop kube-controller-manager
  stop kube-apiserver
  stop etcd
  stop containerd
  kill_leftovers
  clean_iptables
  clean_network
  unmount_under "$RUN_DIR"
  unmount_under "$STATE_DIR"
  clean_cgroups
  rm -rf "$RUN_DIR" "$STATE_DIR"
  step "lab is down"
}

main "$@"
