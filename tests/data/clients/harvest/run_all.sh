#!/usr/bin/env bash
# Re-run every client through every scenario (after install.sh), one client at a time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
clients=${*:-$(cd "$here" && python3 -c 'import clients; print(" ".join(clients.CLIENTS))')}
for c in $clients; do
  echo "## $c"
  python3 "$here/harness.py" "$c"
done
