#!/usr/bin/env python3
"""Makes the next release of a bench runtime: a copy of DIR (hard links, so untouched files cost nothing) in which a
few files, about PERCENT % of the bytes, are replaced by new content of the same size. The same bytes every time.

usage: change-runtime.py DIR NEW_DIR [PERCENT]   (default 2)
"""
import os
import random
import shutil
import sys


def main():
    src, dst = sys.argv[1], sys.argv[2]
    percent = float(sys.argv[3]) if len(sys.argv) > 3 else 2.0
    shutil.copytree(src, dst, copy_function=os.link, symlinks=True)
    files = []
    for root, _, names in os.walk(dst):
        for name in names:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                files.append((path, os.path.getsize(path)))
    files.sort()
    total = sum(size for _, size in files)
    goal = total * percent / 100
    # A few mid-sized files (a patched library or two), never the largest binaries: a typical patch release.
    candidates = [f for f in files if 256 * 1024 <= f[1] <= 8 * 1024 * 1024]
    rng = random.Random(14)
    rng.shuffle(candidates)
    changed, done = [], 0
    for path, size in candidates:
        if done + size > goal * 1.1:
            continue
        mode = os.stat(path).st_mode & 0o7777
        os.unlink(path)  # a new inode: the hard-linked original stays as it was
        with open(path, "wb") as f:
            f.write(rng.randbytes(size))
        os.chmod(path, mode)
        changed.append(path)
        done += size
        if done >= goal * 0.9:
            break
    print(f"{len(changed)} files, {done} of {total} bytes ({100 * done / total:.1f} %) changed")


if __name__ == "__main__":
    main()
