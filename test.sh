#!/usr/bin/env bash
# Runs every test, after installing (once, idempotently) the stock tools the tests run against.
# Usage: ./test.sh [extra maven args]    e.g. ./test.sh -Dferry.fast=true   (skips tests tagged "slow")
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the tests use: stock tools for interop (zstd, openssl, tar, coreutils), real peers for the
# self-tests (tinyproxy, openssh-server), network namespaces (iproute2), unit checks (systemd-analyze), a real
# systemd booted in a container (systemd-container), the installer's .deb checked by lintian.
packages=(zstd openssl tar coreutils util-linux iproute2 tinyproxy openssh-server systemd procps curl ansible-core openssh-client softhsm2 opensc python3-pykcs11 systemd-container dpkg-dev lintian)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}" >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

exec mvn -B -ntp verify "$@"
