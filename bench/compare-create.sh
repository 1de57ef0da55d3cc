#!/bin/bash
# bundler create of the benchmark (or JDK-heavy, or 2 GiB) runtime through two checkouts' bin/bundler, alternating,
# medians of N runs: how issue 15's bar ("create stays within 5 % of the time before the SBOM") is measured. Both
# checkouts built first (mvn package -DskipTests, which also dumps bin/'s CDS archives).
# usage: bench/compare-create.sh OLD_CHECKOUT NEW_CHECKOUT [N] [--jdk | --big]
#   e.g. git worktree add --detach ../ferry-old 7c5b7ad && (cd ../ferry-old && mvn -q package -DskipTests)
#        bench/compare-create.sh ../ferry-old . 7
set -eu
old=$1; new=$2; n=${3:-5}; shift $(( $# < 3 ? $# : 3 ))
. "$(dirname "$0")/lib.sh"
case $n in ''|*[!0-9]*) echo "usage: $0 OLD_CHECKOUT NEW_CHECKOUT [N] [--jdk | --big]" >&2; exit 2 ;; esac
compare_setup "$new" "$@"
for _ in $(seq "$n"); do
  for side in old new; do
    repo=$old; [ $side = new ] && repo=$new
    rm -rf "$work/out"
    /usr/bin/time -f "$side %e %U %S" -a -o "$work/samples" "$repo/bin/bundler" create --profile "$work/profile.yaml" \
      --key "$work/keys/bench.key.pem" --token "$work/token" --out "$work/out" >"$work/log" 2>&1 || { cat "$work/log"; exit 1; }
  done
done
cat "$work/samples"
medians old new
du -sm "$work/runtime"
