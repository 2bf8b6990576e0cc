#!/usr/bin/env bash
# Regenerates the encrypted keys of tests/data with OpenSSL (1.1.1 or 3.x). Each is the `valid`
# fixture's key (fixtures/valid/server.key), encrypted; README.md beside this script says what
# each one is for and which tests read it.
#
#   bash tests/data/make.sh                 # every file (new salts, so every file changes)
#   bash tests/data/make.sh scrypt-n0.key   # only the files named
#
# The passphrase is sfjwt-fixture-passphrase, except for canary.pass.key (tests/cli/secrets.rs).
#
# OpenSSL refuses to write parameters that RFC 7914 does not allow, so scrypt-n0.key is an
# OpenSSL key whose parameters are rewritten: its salt, IV and ciphertext are kept, and its
# EncryptedPrivateKeyInfo is encoded again by `openssl asn1parse -genconf` with N = 0.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KEY="$HERE/../../fixtures/valid/server.key"
PASS='sfjwt-fixture-passphrase'
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# pkcs8 OUT PASSPHRASE OPTIONS...: the valid key as encrypted PKCS#8 PEM.
pkcs8() {
  local out="$1" pass="$2"
  shift 2
  openssl pkcs8 -topk8 -in "$KEY" -passout "pass:$pass" "$@" -out "$out"
}

# hex_fields PEM: the hex of every OCTET STRING of an EncryptedPrivateKeyInfo, one a line, in
# order: for PBES2 with scrypt, the salt, the IV and the ciphertext.
hex_fields() {
  openssl asn1parse -in "$1" | sed -n 's/.*OCTET STRING *\[HEX DUMP\]://p'
}

# scrypt_with OUT N R P: an OpenSSL scrypt key (AES-256-CBC) with N, r and p rewritten.
scrypt_with() {
  local out="$1" n="$2" r="$3" p="$4"
  pkcs8 "$WORK/base.pem" "$PASS" -scrypt
  local salt iv data
  { read -r salt; read -r iv; read -r data; } < <(hex_fields "$WORK/base.pem")
  cat >"$WORK/epki.cnf" <<EOF
asn1 = SEQUENCE:epki
[epki]
algorithm = SEQUENCE:pbes2
data = FORMAT:HEX,OCTETSTRING:$data
[pbes2]
oid = OID:1.2.840.113549.1.5.13
params = SEQUENCE:pbes2_params
[pbes2_params]
kdf = SEQUENCE:kdf
cipher = SEQUENCE:cipher
[kdf]
oid = OID:1.3.6.1.4.1.11591.4.11
params = SEQUENCE:scrypt_params
[scrypt_params]
salt = FORMAT:HEX,OCTETSTRING:$salt
n = INTEGER:$n
r = INTEGER:$r
p = INTEGER:$p
[cipher]
oid = OID:2.16.840.1.101.3.4.1.42
iv = FORMAT:HEX,OCTETSTRING:$iv
EOF
  openssl asn1parse -genconf "$WORK/epki.cnf" -out "$WORK/epki.der" -noout
  {
    echo '-----BEGIN ENCRYPTED PRIVATE KEY-----'
    openssl base64 -in "$WORK/epki.der"
    echo '-----END ENCRYPTED PRIVATE KEY-----'
  } >"$out"
}

make_one() {
  local out="$HERE/$1"
  case "$1" in
    canary.pass.key)
      pkcs8 "$out" 'Canary-Passphrase-5b1d9e7f' -v2 aes-256-cbc -v2prf hmacWithSHA256 ;;
    pbkdf2-1000001-iterations.key)
      pkcs8 "$out" "$PASS" -v2 aes-256-cbc -v2prf hmacWithSHA256 -iter 1000001 ;;
    pbkdf2-1-iteration.key)
      pkcs8 "$out" "$PASS" -v2 aes-256-cbc -v2prf hmacWithSHA256 -iter 1 ;;
    scrypt-default.key)
      pkcs8 "$out" "$PASS" -scrypt ;;
    scrypt-p16.key)
      pkcs8 "$out" "$PASS" -scrypt -scrypt_p 16 ;;
    scrypt-n2-r1-p1.key)
      pkcs8 "$out" "$PASS" -scrypt -scrypt_N 2 -scrypt_r 1 -scrypt_p 1 ;;
    scrypt-n0.key)
      scrypt_with "$out" 0 8 1 ;;
    *)
      echo "make.sh: no recipe for $1" >&2
      return 1 ;;
  esac
  echo "made tests/data/$1"
}

ALL=(canary.pass.key pbkdf2-1000001-iterations.key pbkdf2-1-iteration.key scrypt-default.key
  scrypt-p16.key scrypt-n2-r1-p1.key scrypt-n0.key)
for name in "${@:-${ALL[@]}}"; do
  make_one "$name"
done
