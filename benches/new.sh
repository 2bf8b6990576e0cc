#!/usr/bin/env bash
# Step 1 of the setup, timed two ways, each RUNS times (default 20) in a fresh directory:
#   sfjwt new DIR (2048-bit key, self-signed certificate, sfjwt.toml), from target/release;
#   the setup guide's four OpenSSL commands (genpkey -aes-256-cbc, rsa, req -new, x509 -req),
#   with -subj given to req so that it does not prompt.
# Prints the median, the quartiles and min/max of the wall-clock time of each, in milliseconds.
# Usage: benches/new.sh [RUNS]   (build first: cargo build --release)
set -euo pipefail

runs=${1:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
sfjwt=$root/target/release/sfjwt
openssl=${OPENSSL:-openssl}
[ -x "$sfjwt" ] || { echo "no $sfjwt: run cargo build --release first" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now_ns() { date +%s%N; }

sfjwt_new() {
  "$sfjwt" new "$1/bundle" --consumer-key 3MVG9bench --username bench@example.com >/dev/null
}

openssl_guide() {
  (
    cd "$1"
    "$openssl" genpkey -aes-256-cbc -algorithm RSA -pass pass:SomePassword -out server.pass.key \
      -pkeyopt rsa_keygen_bits:2048 2>/dev/null
    "$openssl" rsa -passin pass:SomePassword -in server.pass.key -out server.key 2>/dev/null
    "$openssl" req -new -key server.key -out server.csr -subj "/CN=bench/O=Example/C=US"
    "$openssl" x509 -req -sha256 -days 365 -in server.csr -signkey server.key -out server.crt \
      2>/dev/null
  )
}

# Times RUNS runs of function $1, each in a new directory; prints one time (ms) per line.
times() {
  local i dir start end
  for ((i = 0; i < runs; i++)); do
    dir=$work/$1-$i
    mkdir "$dir"
    start=$(now_ns)
    "$1" "$dir"
    end=$(now_ns)
    echo "scale=3; ($end - $start) / 1000000" | bc
  done
}

summary() {
  sort -n | awk -v name="$1" '
    { t[NR] = $1 }
    END {
      n = NR
      printf "%-34s runs %d  median %8.1f ms  IQR %8.1f-%-8.1f  min %8.1f  max %8.1f\n",
        name, n, pick(0.5), pick(0.25), pick(0.75), t[1], t[n]
    }
    function pick(p,   i) { i = int(p * (n - 1)) + 1; return t[i] }
  '
}

echo "machine: $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg); $("$openssl" version); $("$sfjwt" --version)"
times sfjwt_new | summary "sfjwt new (2048-bit)"
times openssl_guide | summary "openssl, the guide's 4 commands"
echo "load after: $(cut -d' ' -f1 /proc/loadavg)"
