#!/usr/bin/env bash
# Install the Debian packages the lab cluster runs on. Idempotent; quiet when all are present.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PACKAGES=(containerd runc containernetworking-plugins iptables conntrack socat ethtool
          busybox-static nginx-light iproute2 kmod gcc libc6-dev procps psmisc openssl
          curl bzip2 make ipset)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  step "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian starts these on install; the lab runs its own instances.
  for svc in containerd nginx; do
    command -v systemctl >/dev/null && systemctl disable --now "$svc" >/dev/null 2>&1 || true
    pkill -x "$svc" 2>/dev/null || true
  done
fi
