//! Every encrypted key form OpenSSL writes (fixtures/encrypted-keys, made by its make.sh from one
//! key), through the real binary: with the passphrase, `key.parse` passes with the fingerprint
//! of the unencrypted key; with a wrong one it fails saying the passphrase is wrong; the forms
//! sfjwt refuses (RC2, RC4, Camellia) are named with the command that re-encrypts them; and no
//! passphrase, right or wrong, is ever in the output.

use crate::common;

use serde_json::Value;

const DIR: &str = "fixtures/encrypted-keys";
/// The passphrase make.sh encrypted every file with.
const PASSPHRASE: &str = "sfjwt-enc-test-passphrase";
const WRONG: &str = "not-the-right-one-42";
/// An instant inside server.crt's validity.
const AT: &str = "2026-12-01T00:00:00Z";

/// The files sfjwt decrypts, and the format `key.parse` names.
const DECRYPTED: &[(&str, &str)] = &[
    ("pbes2-aes128-sha256.pem", "encrypted-pkcs8-pem"),
    ("pbes2-aes192-sha256.pem", "encrypted-pkcs8-pem"),
    ("pbes2-aes256-sha256.pem", "encrypted-pkcs8-pem"),
    ("pbes2-aes256-sha256.der", "encrypted-pkcs8-der"),
    ("pbes2-des3-sha256.pem", "encrypted-pkcs8-pem"),
    ("pbes2-aes256-sha1.pem", "encrypted-pkcs8-pem"),
    ("pbes2-aes256-sha224.pem", "encrypted-pkcs8-pem"),
    ("pbes2-aes256-sha384.pem", "encrypted-pkcs8-pem"),
    ("pbes2-aes256-sha512.pem", "encrypted-pkcs8-pem"),
    ("pbes2-des3-sha1.pem", "encrypted-pkcs8-pem"),
    ("pbes2-des-sha256.pem", "encrypted-pkcs8-pem"),
    ("scrypt.pem", "encrypted-pkcs8-pem"),
    ("pkey-des3.pem", "encrypted-pkcs8-pem"),
    ("pkey-aes256.pem", "encrypted-pkcs8-pem"),
    ("genrsa-des3.pem", "encrypted-pkcs8-pem"),
    ("req-newkey.pem", "encrypted-pkcs8-pem"),
    ("pbes1-sha1-3des.pem", "encrypted-pkcs8-pem"),
    ("pbes1-sha1-2des.pem", "encrypted-pkcs8-pem"),
    ("pbes1-md5-des.pem", "encrypted-pkcs8-pem"),
    ("pbes1-sha1-des.pem", "encrypted-pkcs8-pem"),
    ("legacy-des3.pem", "legacy-encrypted-pem"),
    ("legacy-aes128.pem", "legacy-encrypted-pem"),
    ("legacy-aes192.pem", "legacy-encrypted-pem"),
    ("legacy-aes256.pem", "legacy-encrypted-pem"),
    ("legacy-des.pem", "legacy-encrypted-pem"),
    ("genrsa-traditional-aes256.pem", "legacy-encrypted-pem"),
];

/// The files sfjwt names and refuses, with the evidence code and the command the fix gives.
const REFUSED: &[(&str, &str, &str)] = &[
    (
        "pbes1-sha1-rc2-40.pem",
        "unsupported-encryption",
        RE_ENCRYPT_LEGACY,
    ),
    (
        "pbes1-sha1-rc2-128.pem",
        "unsupported-encryption",
        RE_ENCRYPT_LEGACY,
    ),
    (
        "pbes1-sha1-rc4-40.pem",
        "unsupported-encryption",
        RE_ENCRYPT_LEGACY,
    ),
    (
        "pbes1-sha1-rc4-128.pem",
        "unsupported-encryption",
        RE_ENCRYPT_LEGACY,
    ),
    (
        "pbes1-md5-rc2-64.pem",
        "unsupported-encryption",
        RE_ENCRYPT_LEGACY,
    ),
    (
        "pbes2-camellia256-sha256.pem",
        "unsupported-encryption",
        RE_ENCRYPT,
    ),
    ("legacy-camellia256.pem", "legacy-encrypted", TO_PKCS8),
];
const RE_ENCRYPT_LEGACY: &str = "`openssl pkcs8 -topk8 -provider legacy -provider default -v2 aes-256-cbc -v2prf hmacWithSHA256 -in server.key -out server.key.new`";
const RE_ENCRYPT: &str = "`openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256 -in server.key -out server.key.new`";
const TO_PKCS8: &str = "`openssl pkcs8 -topk8 -v2 aes-256-cbc -in server.key -out server.key.new`";

/// `sfjwt check --key FILE --cert server.crt` at [`AT`], JSON, with this passphrase (if any) in
/// `$SFJWT_KEY_PASSPHRASE`: the `key.parse` finding, and stdout and stderr together.
fn key_parse(file: &str, passphrase: Option<&str>) -> (Value, String) {
    let mut cmd = common::sfjwt();
    cmd.current_dir(DIR);
    if let Some(p) = passphrase {
        cmd.env("SFJWT_KEY_PASSPHRASE", p);
    }
    let out = cmd
        .args([
            "check",
            "--no-prompt",
            "--key",
            file,
            "--cert",
            "server.crt",
        ])
        .args(["--at", AT, "--format", "json"])
        .output()
        .unwrap();
    let all = common::all_output(&out);
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{file}: stdout is not JSON ({e}):\n{all}"));
    (common::finding(&report, "key.parse").clone(), all)
}

/// The unencrypted key a file holds: its own `NAME.plain.pem` when the command made its own
/// key (genrsa, req -newkey), else plain.pem.
fn plain_of(file: &str) -> String {
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let own = format!("{stem}.plain.pem");
    if std::path::Path::new(DIR).join(&own).is_file() {
        own
    } else {
        "plain.pem".into()
    }
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

#[test]
fn every_file_make_sh_writes_is_tested() {
    let mut listed: Vec<&str> = DECRYPTED.iter().map(|(f, _)| *f).collect();
    listed.extend(REFUSED.iter().map(|(f, _, _)| *f));
    listed.sort_unstable();
    let mut found: Vec<String> = std::fs::read_dir(DIR)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pem") || n.ends_with(".der"))
        .filter(|n| n != "plain.pem" && !n.ends_with(".plain.pem"))
        .collect();
    found.sort_unstable();
    assert_eq!(
        found, listed,
        "the files of {DIR} and the tables of this test"
    );
}

/// With the passphrase each file reads as the key it was made from; one snapshot of every
/// `key.parse` message (format and fingerprint included).
#[test]
fn every_form_decrypts_with_the_passphrase_to_the_same_key() {
    let mut shown = String::new();
    for &(file, format) in DECRYPTED {
        let (plain, _) = key_parse(&plain_of(file), None);
        assert_eq!(plain["status"], "pass", "{}: {plain}", plain_of(file));
        let (f, all) = key_parse(file, Some(PASSPHRASE));
        assert_eq!(f["status"], "pass", "{file}: {f}");
        assert_eq!(
            f["evidence"]["fingerprint"], plain["evidence"]["fingerprint"],
            "{file}: the fingerprint of the unencrypted key"
        );
        assert_eq!(f["evidence"]["format"], format, "{file}");
        assert_eq!(f["evidence"]["encrypted"], true, "{file}");
        assert!(
            !all.contains(PASSPHRASE),
            "{file}: the passphrase leaked:\n{all}"
        );
        shown += &format!("{file}: {}\n", text(&f["message"]));
    }
    insta::assert_snapshot!(shown);
}

#[test]
fn a_wrong_passphrase_is_said_to_be_wrong_and_none_asks_for_one() {
    for &(file, _) in DECRYPTED {
        let (f, all) = key_parse(file, Some(WRONG));
        assert_eq!(f["status"], "fail", "{file}: {f}");
        assert_eq!(f["evidence"]["error"], "wrong-passphrase", "{file}: {f}");
        assert!(
            text(&f["message"]).contains("the passphrase given does not decrypt it"),
            "{file}: {f}"
        );
        assert!(
            text(&f["fix"]).contains("Check the passphrase"),
            "{file}: {f}"
        );
        assert!(
            !all.contains(WRONG),
            "{file}: the wrong passphrase leaked:\n{all}"
        );

        let (f, _) = key_parse(file, None);
        assert_eq!(f["status"], "fail", "{file}: {f}");
        assert_eq!(f["evidence"]["error"], "needs-passphrase", "{file}: {f}");
        assert!(
            text(&f["fix"]).contains("$SFJWT_KEY_PASSPHRASE"),
            "{file}: {f}"
        );
    }
}

/// RC2 and RC4 (obsolete: OpenSSL 3 reads them only with its legacy provider) and Camellia are
/// named, with or without the passphrase, and the fix is the exact command that re-encrypts the
/// key with AES-256.
#[test]
fn the_forms_sfjwt_refuses_are_named_with_the_command_that_re_encrypts_them() {
    let mut shown = String::new();
    for &(file, code, command) in REFUSED {
        for passphrase in [Some(PASSPHRASE), None] {
            let (f, all) = key_parse(file, passphrase);
            assert_eq!(f["status"], "fail", "{file}: {f}");
            assert_eq!(f["evidence"]["error"], code, "{file}: {f}");
            // The fix names the file read, and a converted copy beside it (checks::files).
            let copy = format!("{}.key", file.rsplit_once('.').unwrap().0);
            let command = command
                .replace("server.key.new", &copy)
                .replace("server.key", file);
            assert!(text(&f["fix"]).contains(&command), "{file}: {f}");
            assert!(!all.contains(PASSPHRASE), "{file}: the passphrase leaked");
            if passphrase.is_some() {
                shown += &format!("{file}: {}\n", text(&f["message"]));
            }
        }
    }
    insta::assert_snapshot!(shown);
}
