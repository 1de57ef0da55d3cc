#!/usr/bin/env bash
# Ferry's whole job, end to end, on this machine, in about a minute: sign, bundle, verify, install, self-test,
# check in, uninstall. The "platform" is a local stand-in on 127.0.0.1 with its own throwaway CA; the "isolated
# host" is a temporary folder (installer --root). Needs a JDK 17+, Maven (first run only), openssl and curl.
# Root is not needed. Everything it starts is stopped and its temporary folder removed, also on failure or Ctrl-C.
# NO_COLOR=1 turns colour off (it is only used on a terminal anyway).
set -euo pipefail

repo=$(cd "$(dirname "$0")" && pwd)
bundler="$repo/bin/bundler"
installer="$repo/bin/installer"
standin_jar="$repo/standin/target/standin.jar"
agent_name=certinext-bot

# --- presentation -------------------------------------------------------------------------------------------------
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
  bold=$'\033[1m'; dim=$'\033[2m'; green=$'\033[32m'; red=$'\033[31m'; reset=$'\033[0m'
else
  bold=""; dim=""; green=""; red=""; reset=""
fi
step_no=0
step() { step_no=$((step_no + 1)); printf '\n%s== Step %d: %s%s\n' "$bold" "$step_no" "$1" "$reset"; }
note() { printf '   %s\n' "$*"; }
# run CMD...: shows the command (paths shortened), runs it with its output indented. fd 3 (the stand-in's
# stdin, see step 3) is closed for it, so that only this script keeps the stand-in alive.
run() {
  printf '   %s$ %s%s\n' "$dim" "$(printf '%s ' "$@" | sed "s#$repo/##g; s#$work#\$DEMO#g")" "$reset"
  "$@" 3>&- 2>&1 | sed 's/^/     /'
}

# --- cleanup: always, whatever happened --------------------------------------------------------------------------
work=""
standin_pid=""
installed=""
cleanup() {
  status=$?
  trap - EXIT INT TERM
  if [ -n "$installed" ]; then
    # The demo failed between install and uninstall: take the agent down the regular way first.
    "$installer" uninstall --root "$work/host" --service-manager process >/dev/null 2>&1 3>&- || true
  fi
  if [ -n "$work" ]; then
    # Whatever still runs from the demo's folder (an agent whose uninstall failed) is stopped by its pid file.
    for pidfile in "$work"/host/var/lib/ferry/*/*.pid; do
      [ -f "$pidfile" ] || continue
      pid=$(cat "$pidfile")
      if [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$work"; then
        kill "$pid" 2>/dev/null || true
      fi
    done
  fi
  exec 3>&-   # the stand-in's stdin closes: it stops by itself
  if [ -n "$standin_pid" ]; then
    for _ in $(seq 50); do kill -0 "$standin_pid" 2>/dev/null || break; sleep 0.1; done
    kill "$standin_pid" 2>/dev/null || true
    wait "$standin_pid" 2>/dev/null || true
  fi
  [ -z "$work" ] || rm -rf "$work"
  if [ "$status" -ne 0 ]; then
    printf '\n%sdemo failed (exit %d) at step %d; everything it started is stopped and %s is removed.%s\n' \
      "$red" "$status" "$step_no" "${work:-its folder}" "$reset" >&2
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() { printf '%s%s%s\n' "$red" "$*" "$reset" >&2; exit 1; }
for tool in java openssl curl; do
  command -v "$tool" >/dev/null 2>&1 || fail "demo.sh needs '$tool' on the PATH"
done

# --- the story ----------------------------------------------------------------------------------------------------
start=$(date +%s)
printf '%sFerry demo%s: carry the %s agent to an "isolated host" and watch it check in.\n' "$bold" "$reset" "$agent_name"

if [ ! -f "$repo/bundler/target/bundler.jar" ] || [ ! -f "$repo/installer/target/installer.jar" ] \
    || [ ! -f "$standin_jar" ]; then
  step "Build Ferry (first run only): mvn package"
  (cd "$repo" && mvn -q -B -Dstyle.color=never -DskipTests package) 3>&-
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/ferry-demo.XXXXXX")
chmod 700 "$work"
mkdir -p "$work/keys" "$work/profile" "$work/out" "$work/host"
note "working folder: $work  (removed at the end; \$DEMO below)"

step "Create a signing key (connected side: bundler keys generate)"
run "$bundler" keys generate --name demo --out "$work/keys" --no-passphrase
note "the private key signs bundles and stays on the build machine; the host only gets demo.pub.pem"

step "Make a registration token valid for a week (JWT-shaped, as the platform issues them)"
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
now=$(date +%s)
jti="demo-$(openssl rand -hex 6)"
token_header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
token_claims=$(printf '{"jti":"%s","sub":"%s","iat":%d,"nbf":%d,"exp":%d}' \
  "$jti" "$agent_name" "$now" $((now - 60)) $((now + 7 * 24 * 3600)) | b64url)
# Only the platform could sign a real token; the stand-in accepts exactly this one (--expect-token).
token_signature=$(openssl rand 32 | b64url)
(umask 077 && printf '%s.%s.%s\n' "$token_header" "$token_claims" "$token_signature" >"$work/token")
note "token id $jti, valid from $(date -u -d "@$((now - 60))" +%FT%TZ) to $(date -u -d "@$((now + 7 * 24 * 3600))" +%FT%TZ)"
note "the secret itself is in \$DEMO/token (mode 0600) and is never printed"

step "Start the platform stand-in (HTTPS on 127.0.0.1 with its own CA)"
# Its stdin is a pipe that only this script holds open (fd 3): if the script dies, even by kill -9, the stand-in
# sees end of input and stops. --max-seconds is the last safety net.
mkfifo "$work/standin.stdin"
java -XX:+UseSerialGC -jar "$standin_jar" --port 0 --port-file "$work/standin.port" --ca-out "$work/standin-ca.pem" \
  --record "$work/checkins.jsonl" --expect-token "$work/token" --max-seconds 300 \
  <"$work/standin.stdin" >"$work/standin.log" 2>&1 &
standin_pid=$!
exec 3>"$work/standin.stdin"
for _ in $(seq 300); do
  [ -s "$work/standin.port" ] && break
  kill -0 "$standin_pid" 2>/dev/null || { cat "$work/standin.log" >&2; fail "the stand-in did not start"; }
  sleep 0.1
done
[ -s "$work/standin.port" ] || fail "the stand-in did not report its port within 30 s"
port=$(cat "$work/standin.port")
note "serving https://localhost:$port  (GET /health, POST /v1/checkin, WebSocket /agent)"
note "its CA certificate: \$DEMO/standin-ca.pem: the host will trust the platform through it"

step "Write the demo profile (extends profiles/examples/base.yaml, points at the stand-in)"
cat >"$work/profile/demo.yaml" <<EOF
# The demo's network segment: the example agent, talking to the local platform stand-in.
extends: $repo/profiles/examples/base.yaml
name: demo-loopback
platform:
  endpoint: https://localhost:$port
  websocket: wss://localhost:$port/agent
  caFile: $work/standin-ca.pem
prerequisites:
  requireAdmin: false    # the demo installs under a temporary --root: no root needed
  minFreeDiskMb: 16
EOF
sed 's/^/     /' "$work/profile/demo.yaml"

step "Build the signed bundle (bundler create)"
run "$bundler" create --profile "$work/profile/demo.yaml" --key "$work/keys/demo.key.pem" --token "$work/token" \
  --out "$work/out"
bundle=$(ls "$work"/out/*.bundle.tar.zst 2>/dev/null | head -n 1)
[ -n "$bundle" ] || fail "bundler create made no *.bundle.tar.zst in $work/out"

step "Check the bundle as the host will (bundler verify, bundler inspect)"
run "$bundler" verify "$bundle" --trust "$work/keys/demo.pub.pem"
run "$bundler" inspect "$bundle"

step "Install it on the isolated host (installer install, agent run as a process)"
note "the host is \$DEMO/host (--root); only the public key travels with the bundle"
installed=yes
run "$installer" install --root "$work/host" --service-manager process --bundle "$bundle" \
  --trust "$work/keys/demo.pub.pem"

step "Wait for the agent's first check-in"
for _ in $(seq 200); do
  [ -s "$work/checkins.jsonl" ] && break
  sleep 0.1
done
[ -s "$work/checkins.jsonl" ] || { tail -n 20 "$work"/host/var/log/ferry/*/*.log >&2 || true; \
  fail "no check-in reached the stand-in within 20 s"; }
note "the agent checked in with its token over TLS, trusting the stand-in's CA from its rendered config"

step "Run the connectivity self-tests (installer selftest)"
run "$installer" selftest --root "$work/host" --service-manager process

step "Show the installed state (installer status)"
run "$installer" status --root "$work/host" --service-manager process

step "Show the check-in as the platform recorded it (never with the token)"
sed 's/^/     /' "$work/checkins.jsonl"
note "the agent's own log:"
sed 's/^/     /' "$work/host/var/log/ferry/$agent_name/agent.log" | head -n 8

step "Uninstall (installer uninstall stops the agent)"
run "$installer" uninstall --root "$work/host" --service-manager process
installed=""

step "Stop the stand-in and clean up"
exec 3>&-
wait "$standin_pid" || true
standin_pid=""
note "stand-in stopped: $(tail -n 1 "$work/standin.log")"

printf '\n%sDone in %d s.%s Removing keys, token, bundle and host folder now; nothing is left running.\n' \
  "$green" $(($(date +%s) - start)) "$reset"
