#!/bin/sh
# Builds one self-contained app image (jlink runtime + jpackage launcher + AppCDS archive + completion + man page).
# Called by dist/pom.xml once per program; every tool comes from the JDK running Maven ($JDK/bin).
#
# usage: build-image.sh JDK NAME VERSION MAIN_CLASS MODULES PROGRAM_TARGET OUT FORBIDDEN_JAR_GLOB CODEGEN_JAR [JAVA_OPTION ...]
#   PROGRAM_TARGET  the program module's target folder: NAME.jar and lib/*.jar (what `mvn package` put there)
#   OUT             dist/target: the image lands in OUT/images/NAME, scratch in OUT/work/NAME
#   FORBIDDEN_JAR_GLOB  jars that must never be in this image (the installer: bc*.jar); "-" for none
#   JAVA_OPTION     extra launcher options; $APPDIR is expanded by the launcher to the image's lib/app
set -eu
jdk=$1 name=$2 version=$3 main=$4 modules=$5 program=$6 out=$7 forbidden=$8 codegen=$9
shift 9
bin=$jdk/bin
work=$out/work/$name
image=$out/images/$name
app=$image/lib/app

rm -rf "$work" "$image"
mkdir -p "$work/input/lib" "$out/images"

cp "$program/$name.jar" "$work/input/"
cp "$program"/lib/*.jar "$work/input/lib/"
if [ "$forbidden" != "-" ]; then
  for jar in "$work"/input/lib/$forbidden; do
    if [ -e "$jar" ]; then
      echo "build-image: $name must not contain $(basename "$jar")" >&2
      exit 1
    fi
  done
fi

# The runtime: only the modules the program needs (see dist/pom.xml for how the list was found).
"$bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$work/runtime"

# jpackage wants a purely numeric version: 0.1.0-SNAPSHOT -> 0.1.0.
version=$(echo "$version" | sed 's/[^0-9.].*//')

# zstd-jni's native library is loaded from the image itself (ZstdNativePath, copied in below) instead of being
# unpacked into the temp folder on every run, which a host with /tmp mounted noexec refuses. Should it not load,
# bundles are read with the pure-Java decoder (dev.ferry.bundle.ZstdDecoders).
set -- --java-options "-XX:SharedArchiveFile=\$APPDIR/$name.jsa" --java-options -Xshare:auto \
  --java-options "-DZstdNativePath=\$APPDIR/libzstd-jni.so" "$@"
# SerialGC: short single-user commands; it keeps the heap and the start-up small (as bin/ferry-launch does).
"$bin/jpackage" --type app-image --name "$name" --dest "$out/images" --input "$work/input" \
  --main-jar "$name.jar" --main-class "$main" --runtime-image "$work/runtime" --app-version "$version" \
  --java-options -XX:+UseSerialGC "$@"

case $(uname -m) in
  x86_64 | amd64) zstd_arch=amd64 ;;
  aarch64 | arm64) zstd_arch=aarch64 ;;
  *) zstd_arch=$(uname -m) ;;
esac
mkdir -p "$work/zstd-jni"
(cd "$work/zstd-jni" && "$bin/jar" xf "$(ls "$app"/lib/zstd-jni-*.jar)" "linux/$zstd_arch")
cp "$work/zstd-jni/linux/$zstd_arch"/libzstd-jni-*.so "$app/libzstd-jni.so"

# Class-data sharing: a static AppCDS archive of every class that `--version` loads and, when launcher-cds.sh ran
# first (OUT/cds), every class the everyday commands loaded in its training (JDK and application, picocli included:
# a dynamic archive cannot hold its Java 5 class files). It is dumped with exactly the class path the launcher uses,
# which the JVM checks at start; a copy of the image moved elsewhere simply starts without it (-Xshare:auto).
java=$image/lib/runtime/bin/java
classpath=$(awk -v appdir="$app" 'index($0, "app.classpath=$APPDIR") == 1 { print appdir substr($0, 22) }' \
  "$app/$name.cfg" | paste -sd: -)
"$java" -XX:+UseSerialGC -Xshare:off -XX:DumpLoadedClassList="$work/version.lst" -cp "$classpath" "$main" --version >/dev/null
cat "$work/version.lst" "$out/cds/$name.classlist" 2>/dev/null | awk '!seen[$0]++' >"$work/classes.lst"
"$java" -XX:+UseSerialGC -Xshare:dump -XX:SharedClassListFile="$work/classes.lst" \
  -XX:SharedArchiveFile="$app/$name.jsa" -cp "$classpath" >"$work/cds-dump.log" 2>&1 \
  || { cat "$work/cds-dump.log" >&2; exit 1; }

# Shell completion (bash; zsh through bashcompinit) and the man pages (one per command), generated from the picocli
# model: AsciiDoc sources, rendered to troff by Asciidoctor(J) when the build provides it (FERRY_ASCIIDOCTOR_LIB).
mkdir -p "$image/share/bash-completion/completions" "$image/share/doc/$name/man" "$work/adoc"
"$java" -Xshare:off -cp "$classpath" picocli.AutoComplete --force --name "$name" \
  --completionScript "$image/share/bash-completion/completions/$name" "$main"
"$java" -Xshare:off -cp "$classpath:$codegen" picocli.codegen.docgen.manpage.ManPageGenerator \
  --outdir "$work/adoc" "$main" >/dev/null
cp "$work"/adoc/*.adoc "$image/share/doc/$name/man/"
if [ -n "${FERRY_ASCIIDOCTOR_LIB:-}" ]; then
  mkdir -p "$image/share/man/man1"
  # The build JDK, not the image: JRuby wants modules (java.management) the image rightly leaves out.
  "$bin/java" -Xshare:off -cp "$FERRY_ASCIIDOCTOR_LIB/*" org.asciidoctor.jruby.cli.AsciidoctorInvoker -b manpage \
    -a reproducible -D "$image/share/man/man1" "$work"/adoc/*.adoc
fi

echo "build-image: $image ($(du -sh "$image" | cut -f1))"
