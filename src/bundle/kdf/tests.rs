//! Each parameter sfjwt checks, made wrong in a key that OpenSSL encrypted: the salt, IV and
//! ciphertext of `tests/data/*.key` (made by `tests/data/make.sh`) are kept, and the parameters
//! are encoded again with the values under test, so only the value under test is wrong.

use super::*;
use crate::bundle::key::{KeyError, decode_private_key};
use crate::bundle::pem_text;

const PASS: &[u8] = b"sfjwt-fixture-passphrase";
/// scrypt N = 2, r = 1, p = 1, AES-256-CBC: the cheapest parameters OpenSSL writes.
const SCRYPT_KEY: &[u8] = include_bytes!("../../../tests/data/scrypt-n2-r1-p1.key");
/// PBKDF2-HMAC-SHA256, 1 iteration, AES-256-CBC.
const PBKDF2_KEY: &[u8] = include_bytes!("../../../tests/data/pbkdf2-1-iteration.key");

const AES_256_CBC: &str = "2.16.840.1.101.3.4.1.42";
const HMAC_SHA256: &str = "1.2.840.113549.2.9";

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(der::SEQUENCE, &parts.concat())
}

/// A DER INTEGER, in its shortest form.
fn int(v: i128) -> Vec<u8> {
    let bytes = v.to_be_bytes();
    let mut start = 0;
    while start < 15 {
        let (a, b) = (bytes[start], bytes[start + 1]);
        if (a == 0 && b < 0x80) || (a == 0xFF && b >= 0x80) {
            start += 1;
        } else {
            break;
        }
    }
    tlv(der::INTEGER, &bytes[start..])
}

fn oid(dotted: &str) -> Vec<u8> {
    let arcs: Vec<u64> = dotted.split('.').map(|a| a.parse().unwrap()).collect();
    let mut content = vec![(arcs[0] * 40 + arcs[1]) as u8];
    for &arc in &arcs[2..] {
        let mut groups = vec![(arc & 0x7F) as u8];
        let mut rest = arc >> 7;
        while rest > 0 {
            groups.push(0x80 | (rest & 0x7F) as u8);
            rest >>= 7;
        }
        content.extend(groups.into_iter().rev());
    }
    tlv(der::OID, &content)
}

fn octets(bytes: &[u8]) -> Vec<u8> {
    tlv(der::OCTET_STRING, bytes)
}

/// The salt, IV and ciphertext of an OpenSSL key of tests/data.
struct Real {
    salt: Vec<u8>,
    iv: Vec<u8>,
    data: Vec<u8>,
    der: Vec<u8>,
}

fn real(pem: &[u8]) -> Real {
    let text = std::str::from_utf8(pem).unwrap();
    let der_bytes = pem_text::blocks(text)[0].body.clone().unwrap().to_vec();
    let (outer, _) = der::read(&der_bytes).unwrap();
    let kids = der::children(outer.value).unwrap();
    let (_, pbes2) = der::algorithm(&kids[0]).unwrap();
    let parts = der::children(pbes2.unwrap().value).unwrap();
    let (_, kdf_params) = der::algorithm(&parts[0]).unwrap();
    let (_, iv) = der::algorithm(&parts[1]).unwrap();
    let salt = der::children(kdf_params.unwrap().value).unwrap()[0]
        .value
        .to_vec();
    Real {
        salt,
        iv: iv.unwrap().value.to_vec(),
        data: kids[1].value.to_vec(),
        der: der_bytes.clone(),
    }
}

/// An EncryptedPrivateKeyInfo: PBES2 with this KDF and cipher, and this ciphertext.
fn epki(kdf: Vec<u8>, cipher: Vec<u8>, data: &[u8]) -> Vec<u8> {
    let pbes2 = seq(&[oid(OID_PBES2), seq(&[kdf, cipher])]);
    seq(&[pbes2, octets(data)])
}

fn aes_256_cbc(iv: &[u8]) -> Vec<u8> {
    seq(&[oid(AES_256_CBC), octets(iv)])
}

/// The scrypt key of tests/data with these encoded fields after its salt.
fn scrypt_fields(fields: &[Vec<u8>]) -> Vec<u8> {
    let k = real(SCRYPT_KEY);
    let mut params = vec![octets(&k.salt)];
    params.extend_from_slice(fields);
    epki(
        seq(&[oid(OID_SCRYPT), seq(&params)]),
        aes_256_cbc(&k.iv),
        &k.data,
    )
}

fn scrypt(n: i128, r: i128, p: i128) -> Vec<u8> {
    scrypt_fields(&[int(n), int(r), int(p)])
}

/// The PBKDF2 key of tests/data with these encoded fields after its salt (then HMAC-SHA256).
fn pbkdf2_fields(fields: &[Vec<u8>]) -> Vec<u8> {
    let k = real(PBKDF2_KEY);
    let mut params = vec![octets(&k.salt)];
    params.extend_from_slice(fields);
    params.push(seq(&[oid(HMAC_SHA256), tlv(der::NULL, &[])]));
    epki(
        seq(&[oid(OID_PBKDF2), seq(&params)]),
        aes_256_cbc(&k.iv),
        &k.data,
    )
}

/// Decodes with and without the passphrase: both must be the refusal, and its problem is
/// returned. Without a passphrase too: a file that cannot be decrypted asks for none.
fn refused(der_bytes: &[u8]) -> String {
    let with = decode_private_key(der_bytes, Some(PASS));
    let without = decode_private_key(der_bytes, None);
    match (with, without) {
        (
            Err(KeyError::BadEncryptionParameters { problem }),
            Err(KeyError::BadEncryptionParameters { problem: same }),
        ) => {
            assert_eq!(problem, same);
            problem
        }
        (with, without) => panic!("not refused: {with:?} / {without:?}"),
    }
}

fn assert_refused(der_bytes: &[u8], needles: &[&str]) {
    let problem = refused(der_bytes);
    for needle in needles {
        assert!(problem.contains(needle), "{needle:?} not in: {problem}");
    }
}

#[test]
fn the_rebuilt_openssl_keys_are_byte_for_byte_the_originals_and_decrypt() {
    // The builder is faithful: what the tests change is the only difference.
    assert_eq!(scrypt(2, 1, 1), real(SCRYPT_KEY).der);
    assert_eq!(pbkdf2_fields(&[int(1)]), real(PBKDF2_KEY).der);
    for der_bytes in [scrypt(2, 1, 1), pbkdf2_fields(&[int(1)])] {
        let key = decode_private_key(&der_bytes, Some(PASS)).unwrap();
        assert_eq!(key.bits, 2048);
        assert!(check(&der_bytes).is_ok());
    }
}

#[test]
fn scrypt_cost_n_must_be_a_power_of_two_above_one() {
    assert_refused(&scrypt(0, 8, 1), &["scrypt cost N is 0", "power of two"]);
    assert_refused(&scrypt(1, 8, 1), &["scrypt cost N is 1"]);
    assert_refused(&scrypt(3, 8, 1), &["scrypt cost N is 3"]);
    assert_refused(&scrypt(1000, 8, 1), &["scrypt cost N is 1000"]);
    assert_refused(&scrypt(-16384, 8, 1), &["scrypt cost N is negative"]);
    assert_refused(&scrypt(1 << 64, 8, 1), &["2^64 or more"]);
    assert_refused(&scrypt(1 << 70, 8, 1), &["2^64 or more"]);
}

#[test]
fn scrypt_r_and_p_must_be_at_least_one() {
    assert_refused(&scrypt(2, 0, 1), &["block size r is 0", "at least 1"]);
    assert_refused(&scrypt(2, 1, 0), &["parallelization p is 0", "at least 1"]);
    assert_refused(&scrypt(2, -1, 1), &["block size r is negative"]);
    assert_refused(&scrypt(2, 1, -1), &["parallelization p is negative"]);
    assert_refused(&scrypt(2, 1 << 64, 1), &["block size r is 2^64 or more"]);
}

#[test]
fn scrypt_n_must_be_below_2_to_the_16_r_as_rfc_7914_says() {
    // r = 1: N < 2^16. 2^15 is allowed (and within sfjwt's bounds), 2^16 is not.
    assert!(check(&scrypt(1 << 15, 1, 1)).is_ok());
    assert_refused(
        &scrypt(1 << 16, 1, 1),
        &["N = 2^16 is not below 2^(128 · r / 8) = 2^16 for r = 1"],
    );
}

#[test]
fn scrypt_p_must_be_within_rfc_7914s_bound_for_r() {
    // (2^32 - 1) · 32 / (128 · 65535) = 16384.
    assert!(check(&scrypt(2, 32, 16384)).is_ok());
    assert_refused(
        &scrypt(2, 65535, 16385),
        &[
            "parallelization p = 16385",
            "= 16384, the most RFC 7914 allows for r = 65535",
        ],
    );
}

#[test]
fn scrypt_r_and_p_above_what_sfjwt_reads_are_refused() {
    assert_refused(
        &scrypt(2, 70_000, 1),
        &["block size r is 70000", "at most 65535"],
    );
    assert_refused(
        &scrypt(2, 1, 70_000),
        &["parallelization p 70000", "at most 65535"],
    );
}

#[test]
fn scrypt_memory_and_work_past_the_bounds_are_refused() {
    // N · r = 2^20 (128 MiB) is the most; the OpenSSL default (2^14, 8, 1) is well within.
    assert!(check(&scrypt(1 << 14, 8, 1)).is_ok());
    assert!(check(&scrypt(1 << 17, 8, 1)).is_ok());
    assert_refused(
        &scrypt(1 << 18, 8, 1),
        &[
            "scrypt with more memory or work than sfjwt will use",
            "N · r = 2097152 (N = 262144, r = 8) takes 256 MiB",
            "(128 MiB)",
        ],
    );
    assert_refused(
        &scrypt(1 << 14, 8, 16),
        &["N · r · p = 2097152 (N = 16384, r = 8, p = 16)"],
    );
    // Values whose product overflows 64 bits.
    assert_refused(&scrypt(1 << 62, 65535, 1), &["more memory or work"]);
}

#[test]
fn a_key_length_that_is_not_the_ciphers_is_refused() {
    let k = real(SCRYPT_KEY);
    // keyLength 32 is AES-256's: accepted, and the key decrypts.
    let right = scrypt_fields(&[int(2), int(1), int(1), int(32)]);
    assert_eq!(decode_private_key(&right, Some(PASS)).unwrap().bits, 2048);
    for (length, shown) in [
        (16, "16"),
        (0, "0"),
        (-32, "negative"),
        (1 << 80, "2^64 or more"),
    ] {
        assert_refused(
            &scrypt_fields(&[int(2), int(1), int(1), int(length)]),
            &[
                &format!("its keyLength is {shown} bytes"),
                "AES-256-CBC takes a 32-byte key",
            ],
        );
    }
    assert_refused(
        &pbkdf2_fields(&[int(1), int(24)]),
        &["keyLength is 24 bytes, and AES-256-CBC takes a 32-byte key"],
    );
    assert_refused(
        &scrypt_fields(&[int(2), int(1), int(1), octets(&[32])]),
        &["keyLength is not an INTEGER"],
    );
    assert_eq!(k.iv.len(), 16);
}

#[test]
fn pbkdf2_iterations_must_be_from_one_to_the_bound() {
    assert_refused(
        &pbkdf2_fields(&[int(0)]),
        &["PBKDF2 iteration count is 0", "at least 1"],
    );
    assert_refused(
        &pbkdf2_fields(&[int(-2048)]),
        &["iteration count is negative"],
    );
    assert_refused(
        &pbkdf2_fields(&[int(1_000_001)]),
        &["PBKDF2 with 1000001 iterations", "at most 1000000"],
    );
    assert_refused(&pbkdf2_fields(&[int(1 << 32)]), &["4294967296 iterations"]);
    assert_refused(
        &pbkdf2_fields(&[int(1 << 90)]),
        &["more than 2^64 iterations"],
    );
    assert!(check(&pbkdf2_fields(&[int(1_000_000)])).is_ok());
}

#[test]
fn salts_the_decrypting_crate_cannot_hold_are_refused() {
    let k = real(SCRYPT_KEY);
    let with_salt = |salt: Vec<u8>| {
        let params = seq(&[salt, int(2), int(1), int(1)]);
        epki(seq(&[oid(OID_SCRYPT), params]), aes_256_cbc(&k.iv), &k.data)
    };
    assert!(check(&with_salt(octets(&[7; 32]))).is_ok());
    assert_refused(
        &with_salt(octets(&[7; 33])),
        &["its scrypt salt is 33 bytes, more than the 32 sfjwt reads"],
    );
    assert_refused(
        &with_salt(seq(&[oid(HMAC_SHA256)])),
        &["salt is not an OCTET STRING"],
    );
}

#[test]
fn an_iv_of_the_wrong_length_or_kind_is_refused() {
    let k = real(SCRYPT_KEY);
    let kdf = || {
        seq(&[
            oid(OID_SCRYPT),
            seq(&[octets(&k.salt), int(2), int(1), int(1)]),
        ])
    };
    assert_refused(
        &epki(kdf(), aes_256_cbc(&k.iv[..8]), &k.data),
        &["its AES-256-CBC IV is 8 bytes, and AES-256-CBC takes 16"],
    );
    assert_refused(
        &epki(kdf(), seq(&[oid(AES_256_CBC)]), &k.data),
        &["its AES-256-CBC IV is missing"],
    );
    assert_refused(
        &epki(kdf(), seq(&[oid(AES_256_CBC), int(5)]), &k.data),
        &["IV is not an OCTET STRING"],
    );
    // DES-EDE3-CBC: the pkcs5 crate slices its IV unchecked when built with it.
    assert_refused(
        &epki(
            kdf(),
            seq(&[oid("1.2.840.113549.3.7"), octets(&[1, 2])]),
            &k.data,
        ),
        &["its DES-EDE3-CBC IV is 2 bytes, and DES-EDE3-CBC takes 8"],
    );
}

#[test]
fn integers_that_are_not_der_and_missing_fields_are_refused() {
    // 00 02: the value 2 with a needless leading zero.
    assert_refused(
        &scrypt_fields(&[tlv(der::INTEGER, &[0, 2]), int(1), int(1)]),
        &["scrypt cost N is not in DER's shortest form"],
    );
    assert_refused(
        &scrypt_fields(&[tlv(der::INTEGER, &[]), int(1), int(1)]),
        &["INTEGER with no digits"],
    );
    assert_refused(
        &scrypt_fields(&[octets(&[2]), int(1), int(1)]),
        &["scrypt cost N is not an INTEGER"],
    );
    assert_refused(
        &scrypt_fields(&[int(2), int(1)]),
        &["scrypt parameters are incomplete"],
    );
    // The PRF where the iteration count goes.
    assert_refused(
        &pbkdf2_fields(&[]),
        &["PBKDF2 iteration count is not an INTEGER"],
    );
    let k = real(SCRYPT_KEY);
    assert_refused(
        &epki(
            seq(&[oid(OID_PBKDF2), seq(&[octets(&k.salt)])]),
            aes_256_cbc(&k.iv),
            &k.data,
        ),
        &["PBKDF2 parameters are incomplete"],
    );
    assert_refused(
        &epki(seq(&[oid(OID_SCRYPT)]), aes_256_cbc(&k.iv), &k.data),
        &["scrypt parameters are missing"],
    );
    assert_refused(
        &seq(&[seq(&[oid(OID_PBES2), int(1)]), octets(&k.data)]),
        &["PBES2 parameters are not a key-derivation function and a cipher"],
    );
}

#[test]
fn other_schemes_are_left_to_the_caller() {
    // PBES1 with RC2 and unknown KDFs and ciphers: named by decrypt_pkcs8 as unsupported.
    let k = real(SCRYPT_KEY);
    let pbes1 = seq(&[
        seq(&[
            oid("1.2.840.113549.1.5.11"),
            seq(&[octets(&[1; 8]), int(0)]),
        ]),
        octets(&k.data),
    ]);
    assert!(check(&pbes1).is_ok());
    let unknown_kdf = epki(seq(&[oid("1.2.3.4"), int(0)]), aes_256_cbc(&k.iv), &k.data);
    assert!(check(&unknown_kdf).is_ok());
    assert!(matches!(
        decode_private_key(&unknown_kdf, Some(PASS)),
        Err(KeyError::UnsupportedEncryption { .. })
    ));
    let unknown_cipher = epki(
        seq(&[
            oid(OID_SCRYPT),
            seq(&[octets(&k.salt), int(2), int(1), int(1), int(7)]),
        ]),
        seq(&[oid("1.2.3.4"), octets(&[0; 3])]),
        &k.data,
    );
    assert!(check(&unknown_cipher).is_ok());
    assert!(check(b"").is_ok());
    assert!(check(&[0x30, 0x00]).is_ok());
}

#[test]
fn the_refusal_is_a_key_parse_finding_with_a_fix_and_a_code() {
    let e = decode_private_key(&scrypt(0, 8, 1), Some(PASS)).unwrap_err();
    assert_eq!(e.code(), "bad-encryption-parameters");
    assert!(
        e.message().starts_with(
            "the private key is encrypted, but the encryption parameters in the file were refused"
        ),
        "{}",
        e.message()
    );
    assert!(
        e.message().ends_with("power of two greater than 1"),
        "{}",
        e.message()
    );
    assert!(
        e.fix()
            .contains("openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256 -in server.key -out server.key.new"),
        "{}",
        e.fix()
    );
    // As PEM, as OpenSSL's file is.
    let pem = format!(
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\n{}\n-----END ENCRYPTED PRIVATE KEY-----\n",
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, scrypt(0, 8, 1))
    );
    assert_eq!(
        decode_private_key(pem.as_bytes(), Some(PASS)).unwrap_err(),
        e
    );
    let file = include_bytes!("../../../tests/data/scrypt-n0.key");
    assert_eq!(
        decode_private_key(file, Some(PASS)).unwrap_err().code(),
        "bad-encryption-parameters"
    );
}

#[test]
fn single_byte_changes_to_the_parameters_never_panic() {
    // Every byte before the ciphertext of the cheapest OpenSSL keys, set to values at the
    // edges of DER's encodings: each decode ends with a key or an error, never a panic.
    for original in [scrypt(2, 1, 1), pbkdf2_fields(&[int(1)])] {
        let header = original.len() - real(SCRYPT_KEY).data.len();
        for at in 0..header {
            let was = original[at];
            for value in [
                0x00,
                0x01,
                0x02,
                0x7F,
                0x80,
                0x81,
                0xFF,
                was ^ 1,
                was.wrapping_add(1),
            ] {
                let mut v = original.clone();
                v[at] = value;
                match decode_private_key(&v, Some(PASS)) {
                    Ok(key) => assert_eq!(key.bits, 2048),
                    Err(e) => assert!(!e.message().is_empty() && !e.fix().is_empty()),
                }
            }
        }
    }
}

/// The passphrase of fixtures/encrypted-keys (made by its make.sh).
const ENC_PASS: &[u8] = b"sfjwt-enc-test-passphrase";
/// `openssl pkcs8 -topk8 -v1 PBE-SHA1-3DES`: PKCS#12 PBE, 2048 iterations.
const PKCS12_KEY: &[u8] = include_bytes!("../../../fixtures/encrypted-keys/pbes1-sha1-3des.pem");
/// `openssl pkcs8 -topk8 -v1 PBE-MD5-DES` (legacy provider): PBES1, 2048 iterations.
const PBES1_KEY: &[u8] = include_bytes!("../../../fixtures/encrypted-keys/pbes1-md5-des.pem");

/// The scheme OID, salt and ciphertext of a PBES1 or PKCS#12 PBE key.
fn pbe_parts(pem: &[u8]) -> (String, Vec<u8>, Vec<u8>) {
    let text = std::str::from_utf8(pem).unwrap();
    let der_bytes = pem_text::blocks(text)[0].body.clone().unwrap().to_vec();
    let (outer, _) = der::read(&der_bytes).unwrap();
    let kids = der::children(outer.value).unwrap();
    let (scheme, params) = der::algorithm(&kids[0]).unwrap();
    let salt = der::children(params.unwrap().value).unwrap()[0]
        .value
        .to_vec();
    (scheme, salt, kids[1].value.to_vec())
}

/// The key of `pem` with this salt, iteration count (encoded) and ciphertext.
fn pbe(pem: &[u8], salt: Option<&[u8]>, iterations: Vec<u8>, data: Option<&[u8]>) -> Vec<u8> {
    let (scheme, real_salt, real_data) = pbe_parts(pem);
    seq(&[
        seq(&[
            oid(&scheme),
            seq(&[octets(salt.unwrap_or(&real_salt)), iterations]),
        ]),
        octets(data.unwrap_or(&real_data)),
    ])
}

#[test]
fn the_rebuilt_pbe_keys_are_the_originals_and_decrypt() {
    for pem in [PKCS12_KEY, PBES1_KEY] {
        let der_bytes = pbe(pem, None, int(2048), None);
        let text = std::str::from_utf8(pem).unwrap();
        assert_eq!(
            der_bytes,
            pem_text::blocks(text)[0].body.clone().unwrap().to_vec()
        );
        assert!(check(&der_bytes).is_ok());
        let key = decode_private_key(&der_bytes, Some(ENC_PASS)).unwrap();
        assert_eq!(key.bits, 2048);
        assert_eq!(
            decode_private_key(&der_bytes, Some(b"not-it")).unwrap_err(),
            KeyError::WrongPassphrase
        );
        assert_eq!(
            decode_private_key(&der_bytes, None).unwrap_err(),
            KeyError::NeedsPassphrase { openssl_enc: false }
        );
    }
}

/// The PKCS#12 and PBKDF1 iteration counts come from the file, as PBKDF2's does: refused past
/// the same bound before any hashing (the refusal is the same with and without a passphrase,
/// so no derivation ran).
#[test]
fn pbe_iterations_must_be_from_one_to_the_bound() {
    for (pem, name) in [
        (PKCS12_KEY, "PKCS#12 pbeWithSHAAnd3-KeyTripleDES-CBC"),
        (PBES1_KEY, "PBES1 pbeWithMD5AndDES-CBC"),
    ] {
        assert_refused(
            &pbe(pem, None, int(0), None),
            &[&format!("its {name} iteration count is 0"), "at least 1"],
        );
        assert_refused(
            &pbe(pem, None, int(-1), None),
            &["iteration count is negative"],
        );
        assert_refused(
            &pbe(pem, None, int(1_000_001), None),
            &[
                &format!("{name} with 1000001 iterations"),
                "at most 1000000",
            ],
        );
        assert_refused(
            &pbe(pem, None, int(1 << 32), None),
            &["4294967296 iterations"],
        );
        assert_refused(
            &pbe(pem, None, int(1 << 90), None),
            &["more than 2^64 iterations"],
        );
        assert!(check(&pbe(pem, None, int(1_000_000), None)).is_ok());
    }
}

#[test]
fn pbe_salts_and_ciphertexts_of_the_wrong_size_are_refused() {
    assert_refused(
        &pbe(PKCS12_KEY, Some(&[]), int(2048), None),
        &["salt is 0 bytes", "1 to 64"],
    );
    assert_refused(
        &pbe(PKCS12_KEY, Some(&[7; 65]), int(2048), None),
        &["salt is 65 bytes"],
    );
    assert!(check(&pbe(PKCS12_KEY, Some(&[7; 64]), int(2048), None)).is_ok());
    assert_refused(
        &pbe(PBES1_KEY, Some(&[7; 16]), int(2048), None),
        &["salt is 16 bytes, and PBES1 takes 8"],
    );
    for pem in [PKCS12_KEY, PBES1_KEY] {
        assert_refused(
            &pbe(pem, None, int(2048), Some(&[1; 12])),
            &["encrypted data is 12 bytes, not a whole number of 8-byte DES blocks"],
        );
        assert_refused(
            &pbe(pem, None, int(2048), Some(&[])),
            &["encrypted data is 0 bytes"],
        );
    }
    let (scheme, _, data) = pbe_parts(PKCS12_KEY);
    let no_count = seq(&[seq(&[oid(&scheme), seq(&[octets(&[1; 8])])]), octets(&data)]);
    assert_refused(&no_count, &["parameters are incomplete"]);
    let no_params = seq(&[seq(&[oid(&scheme)]), octets(&data)]);
    assert_refused(&no_params, &["parameters are missing or not a SEQUENCE"]);
}
