#!/usr/bin/env bash
# Runs every test, after installing (once, idempotently) the stock tools the tests run against.
# Usage: ./test.sh [extra maven args]    e.g. ./test.sh -Dferry.fast=true   (skips tests tagged "slow")
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the tests use: stock tools for interop (zstd, openssl, tar, coreutils), real peers for the
# self-tests (tinyproxy, openssh-server), network namespaces (iproute2), unit checks (systemd-analyze), a real
# systemd booted in a container (systemd-container), the installer's .deb checked by lintian.
packages=(zstd openssl tar coreutils util-linux iproute2 tinyproxy openssh-server systemd procps curl ansible-core openssh-client softhsm2 opensc python3-pykcs11 python3 systemd-container lintian)
# A shifted clock for the date check below (faketime).
packages+=(faketime)
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

started=$(mktemp)
trap 'rm -f "$started"' EXIT
mvn -B -ntp verify "$@"

# No test may depend on today's date: the fast tests of every module but the end-to-end ones run again with their JVM's
# clock 1000 days ahead (libfaketime; bundle's ClockShiftRunTest proves the shift took). A test that verifies a fixed
# date against the system clock fails here years before it would fail for everyone.
faketime_lib=$(dpkg -L libfaketime 2>/dev/null | grep '/libfaketime\.so\.1$' | head -1)
mvn -B -ntp -o test -pl '!dist,!e2e' -Dferry.fast=true -Dferry.clockShiftDays=1000 "-Dferry.faketimeLib=$faketime_lib"

# With CI set, a skipped test fails the build.
if [ -n "${CI:-}" ]; then
  .ci/no-skipped-tests.sh "$started"
fi
