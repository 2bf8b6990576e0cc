#!/usr/bin/env bash
# A JWT Bearer login the way shell guides and CI scripts do it: base64url by hand,
# openssl dgst -sha256 -sign for the signature, curl for the POST.
#
#   drive_openssl_curl.sh URL KEYFILE CONSUMER_KEY USERNAME
set -euo pipefail
url=$1 key=$2 iss=$3 sub=$4
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
header=$(printf '{"alg":"RS256"}' | b64url)
claims=$(printf '{"iss":"%s","sub":"%s","aud":"https://login.salesforce.com","exp":%d}' \
  "$iss" "$sub" $(( $(date +%s) + 180 )) | b64url)
sig=$(printf '%s.%s' "$header" "$claims" | openssl dgst -sha256 -sign "$key" | b64url)
curl -sS --fail-with-body -X POST "$url/services/oauth2/token" \
  -d grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer \
  -d "assertion=$header.$claims.$sig"
echo
