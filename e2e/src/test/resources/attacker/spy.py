# A local user without privileges, polling the agent's folders as fast as it can for any secret it can read.
# Usage: spy.py ROOT AGENT OUT STOP. Writes "scans N" and every distinct content it managed to read to OUT.
import os
import sys

root, agent, out, stop = sys.argv[1:5]
bases = [root + "/opt/ferry/" + agent + "/releases", root + "/etc/ferry/" + agent,
         root + "/var/lib/ferry/" + agent + "/.txn/config-backup", root + "/var/lib/ferry/" + agent + "/.txn"]
seen = set()
scans = 0
while not os.path.exists(stop):
    for base in bases:
        try:
            entries = os.listdir(base)
        except OSError:
            continue
        scans += 1
        for entry in entries:
            path = base + "/" + entry
            for candidate in (path + "/secrets/token", path + "/secrets/proxy-password", path + "/token", path):
                try:
                    with open(candidate, "rb") as f:
                        data = f.read(4096)
                    if data:
                        seen.add(data)
                except OSError:
                    pass
with open(out, "w") as f:
    f.write("scans %d\n" % scans)
    for data in sorted(seen):
        f.write(repr(data) + "\n")
