#!/usr/bin/env python3
"""Generates a realistic agent runtime for bench/run.sh, the same bytes for the same arguments.

usage: gen-runtime.py DIR [--big | --jdk | --small]
  default: ~400 MiB: two 100 MiB incompressible binaries, a JRE-like tree (the running JDK's lib/, copied),
           5,000 text files of 1..20 KiB (configs, scripts, licences: compressible);
  --big:   the same plus a single 1 GiB incompressible file and ~600 MiB of half-compressible data: ~2 GiB.
  --jdk:   JDK-heavy, ~390 MiB (issue 17): a real JDK's lib/ folder at the top (JDK_LIB, default the running
           JDK's), two 40 MiB incompressible binaries and 10,000 text files of 1..20 KiB: more, smaller files.
  --small: a few MiB, for `bench/run.sh --smoke` (checks the script runs; its figures mean nothing).
"""
import os
import random
import shutil
import subprocess
import sys

MIB = 1 << 20
WORDS = ("agent certificate discovery provision endpoint proxy token renew expire issuer subject chain "
         "request response timeout retry connect socket tls handshake verify policy inventory host port "
         "scan schedule queue drain upload report error warning info debug trace config value default "
         "enabled disabled interval seconds minutes path file folder service restart status health").split()


def incompressible(path, size, seed):
    """Random bytes, fast: a seeded generator's blocks (os.urandom would not be reproducible)."""
    rng = random.Random(seed)
    with open(path, "wb") as f:
        left = size
        while left > 0:
            n = min(left, 4 * MIB)
            f.write(rng.randbytes(n))
            left -= n


def half_compressible(path, size, seed):
    """Alternating random and repetitive 64 KiB blocks: zstd -3 halves it, like a mixed native library."""
    rng = random.Random(seed)
    block = 64 * 1024
    pattern = (b"\x00\x01\x02\x03" * 16 + bytes(range(64))) * (block // 128)
    with open(path, "wb") as f:
        left, i = size, 0
        while left > 0:
            n = min(left, block)
            f.write(rng.randbytes(n) if i % 2 == 0 else pattern[:n])
            left -= n
            i += 1


def text_file(path, rng):
    size = rng.randint(1024, 20 * 1024)
    lines, total = [], 0
    while total < size:
        key = rng.choice(WORDS) + "." + rng.choice(WORDS)
        line = "%s = %s %d %s\n" % (key, " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 8))),
                                    rng.randint(0, 99999), rng.choice(WORDS))
        lines.append(line)
        total += len(line)
    with open(path, "w") as f:
        f.write("".join(lines)[:size])


def running_jdk_lib():
    java_home = subprocess.run(["java", "-XshowSettings:properties", "-version"], capture_output=True, text=True).stderr
    home = next(l.split("=", 1)[1].strip() for l in java_home.splitlines() if l.strip().startswith("java.home ="))
    return os.path.join(home, "lib")


def jre_tree(dest, src=None):
    """A JDK's lib/ folder (the running JDK's by default), links followed: .so libraries, jars, the modules image."""
    src = src or running_jdk_lib()
    for root, _dirs, files in os.walk(src, followlinks=True):
        rel = os.path.relpath(root, src)
        os.makedirs(os.path.join(dest, rel), exist_ok=True)
        for name in files:
            s = os.path.join(root, name)
            if not os.path.exists(s) or name == "src.zip":
                continue  # dangling links (src.zip without the source package)
            shutil.copyfile(s, os.path.join(dest, rel, name))


def text_files(out, count, seed):
    rng = random.Random(seed)
    for i in range(count):
        folder = os.path.join(out, "share", "conf%02d" % (i % 50))
        os.makedirs(folder, exist_ok=True)
        text_file(os.path.join(folder, "file%04d.%s" % (i, rng.choice(["conf", "yaml", "txt", "sh", "properties"]))), rng)


def agent_script(out):
    os.makedirs(os.path.join(out, "bin"), exist_ok=True)
    with open(os.path.join(out, "bin/agent"), "w") as f:
        f.write("#!/bin/sh\nexec \"$(dirname \"$0\")/agent-core\" \"$@\"\n")
    os.chmod(os.path.join(out, "bin/agent"), 0o755)


def jdk_heavy(out):
    """Issue 17's second runtime: what a Java agent carries, a JDK's lib/ beside its own binaries and configs."""
    agent_script(out)
    incompressible(os.path.join(out, "bin/agent-core"), 40 * MIB, 11)
    os.chmod(os.path.join(out, "bin/agent-core"), 0o755)
    jre_tree(os.path.join(out, "lib"), os.environ.get("JDK_LIB"))
    incompressible(os.path.join(out, "lib/libagent-native.so"), 40 * MIB, 12)
    text_files(out, 10000, 13)


def small(out):
    agent_script(out)
    incompressible(os.path.join(out, "bin/agent-core"), 2 * MIB, 21)
    text_files(out, 200, 23)


def main():
    out = sys.argv[1]
    big = "--big" in sys.argv[2:]
    if "--jdk" in sys.argv[2:]:
        return jdk_heavy(out)
    if "--small" in sys.argv[2:]:
        return small(out)
    agent_script(out)
    os.makedirs(os.path.join(out, "lib"), exist_ok=True)
    incompressible(os.path.join(out, "bin/agent-core"), 100 * MIB, 1)
    os.chmod(os.path.join(out, "bin/agent-core"), 0o755)
    incompressible(os.path.join(out, "lib/libagent-native.so"), 100 * MIB, 2)
    jre_tree(os.path.join(out, "jre/lib"))
    text_files(out, 5000, 3)
    if big:
        os.makedirs(os.path.join(out, "data"), exist_ok=True)
        incompressible(os.path.join(out, "data/model.bin"), 1024 * MIB, 4)
        for i in range(3):
            half_compressible(os.path.join(out, "data/index%d.dat" % i), 200 * MIB, 5 + i)


if __name__ == "__main__":
    main()
