#!/bin/sh
# Unpacks zstd-jni's native library for this machine from its jar into one file. The launchers name that file with
# -DZstdNativePath, so zstd-jni loads it from there instead of unpacking it into the temp folder at every start (0.02 s
# of each command; refused where /tmp is mounted noexec).
#
# usage: zstd-native.sh JDK ZSTD_JNI_JAR OUT_SO
set -eu
jdk=$1 jar=$2 out=$3
case $(uname -m) in
  x86_64 | amd64) arch=amd64 ;;
  aarch64 | arm64) arch=aarch64 ;;
  *) arch=$(uname -m) ;;
esac
work=$(mktemp -d "${TMPDIR:-/tmp}/ferry-zstd.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM HUP
(cd "$work" && "$jdk/bin/jar" xf "$jar" "linux/$arch")
cp "$work/linux/$arch"/libzstd-jni-*.so "$out.tmp"
mv "$out.tmp" "$out"
