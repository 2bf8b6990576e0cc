#!/usr/bin/env bash
# The offline checks of `sfjwt check`, done by hand with the OpenSSL CLI the way people do them
# today: the baseline that scripts/bench.sh times sfjwt against. For one bundle directory
# (server.key, server.crt, sfjwt.toml) it
#   1. compares the moduli of the key and the certificate (cert.matches-key),
#   2. asks whether the certificate is valid now and 30 days from now (cert.validity),
#   3. builds a test JWT as Salesforce's doc does and signs it with `openssl dgst -sha256 -sign`,
#   4. verifies that signature with the certificate's public key (assertion.signature).
# It prints one line per step (`matches-key pass`, ...) and exits 1 when a step failed.
# Usage: scripts/openssl-by-hand.sh BUNDLE_DIR [WORK_DIR]
set -uo pipefail
dir=${1:?usage: openssl-by-hand.sh BUNDLE_DIR [WORK_DIR]}
work=${2:-$(mktemp -d)}
key=$dir/server.key
cert=$dir/server.crt
failed=0
step() { # NAME STATUS
    echo "$1 $2"
    [ "$2" = pass ] || failed=1
}
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# 1. The setup guide's check: the moduli must be equal.
key_mod=$(openssl rsa -noout -modulus -in "$key" | openssl sha256)
cert_mod=$(openssl x509 -noout -modulus -in "$cert" | openssl sha256)
[ "$key_mod" = "$cert_mod" ] && step matches-key pass || step matches-key fail

# 2. Valid now, and for more than 30 days.
openssl x509 -noout -checkend 0 -in "$cert" >/dev/null && now=pass || now=fail
openssl x509 -noout -checkend $((30 * 86400)) -in "$cert" >/dev/null && soon=pass || soon=warn
[ "$now" = pass ] && step validity "$soon" || step validity fail

# 3. A test assertion: header and claims from sfjwt.toml, exp = now + 180 s, signed RS256.
get() { sed -n "s/^$1 *= *\"\(.*\)\"/\1/p" "$dir/sfjwt.toml"; }
exp=$(($(date +%s) + 180))
header=$(printf '{"alg":"RS256"}' | b64url)
claims=$(printf '{"iss":"%s","sub":"%s","aud":"%s","exp":%s}' \
    "$(get consumer_key)" "$(get username)" "$(get login_url)" "$exp" | b64url)
printf '%s.%s' "$header" "$claims" >"$work/input"
openssl dgst -sha256 -sign "$key" -out "$work/sig" "$work/input"
jwt="$(cat "$work/input").$(b64url <"$work/sig")"
[ -n "$jwt" ] || failed=1

# 4. Verify it with the certificate's public key.
openssl x509 -noout -pubkey -in "$cert" >"$work/pub.pem"
openssl dgst -sha256 -verify "$work/pub.pem" -signature "$work/sig" "$work/input" >/dev/null 2>&1 &&
    step signature pass || step signature fail
exit $failed
