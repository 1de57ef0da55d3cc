#!/usr/bin/env bash
# Measures bundle write and verify throughput on ~300 MB of generated mixed input.
# Usage: bundle/throughput.sh [MB] [LEVEL] [WORKERS]      (defaults: 300, BundleWriter.DEFAULT_LEVEL, all cores)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -o -pl bundle -am test-compile
mvn -B -ntp -q -o -pl bundle dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test >/dev/null
cp="bundle/target/test-classes:bundle/target/classes:keys/target/classes:common/target/classes:$(cat bundle/target/classpath.txt)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
java -Xmx256m -cp "$cp" dev.ferry.bundle.BundleThroughput "$work" "$@"
