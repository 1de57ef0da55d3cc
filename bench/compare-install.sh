#!/bin/bash
# installer install through two checkouts' bin/installer, then the stock `zstd -dc | tar -x`, alternating, medians of
# N runs, each after the previous tree was removed and `sync`ed (as bench/run.sh does): how each change for issue 17
# was measured against the commit before it (bench/NOTES.md, "Issue 17, fourth round"). Both checkouts built first.
# usage: bench/compare-install.sh OLD_CHECKOUT NEW_CHECKOUT [N] [--jdk | --big]
#   e.g. git worktree add --detach ../ferry-old 6005553 && (cd ../ferry-old && mvn -q package -DskipTests)
#        bench/compare-install.sh ../ferry-old . 7 --jdk
set -eu
old=$1; new=$2; n=${3:-5}; shift $(( $# < 3 ? $# : 3 ))
. "$(dirname "$0")/lib.sh"
case $n in ''|*[!0-9]*) echo "usage: $0 OLD_CHECKOUT NEW_CHECKOUT [N] [--jdk | --big]" >&2; exit 2 ;; esac
compare_setup "$new" "$@"
"$new/bin/bundler" create --profile "$work/profile.yaml" --key "$work/keys/bench.key.pem" --token "$work/token" \
  --out "$work/out" >"$work/log" 2>&1 || { cat "$work/log"; exit 1; }
bundle=$(ls "$work"/out/*.bundle.tar.zst)
for _ in $(seq "$n"); do
  for side in old new stock; do
    rm -rf "$work/root" "$work/untar"; sync
    case $side in
      stock) mkdir "$work/untar"; cmd=(sh -c "zstd -dc '$bundle' | tar -xf - -C '$work/untar'") ;;
      *) repo=$old; [ "$side" = new ] && repo=$new
         cmd=("$repo/bin/installer" install --bundle "$bundle" --trust "$work/keys/bench.pub.pem" --root "$work/root"
           --service-manager none --skip-selftest) ;;
    esac
    /usr/bin/time -f "$side %e %U %S" -a -o "$work/samples" "${cmd[@]}" >"$work/log" 2>&1 || { cat "$work/log"; exit 1; }
  done
done
cat "$work/samples"
medians old new stock
