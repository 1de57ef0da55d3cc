#!/bin/sh
# The AOT cache of an image whose runtime is Java 25 or later (JEP 483/514/515): classes loaded and linked ahead of
# time and the training run's method profiles, in IMAGE/lib/app/NAME.aot, which the launcher names with -XX:AOTCache.
# One training run makes it (the JVM records one run per cache): for the bundler a `create` of thousands of files,
# its slowest command and the one a cache shortens most (bench/NOTES.md, thirteenth round); for another program
# `--version`.
#
# usage: aot-cache.sh IMAGE NAME WORK
set -eu
image=$1 name=$2 work=$3
launcher=$image/bin/$name
cache=$image/lib/app/$name.aot
rm -rf "$work"
mkdir -p "$work"

# The training runs through the image's own launcher, so the cache is made with exactly the options it starts with;
# only the cache option differs (the JVM refuses to read one cache while writing another). A copy beside the
# launcher, because the launcher finds the image from where it lies.
trainer=$image/bin/.$name-aot-training
sed "s|\"-XX:AOTCache=\$APPDIR/$name.aot\"|\"-XX:AOTCacheOutput=$cache.tmp\"|" "$launcher" >"$trainer"
trap 'rm -f "$trainer" "$cache.tmp"' EXIT
trap 'exit 1' INT TERM HUP
grep -q AOTCacheOutput "$trainer" || { echo "aot-cache: $launcher names no -XX:AOTCache=\$APPDIR/$name.aot" >&2; exit 1; }
chmod 755 "$trainer"

case $name in
  bundler)
    sh "${0%/*}/training-fixture.sh" "$work/fixture" 4000 32
    "$launcher" keys generate --name training --out "$work/keys" --no-passphrase >"$work/keys.log" 2>&1 \
      || { cat "$work/keys.log" >&2; exit 1; }
    set -- create --profile "$work/fixture/profile.yaml" --key "$work/keys/training.key.pem" \
      --token "$work/fixture/token" --out "$work/out"
    ;;
  *) set -- --version ;;
esac
"$trainer" "$@" >"$work/training.log" 2>&1 </dev/null || { cat "$work/training.log" >&2; exit 1; }
[ -s "$cache.tmp" ] || { echo "aot-cache: the training run made no cache:" >&2; cat "$work/training.log" >&2; exit 1; }
mv "$cache.tmp" "$cache"
rm -rf "$work"
