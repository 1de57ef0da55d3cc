#!/bin/bash
# bundler create of the benchmark runtime through two checkouts' bin/bundler, alternating, medians of N runs: how
# issue 15's bar ("create stays within 5 % of the time before the SBOM") is measured. Both checkouts built first
# (mvn package -DskipTests, which also dumps bin/'s CDS archives).
# usage: bench/compare-create.sh OLD_CHECKOUT NEW_CHECKOUT [N]
#   e.g. git worktree add --detach ../ferry-old 7c5b7ad && (cd ../ferry-old && mvn -q package -DskipTests)
#        bench/compare-create.sh ../ferry-old . 7
set -eu
old=$1; new=$2; n=${3:-5}
work=$(mktemp -d /tmp/cmp.XXXXXX)
python3 "$new/bench/gen-runtime.py" "$work/runtime"
"$new/bin/bundler" keys generate --name bench --out "$work/keys" --no-passphrase >/dev/null 2>&1
b64() { printf '%s' "$1" | base64 -w0 | tr '+/' '-_' | tr -d '='; }
now=$(date +%s)
printf '%s.%s.c2lnbmF0dXJl\n' "$(b64 '{"alg":"EdDSA","typ":"JWT"}')" \
  "$(b64 "{\"jti\":\"bench\",\"nbf\":$((now - 86400)),\"exp\":$((now + 30 * 86400))}")" >"$work/token"
cat >"$work/profile.yaml" <<P
name: bench
agent:
  name: bench-bot
  version: 1.0.0
  runtime: $work/runtime
  exec: ["{{installDir}}/runtime/bin/agent"]
service:
  name: bench-bot
platform:
  endpoint: https://127.0.0.1:9/
prerequisites:
  os: [linux]
  requireAdmin: false
  minFreeDiskMb: 1
P
sync
: >"$work/samples"
for i in $(seq "$n"); do
  for side in old new; do
    repo=$old; [ $side = new ] && repo=$new
    rm -rf "$work/out"
    /usr/bin/time -f "$side %e %U %S" -a -o "$work/samples" "$repo/bin/bundler" create --profile "$work/profile.yaml" \
      --key "$work/keys/bench.key.pem" --token "$work/token" --out "$work/out" >"$work/log" 2>&1 || { cat "$work/log"; exit 1; }
  done
done
cat "$work/samples"
for side in old new; do
  w=$(awk -v s=$side '$1==s{print $2}' "$work/samples" | sort -g | awk '{v[NR]=$1} END{print v[(NR+1)/2]}')
  c=$(awk -v s=$side '$1==s{printf "%.2f\n", $3+$4}' "$work/samples" | sort -g | awk '{v[NR]=$1} END{print v[(NR+1)/2]}')
  echo "$side median wall $w s, cpu $c s"
done
du -sm "$work/runtime"; rm -rf "$work"
