#!/bin/sh
# Ferry kit: @NAME@ @VERSION@ for linux-x64. One file to carry into an isolated network.
# It holds a self-contained installer (no Java needed on the host) with its trusted keys, and the signed bundle,
# as a tar.gz appended after this script. Needs only sh, tar, gzip and coreutils.
#
# Mode 0600 on purpose (it holds secrets): run it with sh, it needs no execute bit.
#   sh THIS.run install [installer flags]   install the bundle (flags as for `installer install`)
#   sh THIS.run extract DIR                 only unpack: DIR/installer/bin/installer and DIR/bundle/
#   sh THIS.run --help                      this help
set -u
# The kit holds the bundle, so the token and the proxy password: whatever it unpacks is for its owner only.
umask 077

KIT_NAME='@NAME@'
KIT_VERSION='@VERSION@'
BUNDLE_FILE='@BUNDLE_FILE@'
PAYLOAD_SHA256='@PAYLOAD_SHA256@'
PAYLOAD_SIZE=@PAYLOAD_SIZE@
PAYLOAD_OFFSET=@PAYLOAD_OFFSET@

# Exit codes as the installer's: 2 usage, 3 verification failed, 4 the host does not fit (preflight).
kit=$0
me=$(basename "$kit")

usage() {
  cat <<USAGE
Ferry kit: $KIT_NAME $KIT_VERSION (linux-x64)

Usage:
  sh $me install [installer flags]   verify this kit, then run: installer install --bundle $BUNDLE_FILE [flags]
  sh $me extract DIR                 verify this kit and only unpack it into DIR
  sh $me --help                      print this help

Installer flags include --root DIR, --service-manager auto|systemd|process|none, --trust PUB,
--ignore-preflight CHECK,..., --skip-selftest and --json; see: sh $me extract DIR && DIR/installer/bin/installer install --help
The exit code is the installer's. Needs only sh, tar, gzip and coreutils: no Java on the host.
This kit holds the bundle's token and proxy password: keep it mode 0600 (run it with sh, not ./).
USAGE
}

fail() {
  echo "$me: $2" >&2
  exit "$1"
}

check_host() {
  os=$(uname -s)
  arch=$(uname -m)
  [ "$os" = Linux ] || fail 4 "this kit is for Linux x86_64; this host runs $os: use the kit built for it"
  [ "$arch" = x86_64 ] || fail 4 "this kit is for Linux x86_64; this host is $arch: use the kit built for it"
}

# Unpacked, the payload needs about three times its compressed size (the copy, the unpacked image, the bundle).
check_space() {
  needed_kb=$(( PAYLOAD_SIZE * 3 / 1024 + 1 ))
  free_kb=$(df -Pk "$1" | awk 'NR == 2 { print $4 }')
  [ -n "$free_kb" ] || fail 4 "cannot tell the free space in $1 (df -Pk)"
  [ "$free_kb" -ge "$needed_kb" ] || fail 4 "not enough free space in $1: ${free_kb} KiB free, ${needed_kb} KiB needed; free some or set TMPDIR to a larger folder"
}

# Copies the payload out of this file, checks it against the checksum recorded above, and unpacks the checked copy.
unpack() {
  dest=$1
  work=$2
  tail -c +"$(( PAYLOAD_OFFSET + 1 ))" "$kit" > "$work/payload.tar.gz" || fail 3 "cannot read the payload of $kit"
  actual=$(sha256sum "$work/payload.tar.gz" | cut -d' ' -f1)
  if [ "$actual" != "$PAYLOAD_SHA256" ]; then
    rm -f "$work/payload.tar.gz"
    fail 3 "$kit is damaged or was altered (payload sha256 $actual, expected $PAYLOAD_SHA256): get a fresh copy and check it with sha256sum -c $me.sha256"
  fi
  gzip -dc "$work/payload.tar.gz" | tar -xf - -C "$dest" || fail 3 "cannot unpack the payload of $kit into $dest"
  rm -f "$work/payload.tar.gz"
}

temp_base=${TMPDIR:-/tmp}
work=
cleanup() {
  [ -n "$work" ] && rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

case "${1:-}" in
  ""|--help|-h|help)
    usage
    exit 0
    ;;
  install)
    shift
    check_host
    check_space "$temp_base"
    work=$(mktemp -d "$temp_base/ferry-kit.XXXXXX") || fail 4 "cannot make a temporary folder in $temp_base"
    unpack "$work" "$work"
    "$work/installer/bin/installer" install --bundle "$work/bundle/$BUNDLE_FILE" "$@"
    exit $?
    ;;
  extract)
    [ $# -eq 2 ] || fail 2 "usage: sh $me extract DIR"
    mkdir -p "$2" || fail 2 "cannot create $2"
    check_space "$2"
    work=$(mktemp -d "$temp_base/ferry-kit.XXXXXX") || fail 4 "cannot make a temporary folder in $temp_base"
    unpack "$2" "$work"
    echo "$me: unpacked into $2: installer/bin/installer and bundle/$BUNDLE_FILE" >&2
    exit 0
    ;;
  *)
    echo "$me: unknown command '$1'" >&2
    usage >&2
    exit 2
    ;;
esac
# The payload (tar.gz) follows this line; the script never reads past it.
