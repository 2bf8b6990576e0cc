#!/usr/bin/env bash
# Validate SARIF files with Microsoft's SARIF multitool (`validate`): the JSON schema plus the
# SARIF rules (SARIF1xxx errors, SARIF2xxx warnings), a second opinion beside the tests' own
# schema check (tests/cli/common/sarif.rs). Not run by CI; see tests/data/sarif/README.md.
#
# Usage: scripts/sarif-validate.sh FILE.sarif...
#
# Installs npm's @microsoft/sarif-multitool (pinned below; it brings a self-contained native
# binary, @microsoft/sarif-multitool-linux, no .NET needed) into target/sarif-multitool once.
# The multitool exits 0 even when it reports errors, so this script reads its report: it exits
# 1 when any line says ": error ", 2 on a usage or install problem, 0 otherwise (warnings, such
# as SARIF2005 for a driver without a version, are shown but pass).
set -euo pipefail

VERSION=5.7.0
root=$(cd "$(dirname "$0")/.." && pwd)
prefix="$root/target/sarif-multitool"
tool="$prefix/node_modules/.bin/sarif-multitool"

if [ $# -eq 0 ]; then
    echo "usage: $0 FILE.sarif..." >&2
    exit 2
fi
if [ ! -x "$tool" ]; then
    mkdir -p "$prefix"
    npm install --prefix "$prefix" --no-save --no-audit --no-fund \
        "@microsoft/sarif-multitool@$VERSION" >&2 || exit 2
fi

status=0
for file in "$@"; do
    if [ ! -f "$file" ]; then
        echo "$0: no such file: $file" >&2
        exit 2
    fi
    report=$("$tool" validate "$file" 2>&1) || { echo "$report" >&2; exit 2; }
    echo "$report"
    if grep -q ': error ' <<<"$report"; then
        status=1
    fi
done
exit "$status"
