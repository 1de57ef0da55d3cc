#!/usr/bin/env bash
# Ferry against the stock tools, on the same machine in the same run (issue "As fast as the stock tools, in
# bounded memory"). Run on demand, not in CI: it writes ~1.5 GiB (~7 GiB with --big) under a temp folder.
#
# usage: bench/run.sh [--runs N] [--big] [--only-delta] [--smoke] [--out FILE]
#   --runs N     rounds per pair, alternating Ferry and stock (A B A B ...); medians are reported (default 5)
#   --big        also a ~2 GiB runtime with a single 1 GiB file: peak RSS with the default heap and -Xmx128m
#   --only-delta only the delta-bundle figures (SPEC section 11); the table goes to bench/DELTA.md by default
#   --smoke      one round on a few-MiB runtime: checks that the script runs; the table goes to stdout only
#   --out FILE   where the table goes (default bench/RESULTS.md)
#
# Runtimes: the default one (~445 MiB), a JDK-heavy one (~390 MiB: a real JDK's lib/ folder, JDK_LIB or the running
# JDK's, among random binaries and 10,000 small text files) and, with --big, ~2 GiB. Launchers: bin/ and, when built
# (mvn package without -Dferry.skipImages), the self-contained images dist/target/images/*/bin/*, which hosts run;
# each round runs every launcher and then the stock tool on the same input with the same page-cache state.
#
# Needs: java 17+, zstd, tar, sha256sum, python3, GNU time (/usr/bin/time; Debian package `time`).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$top/bench/lib.sh"
runs=5
big=false
only_delta=false
smoke=false
out=""
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --big) big=true; shift ;;
    --only-delta) only_delta=true; shift ;;
    --smoke) smoke=true; runs=1; shift ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "bench: unknown argument $1" >&2; exit 2 ;;
  esac
done

if [ -z "$out" ]; then
  if $only_delta; then out="$top/bench/DELTA.md"; else out="$top/bench/RESULTS.md"; fi
fi

for tool in java javac zstd tar sha256sum python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 2; }
done
if [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y -qq time >/dev/null
  else
    echo "bench: GNU time is missing: sudo apt-get install time" >&2; exit 2
  fi
fi
if [ ! -f "$top/bundler/target/bundler.jar" ] || [ ! -f "$top/installer/target/installer.jar" ]; then
  (cd "$top" && mvn -B -ntp -q -DskipTests package)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/ferry-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
if $smoke; then
  out="$work/smoke.md"; rt_flag=--small; jdk_flag=--small
else
  rt_flag=""; jdk_flag=--jdk
fi
samples="$work/samples.tsv"   # label  seconds  cpu-seconds  peak-rss-KiB
: >"$samples"

# One timed run: GNU time records wall clock, CPU (user+sys) and the peak RSS of the largest process.
measure() {
  local label=$1; shift
  local t="$work/time.out"
  if ! /usr/bin/time -f '%e %U %S %M' -o "$t" "$@" >"$work/last.log" 2>&1; then
    echo "bench: $label failed:" >&2; cat "$work/last.log" >&2; exit 1
  fi
  awk -v l="$label" '{ printf "%s\t%s\t%.2f\t%s\n", l, $1, $2 + $3, $4 }' "$t" >>"$samples"
}
# measure_starts LABEL COMMAND...: ten starts in one timed run, recorded per start. GNU time counts in 10 ms steps,
# too coarse for a 40 ms hello-world on its own.
measure_starts() {
  local label=$1; shift
  local t="$work/time.out"
  # shellcheck disable=SC2016
  if ! /usr/bin/time -f '%e %U %S %M' -o "$t" bash -c 'for _ in 1 2 3 4 5 6 7 8 9 10; do "$@" || exit 1; done' \
    starts "$@" >"$work/last.log" 2>&1; then
    echo "bench: $label failed:" >&2; cat "$work/last.log" >&2; exit 1
  fi
  awk -v l="$label" '{ printf "%s\t%.3f\t%.3f\t%s\n", l, $1 / 10, ($2 + $3) / 10, $4 }' "$t" >>"$samples"
}
median() { # label column
  awk -F'\t' -v l="$1" -v c="$2" '$1 == l { print $c }' "$samples" | sort -g \
    | awk '{ v[NR] = $1 } END { if (NR == 0) { print "-" } else if (NR % 2) { print v[(NR + 1) / 2] } else { printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 } }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

echo "bench: generating the runtime${rt_flag:+ ($rt_flag)}..." >&2
python3 "$top/bench/gen-runtime.py" "$work/runtime" $rt_flag
sync
rt_mib=$(du -sm "$work/runtime" | cut -f1)
rt_files=$(find "$work/runtime" -type f | wc -l)

# A key without passphrase, a JWT token valid for 30 days, a profile pointing at the runtime.
"$top/bin/bundler" keys generate --name bench --out "$work/keys" --no-passphrase >/dev/null 2>&1
bench_token "$work/token"
bench_profile "$work/runtime" "$work/profile.yaml"
mkdir -p "$work/empty" "$work/hello"
cat >"$work/hello/Hello.java" <<'EOF'
public class Hello { public static void main(String[] a) { System.out.println("hello"); } }
EOF
(cd "$work/hello" && javac Hello.java && printf 'Main-Class: Hello\n' >m.txt && jar cfm hello.jar m.txt Hello.class)

java_cmd=java
[ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && java_cmd="$JAVA_HOME/bin/java"
bundle="$work/out/bench-bot-1.0.0.bundle.tar.zst"
# The commands, as a file that each timed `bash -c` sources, so GNU time measures one command line.
cat >"$work/cmds.sh" <<EOF
top='$top'; work='$work'; bundle='$bundle'
EOF
cat >>"$work/cmds.sh" <<'EOF'
ferry_create() { "$BUNDLER" create --profile "$1" --key "$work/keys/bench.key.pem" --token "$work/token" --out "$work/out"; }
stock_create() { # the two passes a shell script makes: an archive, then a checksum list
  tar --sort=name -cf - -C "$1" . | zstd -3 -T0 -q >"$work/stock.tar.zst"
  (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum >"$work/stock.sha256")
}
ferry_verify() { "$INSTALLER" verify --bundle "$bundle" --trust "$work/keys/bench.pub.pem" --root "$work/empty"; }
stock_verify() { zstd -dc "$bundle" | sha256sum; }
ferry_install() { "$INSTALLER" install --bundle "$bundle" --trust "$work/keys/bench.pub.pem" --root "$work/root" \
  --service-manager none --skip-selftest; }
stock_install() { mkdir "$work/untar" && zstd -dc "$bundle" | tar -xf - -C "$work/untar"; }
# The same, made durable as Ferry makes a release before switching to it (one syncfs of the file system).
stock_install_sync() { stock_install && sync -f "$work/untar"; }
EOF
# run LABEL 'COMMAND ARGS': one timed run; the install targets are removed before, untimed, and what the previous run
# wrote is flushed (sync), so neither side pays for the other's write-back.
# With settle=SECONDS (the quiet rows), it waits that long after the removal before the run.
run() { rm -rf "$work/root" "$work/untar"; sync; sleep "${settle:-0}"; measure "$1" bash -c ". '$work/cmds.sh'; $2"; }
ferry_create() { bash -c ". '$work/cmds.sh'; ferry_create '$1'"; }

# The launchers measured: bin/ (the jars on the machine's Java, with the CDS archives) and the images, when built.
launchers="bin"
image_dir="$top/dist/target/images"
if [ -x "$image_dir/installer/bin/installer" ] && [ -x "$image_dir/bundler/bin/bundler" ]; then
  launchers="bin image"
fi
image_runtime() { # program: its image's Java release and class cache, as build-image.sh chose them
  local cache="a CDS archive"
  [ ! -f "$image_dir/$1/lib/app/$1.aot" ] || cache="an AOT cache"
  echo "$1 on Java $(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$image_dir/$1/lib/runtime/release") with $cache"
}
use() { # launcher: the programs the commands run (exported: each timed `bash -c` inherits them)
  case $1 in
    bin) export BUNDLER="$top/bin/bundler" INSTALLER="$top/bin/installer" ;;
    image) export BUNDLER="$image_dir/bundler/bin/bundler" INSTALLER="$image_dir/installer/bin/installer" ;;
  esac
}
use bin

# Delta bundles (SPEC section 11): the next release with ~2 % of its bytes changed in a few files, carried as a delta
# against the bundle the hosts run, against the full bundle of the same release. Install is an upgrade from the base
# in both cases (the base is installed, untimed, before each run).
delta_rows() {
  echo "bench: delta bundles: the next release, ~2 % changed..." >&2
  local changed
  changed=$(python3 "$top/bench/change-runtime.py" "$work/runtime" "$work/runtime2" 2)
  sed -e 's/version: 1.0.0/version: 1.1.0/' "$work/profile.yaml" | sed -e "s|runtime: $work/runtime|runtime: $work/runtime2|" \
    >"$work/profile2.yaml"
  # No sequence in the profiles: each is its createdAt in seconds, so the next release's is higher.
  cat >>"$work/cmds.sh" <<'EOS'
base_bundle="$work/out/bench-bot-1.0.0.bundle.tar.zst"
full2="$work/full2/bench-bot-1.1.0.bundle.tar.zst"
delta2="$work/delta2/bench-bot-1.1.0.bundle.tar.zst"
create_full2() { "$top/bin/bundler" create --profile "$work/profile2.yaml" --key "$work/keys/bench.key.pem" --token "$work/token" --out "$work/full2"; }
create_delta2() { "$top/bin/bundler" create --profile "$work/profile2.yaml" --key "$work/keys/bench.key.pem" --token "$work/token" --out "$work/delta2" --base "$base_bundle"; }
install_base() { "$top/bin/installer" install --bundle "$base_bundle" --trust "$work/keys/bench.pub.pem" --root "$work/root" --service-manager none --skip-selftest; }
upgrade_to() { "$top/bin/installer" install --bundle "$1" --trust "$work/keys/bench.pub.pem" --root "$work/root" --service-manager none --skip-selftest; }
EOS
  [ -f "$bundle" ] || ferry_create "$work/profile.yaml" >/dev/null 2>&1
  for _ in $(seq "$runs"); do
    run delta-create/full create_full2
    run delta-create/delta create_delta2
  done
  upgrade_run() { # label bundle
    rm -rf "$work/root"; bash -c ". '$work/cmds.sh'; install_base" >/dev/null 2>&1; sync
    measure "$1" bash -c ". '$work/cmds.sh'; upgrade_to '$2'"
  }
  for _ in $(seq "$runs"); do
    upgrade_run delta-install/full "$work/full2/bench-bot-1.1.0.bundle.tar.zst"
    upgrade_run delta-install/delta "$work/delta2/bench-bot-1.1.0.bundle.tar.zst"
  done
  local full_size delta_size
  full_size=$(stat -c %s "$work/full2/bench-bot-1.1.0.bundle.tar.zst")
  delta_size=$(stat -c %s "$work/delta2/bench-bot-1.1.0.bundle.tar.zst")
  local fc dc fu du
  fc=$(median delta-create/full 2); dc=$(median delta-create/delta 2)
  fu=$(median delta-install/full 2); du=$(median delta-install/delta 2)
  echo
  echo "## Delta bundles (SPEC section 11): the next release, $changed"
  echo
  echo "| what | full bundle | delta | ratio | bar |"
  echo "|---|---|---|---|---|"
  echo "| size (bytes) | $full_size | $delta_size | **$(ratio "$delta_size" "$full_size")** | <= 0.05 |"
  echo "| create, s | $fc | $dc | **$(ratio "$dc" "$fc")** | <= 1.2 |"
  echo "| upgrade install from the base (none, --skip-selftest), s | $fu | $du | **$(ratio "$du" "$fu")** | <= 0.6 |"
  echo "| create, peak RSS | $(rss delta-create/full) | $(rss delta-create/delta) | | |"
  echo "| install, peak RSS | $(rss delta-install/full) | $(rss delta-install/delta) | | |"
}
rss() { echo "$(( $(median "$1" 4) / 1024 )) MiB"; }

if $only_delta; then
  ferry_create "$work/profile.yaml" >/dev/null 2>&1
  {
    echo "# Ferry: delta bundles"
    echo
    echo "Written by \`bench/run.sh --only-delta\` on $(date -u +%Y-%m-%dT%H:%M:%SZ): $(nproc) cores, load average at the start"
    echo "$(cut -d' ' -f1-3 /proc/loadavg). Runtime: $rt_mib MiB in $rt_files files. Medians of $runs runs, alternating."
    delta_rows
  } >"$out.tmp"
  mv "$out.tmp" "$out"
  cat "$out"
  exit 0
fi

# suite TAG PROFILE RUNTIME: create, verify and install, $runs rounds; in each round every launcher, then the stock
# tool, on the same input, each run after the same flush (run), the page cache warm for all.
suite() {
  local tag=$1 prof=$2 rt=$3 l
  echo "bench: $tag: $runs rounds of each pair ($launchers, stock, alternating)..." >&2
  # Warm the page cache and the launchers (a CDS archive may be made on first use).
  for l in $launchers; do
    use "$l"; ferry_create "$prof" >/dev/null 2>&1; bash -c ". '$work/cmds.sh'; ferry_verify" >/dev/null 2>&1
  done
  for _ in $(seq "$runs"); do
    for l in $launchers; do use "$l"; run "$tag/create/$l" "ferry_create '$prof'"; done
    run "$tag/create/stock" "stock_create '$rt'"
  done
  for _ in $(seq "$runs"); do
    for l in $launchers; do use "$l"; run "$tag/verify/$l" ferry_verify; done
    run "$tag/verify/stock" stock_verify
  done
  for _ in $(seq "$runs"); do
    for l in $launchers; do use "$l"; run "$tag/install/$l" ferry_install; done
    run "$tag/install/stock" stock_install
    run "$tag/install-sync/stock" stock_install_sync
  done
  use bin
  eval "bundle_mib_$tag=$(( $(stat -c %s "$bundle") / 1048576 ))"
}
suite_rows() { # TAG: the table rows of one suite, one per launcher
  local tag=$1 l
  for l in $launchers; do
    row "create ($l): \`bundler create\` vs \`tar \| zstd -3 -T0\` + \`sha256sum\` of every file" "$tag/create/$l" "$tag/create/stock" "<= 1.0"
  done
  for l in $launchers; do
    row "verify ($l): \`installer verify\` vs \`zstd -dc \| sha256sum\`" "$tag/verify/$l" "$tag/verify/stock" "<= 1.0"
  done
  for l in $launchers; do
    row "install ($l): \`installer install\` (none, --skip-selftest) vs \`zstd -dc \| tar -x\`" "$tag/install/$l" "$tag/install/stock" "<= 1.3"
  done
  for l in $launchers; do
    row "install ($l), both durable: the same vs \`zstd -dc \| tar -x\` then \`sync -f\`" "$tag/install/$l" "$tag/install-sync/stock" "-"
  done
}
suite main "$work/profile.yaml" "$work/runtime"
for _ in $(seq "$runs"); do
  for l in $launchers; do
    use "$l"
    measure_starts "version/$l" "$INSTALLER" --version
    measure_starts "status/$l" "$INSTALLER" status --root "$work/empty"
  done
  measure_starts version/hello "$java_cmd" -XX:+UseSerialGC -Xshare:auto -jar "$work/hello/hello.jar"
done
use bin

# Install on a quiet file system: each run starts once the kernel no longer skips the inodes the previous tree freed
# (this VM's ext4 has no journal; ext4 skips inodes freed in the last 60 s, fs/ext4/ialloc.c, RECENTCY_MIN: bench/
# NOTES.md, "Reading these numbers"), so neither side pays for the bench's own removals. Three alternating pairs
# through bin/; not in a smoke run (six and a half minutes of waits).
quiet_wait=65
if ! $smoke; then
  echo "bench: install on a quiet file system, ${quiet_wait} s before each run..." >&2
  for _ in 1 2 3; do
    settle=$quiet_wait run quiet-install/bin ferry_install
    settle=$quiet_wait run quiet-install/stock stock_install
  done
fi

echo "bench: generating the JDK-heavy runtime ($jdk_flag)..." >&2
python3 "$top/bench/gen-runtime.py" "$work/jdk" $jdk_flag
sync
jdk_mib=$(du -sm "$work/jdk" | cut -f1)
jdk_files=$(find "$work/jdk" -type f | wc -l)
bench_profile "$work/jdk" "$work/jdk.yaml"
suite jdk "$work/jdk.yaml" "$work/jdk"
rm -rf "$work/jdk" "$work/out"
# The later sections start from the default runtime's bundle.
ferry_create "$work/profile.yaml" >/dev/null 2>&1

echo "bench: peak RSS with the default heap and with -Xmx128m..." >&2
rss_round() { # suffix runtime-profile
  run "create-rss$1" "ferry_create '$2'"
  run "verify-rss$1" ferry_verify
  run "install-rss$1" ferry_install
  measure "version-rss$1" "$top/bin/installer" --version
  measure "status-rss$1" "$top/bin/installer" status --root "$work/empty"
}
rss_round "" "$work/profile.yaml"
FERRY_JAVA_OPTS="-Xmx128m" rss_round "/128m" "$work/profile.yaml"
bundle_mib=$bundle_mib_main

big_rows=""
if $big; then
  echo "bench: generating the ~2 GiB runtime..." >&2
  rm -rf "$work/root" "$work/untar" "$work/stock.tar.zst" "$work/out"
  python3 "$top/bench/gen-runtime.py" "$work/big" --big
  bench_profile "$work/big" "$work/big.yaml"
  big_mib=$(du -sm "$work/big" | cut -f1)
  # As many alternating rounds as for the other runtimes (the bars ask for medians of at least 5; three were too few:
  # the install ratio moved from 1.10 to 1.46 between runs).
  for _ in $(seq "$runs"); do
    run create-big/ferry "ferry_create '$work/big.yaml'"
    run create-big/stock "stock_create '$work/big'"
  done
  for _ in $(seq "$runs"); do
    run verify-big/ferry ferry_verify
    run verify-big/stock stock_verify
  done
  for _ in $(seq "$runs"); do
    run install-big/ferry ferry_install
    run install-big/stock stock_install
    run install-big-sync/stock stock_install_sync
  done
  export FERRY_JAVA_OPTS="-Xmx128m"
  run create-big/128m "ferry_create '$work/big.yaml'"
  run verify-big/128m ferry_verify
  run install-big/128m ferry_install
  unset FERRY_JAVA_OPTS
  big_bundle_mib=$(( $(stat -c %s "$bundle") / 1048576 ))
  rm -rf "$work/out"  # the delta figures start from the default runtime's bundle, not this one
  big_rows="
## The ~2 GiB runtime (--big: $big_mib MiB, one 1 GiB file; bundle $big_bundle_mib MiB), medians of $runs alternating runs (peak RSS with -Xmx128m: one run)

| command | Ferry s | stock s | ratio | bar | peak RSS default heap | peak RSS -Xmx128m |
|---|---|---|---|---|---|---|"
  for c in create:1.0 verify:1.0 install:1.3; do
    bar=${c#*:}; c=${c%:*}
    f=$(median "$c-big/ferry" 2); s=$(median "$c-big/stock" 2)
    big_rows="$big_rows
| $c | $f | $s | **$(ratio "$f" "$s")** | <= $bar | $(( $(median "$c-big/ferry" 4) / 1024 )) MiB | $(( $(median "$c-big/128m" 4) / 1024 )) MiB |"
  done
  f=$(median install-big/ferry 2); s=$(median install-big-sync/stock 2)
  big_rows="$big_rows
| install vs tar -x then sync -f | $f | $s | **$(ratio "$f" "$s")** | - | | |"
fi

row() { # name ferry-label stock-label bar
  local f s fc sc
  f=$(median "$2" 2); s=$(median "$3" 2); fc=$(median "$2" 3); sc=$(median "$3" 3)
  echo "| $1 | $f | $s | **$(ratio "$f" "$s")** | $4 | $fc | $sc |"
}
delta_table=$(delta_rows)
{
  echo "# Ferry against the stock tools"
  echo
  echo "Written by \`bench/run.sh\` on $(date -u +%Y-%m-%dT%H:%M:%SZ): $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),"
  echo "$(( $(awk '/MemTotal/ { print $2 }' /proc/meminfo) / 1024 )) MiB RAM, $("$java_cmd" -version 2>&1 | sed -n 2p), zstd $(zstd -V | grep -o 'v[0-9.]*'),"
  echo "load average at the start $(cut -d' ' -f1-3 /proc/loadavg). Runtime: $rt_mib MiB in $rt_files files; bundle $bundle_mib MiB."
  echo "Medians of $runs runs, Ferry ($launchers) and stock alternating; warm page cache for all. Wall-clock seconds; CPU = user + sys."
  if [ "$launchers" != bin ]; then
    echo "The images' runtimes: $(image_runtime installer), $(image_runtime bundler)."
  fi
  echo
  echo "| what | Ferry s | stock s | ratio | bar | Ferry CPU s | stock CPU s |"
  echo "|---|---|---|---|---|---|---|"
  suite_rows main
  for l in $launchers; do
    row "start-up ($l): \`installer --version\` vs a Java hello-world" "version/$l" version/hello "<= 2.0"
  done
  for l in $launchers; do
    row "start-up ($l): \`installer status --root EMPTY\` vs a Java hello-world" "status/$l" version/hello "<= 3.0"
  done
  if ! $smoke; then
    row "install (bin) on a quiet file system (each run ${quiet_wait} s after the previous tree was removed; medians of 3)" \
      quiet-install/bin quiet-install/stock "-"
  fi
  echo
  echo "## The JDK-heavy runtime: $jdk_mib MiB in $jdk_files files (a real JDK's lib/ among random binaries and small text files); bundle $bundle_mib_jdk MiB"
  echo
  echo "| what | Ferry s | stock s | ratio | bar | Ferry CPU s | stock CPU s |"
  echo "|---|---|---|---|---|---|---|"
  suite_rows jdk
  echo
  echo "## Peak RSS (400 MiB runtime)"
  echo
  echo "| command | default heap | FERRY_JAVA_OPTS=-Xmx128m |"
  echo "|---|---|---|"
  for c in create verify install version status; do
    echo "| $c | $(rss "$c-rss") | $(rss "$c-rss/128m") |"
  done
  echo "$big_rows"
  echo "$delta_table"
} >"$out.tmp"
if [ -f "$top/bench/NOTES.md" ]; then
  { echo; cat "$top/bench/NOTES.md"; } >>"$out.tmp"
fi
mv "$out.tmp" "$out"
cat "$out"
