#!/usr/bin/env bash
# With CI set, a skipped test fails the build: a guard that skips where root, `ip netns`, tmpfs or sshd is missing
# would otherwise pass silently and CI would not prove what README.md claims. Reads the JUnit XML reports surefire
# wrote after MARKER (a file test.sh touches before it starts) and lists every skipped test with its reason.
# usage: .ci/no-skipped-tests.sh MARKER
set -euo pipefail
cd "$(dirname "$0")/.."
marker=$1
found=0
while IFS= read -r report; do
  skipped=$(awk '
    /<testcase / { match($0, /name="[^"]*"/); name = substr($0, RSTART + 6, RLENGTH - 7)
                   match($0, /classname="[^"]*"/); cls = substr($0, RSTART + 11, RLENGTH - 12) }
    /<skipped/   { msg = ""
                   if (match($0, /message="[^"]*"/)) msg = substr($0, RSTART + 9, RLENGTH - 10)
                   else if (match($0, /CDATA\[[^\]]*/)) msg = substr($0, RSTART + 6, RLENGTH - 6)
                   print "  " cls "." name (msg != "" ? ": " msg : "") }' "$report")
  if [ -n "$skipped" ]; then
    printf '%s\n' "$skipped"
    found=1
  fi
done < <(find . -path '*/target/surefire-reports*/TEST-*.xml' -newer "$marker" | sort)
if [ "$found" -ne 0 ]; then
  echo "test.sh: the tests above were skipped; with CI set every test must run (install what they need: see test.sh)" >&2
  exit 1
fi
