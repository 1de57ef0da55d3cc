#!/bin/sh
# Class-data sharing for bin/bundler and bin/installer: a static AppCDS archive beside each jar
# (PROGRAM/target/PROGRAM.jsa) holding every class that a training run of the everyday commands loads, picocli's
# Java 5 classes included (a dynamic archive refuses those). bin/ferry-launch uses it while it is newer than the
# jar; `bundler create` starts ~0.3 s sooner with it (bench/NOTES.md). Runs the programs through bin/ itself, so the
# classes listed are exactly what the launcher loads.
#
# usage: launcher-cds.sh REPO [LISTS]
#   LISTS  a folder to keep each program's class list in (LISTS/PROGRAM.classlist): the images are trained with it
set -eu
top=$1
keep=${2:-}
java_cmd=java
[ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && java_cmd="$JAVA_HOME/bin/java"
work=$(mktemp -d "${TMPDIR:-/tmp}/ferry-cds.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$work/lists" "$work/root" "$work/out"
runs=0

# train PROGRAM ARGS...: one run, its loaded classes listed. The exit code is not the point (status on an empty
# root exits non-zero): the classes it loaded on the way are.
train() {
  program=$1
  shift
  runs=$((runs + 1))
  FERRY_JAVA_OPTS="-Xshare:off -XX:DumpLoadedClassList=$work/lists/$program.$runs" \
    "$top/bin/$program" "$@" >"$work/last.log" 2>&1 </dev/null || true
  [ -s "$work/lists/$program.$runs" ] || { echo "launcher-cds: $program $* did not start:" >&2; cat "$work/last.log" >&2; exit 1; }
}

# dump PROGRAM: one archive from every list of that program, written beside the jar in one rename.
dump() {
  program=$1
  cat "$work/lists/$program".* | awk '!seen[$0]++' >"$work/$program.classlist"
  jsa="$top/$program/target/$program.jsa"
  rm -f "$jsa.tmp"
  "$java_cmd" -XX:+UseSerialGC -Xshare:dump -XX:SharedClassListFile="$work/$program.classlist" \
    -XX:SharedArchiveFile="$jsa.tmp" -cp "$top/$program/target/$program.jar" >"$work/$program-dump.log" 2>&1 \
    || { echo "launcher-cds: dumping $jsa failed:" >&2; cat "$work/$program-dump.log" >&2; exit 1; }
  mv "$jsa.tmp" "$jsa"
  if [ -n "$keep" ]; then
    mkdir -p "$keep"
    cp "$work/$program.classlist" "$keep/$program.classlist"
  fi
}

sh "${0%/*}/training-fixture.sh" "$work/fixture"
bundle="$work/out/training-bot-1.0.0.bundle.tar.zst"

# zstd-jni's native library beside each jar (PROGRAM/target/libzstd-jni.so), which bin/ferry-launch loads while it is
# newer than the jar, as the images load theirs: unpacked here once, not into the temp folder at every start.
jdk=$(dirname -- "$(dirname -- "$(readlink -f -- "$(command -v "$java_cmd")")")")
for program in bundler installer; do
  sh "${0%/*}/zstd-native.sh" "$jdk" "$(ls "$top/$program/target/lib"/zstd-jni-*.jar)" \
    "$top/$program/target/libzstd-jni.so" \
    || echo "launcher-cds: zstd-jni's native library not unpacked for bin/$program: it unpacks it at every start" >&2
done

train bundler --version
train bundler keys generate --name cds --out "$work/keys" --no-passphrase
train bundler keys show "$work/keys/cds.key.pem"
train bundler profile show "$work/fixture/profile.yaml"
train bundler create --profile "$work/fixture/profile.yaml" --key "$work/keys/cds.key.pem" --token "$work/fixture/token" \
  --out "$work/out"
[ -f "$bundle" ] || { echo "launcher-cds: the training bundle was not made:" >&2; cat "$work/last.log" >&2; exit 1; }
train bundler inspect "$bundle" --json
train bundler verify "$bundle" --trust "$work/keys/cds.pub.pem"

train installer --version
train installer verify --bundle "$bundle" --trust "$work/keys/cds.pub.pem" --root "$work/root"
train installer install --bundle "$bundle" --trust "$work/keys/cds.pub.pem" --root "$work/root" \
  --service-manager none --skip-selftest
train installer status --root "$work/root" --json
train installer uninstall --root "$work/root" --service-manager none

dump bundler
dump installer
