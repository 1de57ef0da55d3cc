#!/usr/bin/env bash
# A fleet of "hosts" for the Ansible tests: one network namespace per host, joined to the root namespace by its
# own veth pair (NET.I.1 in the root namespace, NET.I.2 in the host), each with its own sshd on NET.I.2:22 (root
# login by key only, this test's host key). NET is the first 10.N (N from 200) that no address on this machine uses
# yet, so fleets of tests running side by side (or one leaked by a killed run) do not answer for each other.
# Addresses exist only on these veths: no traffic leaves the machine. The platform stand-in listens on NET.1.1; a
# host reaches it only after `route NAME on`.
#
#   fleet.sh up WORK TAG NAME...      make hosts 1..n; writes WORK/fleet/{net,known_hosts,id_ed25519,NAME.addr}
#   fleet.sh route WORK NAME on|off   give or take NAME's route to the platform address (NET.1.1)
#   fleet.sh down WORK                stop every process in the namespaces, delete them (idempotent)
set -euo pipefail

cmd=$1 work=$2
state=$work/fleet
net=$(cat "$state/net" 2>/dev/null || true)
platform=$net.1.1

ns_of() { cat "$state/$1.ns"; }
index_of() { cat "$state/$1.index"; }

up() {
  local tag=$1; shift
  mkdir -p "$state"
  chmod 700 "$state"
  [ -d /run/sshd ] || mkdir -p /run/sshd   # sshd's privilege separation folder, as its package would make it
  ssh-keygen -q -t ed25519 -N '' -C ferry-fleet-test -f "$state/id_ed25519"
  ssh-keygen -q -t ed25519 -N '' -C ferry-fleet-host -f "$state/host_ed25519"
  cp "$state/id_ed25519.pub" "$state/authorized_keys"
  : >"$state/known_hosts"
  local x
  for x in $(seq 200 250); do
    if ! ip -o addr | grep -q " inet 10\.$x\."; then net=10.$x; break; fi
  done
  [ -n "$net" ] || { echo "fleet.sh: no free 10.200-250 network on this machine" >&2; return 1; }
  echo "$net" >"$state/net"
  local i=0 name ns addr
  for name in "$@"; do
    i=$((i + 1))
    ns="ferry-$tag-$name"
    addr="$net.$i.2"
    echo "$ns" >"$state/$name.ns"
    echo "$i" >"$state/$name.index"
    echo "$addr" >"$state/$name.addr"
    echo "$ns" >>"$state/namespaces"
    ip netns add "$ns"
    ip link add "fr$tag$i" type veth peer name "fh$tag$i"
    ip link set "fh$tag$i" netns "$ns"
    ip addr add "$net.$i.1/24" dev "fr$tag$i"
    ip link set "fr$tag$i" up
    ip netns exec "$ns" ip link set lo up
    ip netns exec "$ns" ip addr add "$addr/24" dev "fh$tag$i"
    ip netns exec "$ns" ip link set "fh$tag$i" up
    cat >"$state/sshd_$name.conf" <<CONF
ListenAddress $addr
Port 22
HostKey $state/host_ed25519
PidFile $state/sshd_$name.pid
AuthorizedKeysFile $state/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
Subsystem sftp internal-sftp
CONF
    ip netns exec "$ns" /usr/sbin/sshd -f "$state/sshd_$name.conf" -E "$state/sshd_$name.log"
    echo "$addr $(cut -d' ' -f1,2 "$state/host_ed25519.pub")" >>"$state/known_hosts"
  done
  for name in "$@"; do
    wait_for_sshd "$name"
  done
}

wait_for_sshd() {
  local addr; addr=$(cat "$state/$1.addr")
  for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/$addr/22") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "fleet.sh: sshd of $1 did not listen on $addr:22" >&2
  cat "$state/sshd_$1.log" >&2 || true
  return 1
}

route() {
  local name=$1 how=$2 ns i
  ns=$(ns_of "$name") i=$(index_of "$name")
  [ "$i" = 1 ] && return 0   # host 1 shares the platform's subnet: always on-link
  case $how in
    on) ip netns exec "$ns" ip route replace "$platform/32" via "$net.$i.1" ;;
    off) ip netns exec "$ns" ip route del "$platform/32" 2>/dev/null || true ;;
  esac
}

down() {
  [ -f "$state/namespaces" ] || return 0
  local ns pid pidfile
  for pidfile in "$state"/sshd_*.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$state/sshd_"; then kill "$pid" || true; fi
  done
  while read -r ns; do
    ip netns list | grep -qw "$ns" || continue
    # Whatever still runs in this test's namespace (an agent, an sshd session) was started by this test.
    for pid in $(ip netns pids "$ns"); do kill "$pid" 2>/dev/null || true; done
    for _ in $(seq 50); do [ -z "$(ip netns pids "$ns")" ] && break; sleep 0.1; done
    for pid in $(ip netns pids "$ns"); do kill -9 "$pid" 2>/dev/null || true; done
    ip netns delete "$ns"
  done <"$state/namespaces"
  rm -f "$state/namespaces"
}

case $cmd in
  up) shift 2; up "$@" ;;
  route) route "$3" "$4" ;;
  down) down ;;
  *) echo "usage: fleet.sh up|route|down WORK ..." >&2; exit 2 ;;
esac
