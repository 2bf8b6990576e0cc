use super::*;

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

const SALT: [u8; 8] = [1, 2, 3, 4, 5, 6, 7, 8];

/// Key and IV as `openssl enc OPTIONS -P -S 0102030405060708 -pass pass:sfjwt` prints them
/// (OpenSSL 3.0.19): the derivation, the slicing into key then IV, and the iteration count.
const OPENSSL_P: &[(Kdf, Cipher, &str, &str)] = &[
    (
        Kdf::BytesToKey(Md::Md5),
        Cipher::Aes256Cbc,
        "FA29136F23A6C11AA052BA44DAF420386957F3286D1269327AE9D87EE2E8BB0F",
        "1D5A8EFA3CB1EA9542A82C0116E2DFD4",
    ),
    (
        Kdf::BytesToKey(Md::Sha256),
        Cipher::Aes256Cbc,
        "2A71638F4BC44BE174C49EAFE69B30BBD488C850185A1F0B9B4F90702DC8D62E",
        "EF0CCA4C95E4D996D28F41437DFC8277",
    ),
    (
        Kdf::BytesToKey(Md::Sha1),
        Cipher::Aes128Cbc,
        "5F92A3C11E32600045EBFE143AE3D03A",
        "56D35B4E043EE449E70BD306689BB4B3",
    ),
    (
        Kdf::Pbkdf2(Md::Sha256, 10_000),
        Cipher::Aes256Cbc,
        "4881A66B4B4DC477F21A4867D961CE6372A64D7A82C03F070D3AE7BD5700D2A0",
        "CB5CF5D482D7B12599B798E8012E92EC",
    ),
    (
        Kdf::Pbkdf2(Md::Sha256, 1_000),
        Cipher::DesEde3Cbc,
        "94C9263A9E279C484F7C331FCCAB36CE0D910D1E7ED3F922",
        "11B627143A14A68F",
    ),
    (
        Kdf::Pbkdf2(Md::Sha512, 2),
        Cipher::Aes256Cbc,
        "ABF2A4C72C7E26814D3EF02C239C4D113DA5D8A30F6B57C2542E29F1234D5DC5",
        "ADEB5380B8B041AE079CD9F255C3AE49",
    ),
];

#[test]
fn derivations_match_openssl_enc_p() {
    for &(kdf, cipher, key, iv) in OPENSSL_P {
        let material = derive(kdf, b"sfjwt", &SALT);
        let (k, i) = cipher.key_iv_bytes();
        assert_eq!(material[..k], hex(key), "{kdf:?} {cipher:?} key");
        assert_eq!(material[k..k + i], hex(iv), "{kdf:?} {cipher:?} iv");
    }
}

#[test]
fn the_work_of_the_list_is_bounded() {
    // 3 EVP_BytesToKey (8 hashes) and PBKDF2: SHA-256 in 2 blocks of 1000, 10000 and 100000
    // iterations, SHA-512 in 1 block of 10000 and 100000.
    assert_eq!(total_work(), 8 + 2 * 111_000 + 110_000);
    assert!(total_work() <= WORK_BUDGET);
    for cipher in CIPHERS {
        let (k, i) = cipher.key_iv_bytes();
        assert!((k + i) as u64 <= DERIVED_BYTES, "{cipher:?}");
    }
    let mut seen = Vec::new();
    for kdf in KDFS {
        assert!(!seen.contains(kdf), "{kdf:?} twice");
        seen.push(*kdf);
    }
}

#[test]
fn reads_the_raw_and_the_base64_form() {
    let mut raw = MAGIC.to_vec();
    raw.extend_from_slice(&SALT);
    raw.extend_from_slice(&[0xAA; 32]);
    let file = read(&raw).unwrap().unwrap();
    assert_eq!(
        (file.salt, file.ciphertext.len(), file.base64),
        (SALT, 32, false)
    );

    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(&raw);
    assert!(b64.starts_with(MAGIC_BASE64));
    let wrapped = format!("\n{}\n{}\n", &b64[..20], &b64[20..]);
    let file = read(wrapped.as_bytes()).unwrap().unwrap();
    assert_eq!(
        (file.salt, file.ciphertext.len(), file.base64),
        (SALT, 32, true)
    );

    assert_eq!(read(b"Salted__1234").unwrap(), Err(Damage::Truncated));
    assert_eq!(read(b"Salted__12345678").unwrap(), Err(Damage::Truncated));
    assert_eq!(read(b"U2FsdGVkX1!!").unwrap(), Err(Damage::BadBase64));
    assert!(read(b"-----BEGIN PRIVATE KEY-----").is_none());
    assert!(read(b"").is_none());
}

#[test]
fn names_parameters_as_openssl_takes_them() {
    let p = |kdf, cipher| Params { kdf, cipher };
    assert_eq!(
        p(Kdf::Pbkdf2(Md::Sha256, 10_000), Cipher::Aes256Cbc).options(),
        "-aes-256-cbc -pbkdf2"
    );
    assert_eq!(
        p(Kdf::Pbkdf2(Md::Sha512, 100_000), Cipher::Aes128Cbc).options(),
        "-aes-128-cbc -md sha512 -pbkdf2 -iter 100000"
    );
    assert_eq!(
        p(Kdf::BytesToKey(Md::Md5), Cipher::DesEde3Cbc).options(),
        "-des-ede3-cbc -md md5"
    );
    assert_eq!(
        p(Kdf::Pbkdf2(Md::Sha256, 10_000), Cipher::Aes256Cbc).describe(),
        "AES-256-CBC, PBKDF2-HMAC-SHA256 10000 iterations"
    );
    assert_eq!(
        p(Kdf::BytesToKey(Md::Md5), Cipher::Aes256Cbc).describe(),
        "AES-256-CBC, EVP_BytesToKey-MD5 1 iteration"
    );
}

/// Made by `fixtures/openssl-enc/make.sh` with the real OpenSSL 3 command line.
const AES192: &[u8] = include_bytes!("../../../fixtures/openssl-enc/pbkdf2-aes192.enc");
const CTR_B64: &[u8] = include_bytes!("../../../fixtures/openssl-enc/pbkdf2-aes256-oneline.b64");
const PASS: &[u8] = b"sfjwt-enc-test-passphrase";

#[test]
fn a_wrong_passphrase_finds_nothing_and_a_right_one_its_parameters() {
    let file = read(AES192).unwrap().unwrap();
    let found = decrypt(&file, PASS, |_, p| Some(p.to_vec())).unwrap();
    assert_eq!(
        found.0,
        Params {
            kdf: Kdf::Pbkdf2(Md::Sha256, 10_000),
            cipher: Cipher::Aes192Cbc
        }
    );
    assert!(found.1.starts_with(b"-----BEGIN PRIVATE KEY-----"));
    let mut offered = 0;
    let none = decrypt(&file, b"wrong", |_, _| {
        offered += 1;
        None::<()>
    });
    assert!(none.is_none());
    // Garbage that passes the padding (1 in 256) and starts as DER (1 in 256) is rare.
    assert!(offered <= 1);

    let file = read(CTR_B64).unwrap().unwrap();
    assert!(file.base64);
    let (params, _) = decrypt(&file, PASS, |_, p| {
        p.starts_with(b"-----BEGIN").then_some(())
    })
    .unwrap();
    assert_eq!(params.options(), "-aes-256-cbc -pbkdf2");
}
