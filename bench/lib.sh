# Sourced by bench/run.sh and bench/compare-*.sh: the inputs every benchmark uses, and medians.

# bench_token FILE: a JWT-shaped token valid from a day ago for 30 days (its signature is not checked by Ferry).
bench_token() {
  local now
  now=$(date +%s)
  printf '%s.%s.c2lnbmF0dXJl\n' "$(bench_b64 '{"alg":"EdDSA","typ":"JWT"}')" \
    "$(bench_b64 "{\"jti\":\"bench\",\"nbf\":$((now - 86400)),\"exp\":$((now + 30 * 86400))}")" >"$1"
}
bench_b64() { printf '%s' "$1" | base64 -w0 | tr '+/' '-_' | tr -d '='; }

# bench_profile RUNTIME_DIR FILE: the benchmark agent's profile, pointing at RUNTIME_DIR.
bench_profile() {
  cat >"$2" <<P
name: bench
agent:
  name: bench-bot
  version: 1.0.0
  runtime: $1
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
}

# compare_setup NEW_CHECKOUT [gen-runtime flags]: sets $work (removed on exit) with a runtime, a key, a token and
# $work/profile.yaml, for bench/compare-*.sh.
compare_setup() {
  local new=$1; shift
  work=$(mktemp -d /tmp/cmp.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  python3 "$new/bench/gen-runtime.py" "$work/runtime" "$@"
  "$new/bin/bundler" keys generate --name bench --out "$work/keys" --no-passphrase >/dev/null 2>&1
  bench_token "$work/token"
  bench_profile "$work/runtime" "$work/profile.yaml"
  sync
  : >"$work/samples"
}

# medians SIDE...: each side's median wall and CPU (user + sys) from $work/samples ("side wall user sys" lines)
medians() {
  local side w c
  for side in "$@"; do
    w=$(awk -v s="$side" '$1==s{print $2}' "$work/samples" | sort -g | awk '{v[NR]=$1} END{print v[int((NR+1)/2)]}')
    c=$(awk -v s="$side" '$1==s{printf "%.2f\n", $3+$4}' "$work/samples" | sort -g | awk '{v[NR]=$1} END{print v[int((NR+1)/2)]}')
    echo "$side median wall $w s, cpu $c s"
  done
}
