#!/usr/bin/env python3
"""Check tests/data/clients: every .txt is in manifest.toml and the other way round, every entry
has a cause and steps within 1-7, and no text holds an access token (only the emulator's fake
00D000000000000!FAKE would be allowed) or a machine-specific path."""
import os
import re
import sys
import tomllib

DATA = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
entries = tomllib.load(open(os.path.join(DATA, "manifest.toml"), "rb"))["file"]
listed = {e["file"] for e in entries}
on_disk = {os.path.relpath(os.path.join(d, f), DATA) for d, _, fs in os.walk(DATA) for f in fs
           if f.endswith(".txt")}
bad = []
bad += ["not in manifest: " + f for f in sorted(on_disk - listed)]
bad += ["missing file: " + f for f in sorted(listed - on_disk)]
for e in entries:
    if not e.get("cause") or not e.get("steps") or not all(1 <= s <= 7 for s in e["steps"]):
        bad.append("cause/steps: " + e["file"])
    for k in ("client", "version", "scenario", "command"):
        if not e.get(k):
            bad.append("no %s: %s" % (k, e["file"]))
token = re.compile(r"00D[A-Za-z0-9]{12,15}![A-Za-z0-9_.]{20,}")
for f in sorted(on_disk):
    text = open(os.path.join(DATA, f), encoding="utf-8").read()
    if token.search(text.replace("00D000000000000!FAKE", "")):
        bad.append("access token: " + f)
    if re.search(r"/tmp/harvest|/work/|/root/", text):
        bad.append("unsanitized path: " + f)
print("\n".join(bad) or "%d files, %d manifest entries: ok" % (len(on_disk), len(entries)))
sys.exit(1 if bad else 0)
