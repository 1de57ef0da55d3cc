#!/bin/sh
# What the build's training runs bundle: a profile, an agent runtime and a registration token that expires in a day,
# all throw-away. launcher-cds.sh trains bin/ on it (class lists: one text file suffices), aot-cache.sh the bundler's
# image on Temurin 25 (its AOT cache also keeps method profiles, so its runtime has thousands of files of mixed sizes,
# as a real agent runtime that carries a JRE, and the per-file code runs as often as it does there).
#
# usage: training-fixture.sh DIR [TEXT_FILES [BINARY_MIB]]
#   DIR/profile.yaml, DIR/token and DIR/runtime/: bin/agent, TEXT_FILES small text files (default 1) in 40 folders
#   under lib/, and when BINARY_MIB is given, random binaries of that many MiB in all (a quarter in one file).
set -eu
dir=$1
text_files=${2:-1}
binary_mib=${3:-0}
rm -rf "$dir"
mkdir -p "$dir/runtime/bin"
printf '#!/bin/sh\necho agent\n' >"$dir/runtime/bin/agent"
chmod 755 "$dir/runtime/bin/agent"

# Text of 100 bytes to 12 KB, deterministic: one awk process writes every file (a shell loop forks per file).
folders=$((text_files < 40 ? text_files : 40))
i=0
while [ "$i" -lt "$folders" ]; do
  mkdir -p "$dir/runtime/lib/part$i"
  i=$((i + 1))
done
awk -v dir="$dir/runtime/lib" -v files="$text_files" -v folders="$folders" 'BEGIN {
  line = "Licensed under the terms in LICENSE; see NOTICE for the third-party components and their copyrights."
  for (f = 0; f < files; f++) {
    path = sprintf("%s/part%d/file%05d.txt", dir, f % folders, f)
    lines = 1 + (f * 7919) % 120
    for (l = 0; l < lines; l++) print f, l, line > path
    close(path)
  }
}'

if [ "$binary_mib" -gt 0 ]; then
  mkdir -p "$dir/runtime/lib/native"
  head -c $((binary_mib * 262144)) /dev/urandom >"$dir/runtime/lib/native/modules"
  i=0
  while [ "$i" -lt 12 ]; do
    head -c $((binary_mib * 65536)) /dev/urandom >"$dir/runtime/lib/native/lib$i.so"
    i=$((i + 1))
  done
fi

cat >"$dir/profile.yaml" <<EOF
name: training
agent:
  name: training-bot
  version: 1.0.0
  runtime: $dir/runtime
  exec: ["{{installDir}}/runtime/bin/agent"]
service:
  name: training-bot
platform:
  endpoint: https://127.0.0.1:9/
prerequisites:
  os: [linux]
  requireAdmin: false
  minFreeDiskMb: 1
EOF

# A JWT-shaped token with nbf and exp, which the bundler reads; its signature is a placeholder.
b64() { printf '%s' "$1" | base64 | tr -d '\n=' | tr '+/' '-_'; }
now=$(date +%s)
printf '%s.%s.c2ln\n' "$(b64 '{"alg":"EdDSA","typ":"JWT"}')" \
  "$(b64 "{\"jti\":\"training\",\"nbf\":$((now - 60)),\"exp\":$((now + 86400))}")" >"$dir/token"
