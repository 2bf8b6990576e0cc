use super::*;
use crate::bundle::key::{PrivateKey, decode_private_key};
use crate::checks::testing::ctx;
use crate::finding::Status;
use std::path::PathBuf;

const VALID_KEY: &[u8] = include_bytes!("../../../fixtures/valid/server.key");

// The checks' outcomes as reports see them (a skip as a skip outcome).
fn key_parse(b: &Bundle, ctx: &Context) -> Outcome {
    KEY_PARSE.outcome(b, ctx, &mut Scratch::default())
}
fn key_strength(b: &Bundle, ctx: &Context) -> Outcome {
    KEY_STRENGTH.outcome(b, ctx, &mut Scratch::default())
}
fn key_file_permissions(b: &Bundle, ctx: &Context) -> Outcome {
    KEY_FILE_PERMISSIONS.outcome(b, ctx, &mut Scratch::default())
}

fn decoded(bytes: &[u8], pass: Option<&[u8]>) -> PrivateKey {
    decode_private_key(bytes, pass).expect("fixture decodes")
}

fn with_key(state: Loaded<PrivateKey, KeyError>, origin: Option<Origin>) -> Bundle {
    let mut b = Bundle::empty("test");
    b.key.state = state;
    b.key.origin = origin;
    b
}

fn file_origin() -> Option<Origin> {
    Some(Origin::File(PathBuf::from("fixtures/valid/server.key")))
}

#[test]
fn key_parse_passes_with_format_bits_and_fingerprint() {
    let key = decoded(VALID_KEY, None);
    let fp = key.fingerprint();
    let b = with_key(Loaded::Ok(key), file_origin());
    let o = key_parse(&b, &ctx());
    assert_eq!(o.status, Status::Pass);
    assert!(o.message.contains("2048-bit") && o.message.contains("PKCS#8 PEM"));
    assert!(o.message.contains(&fp));
    assert_eq!(o.evidence["format"], "pkcs8-pem");
    assert_eq!(o.evidence["bits"], 2048);
    assert_eq!(o.evidence["fingerprint"], fp.as_str());
    assert_eq!(o.evidence["origin"], "fixtures/valid/server.key");
    assert!(o.fix.is_none());
    // No key material anywhere.
    let all = format!("{} {:?}", o.message, o.evidence);
    assert!(!all.contains("MII"));
}

#[test]
fn key_parse_notes_benign_repairs_and_warns_on_one_line_pem() {
    let literal = include_bytes!("../../../fixtures/key-literal-newlines/server.key");
    let o = key_parse(&with_key(Loaded::Ok(decoded(literal, None)), None), &ctx());
    assert_eq!(o.status, Status::Pass);
    assert!(o.message.contains("literal \\n sequences"), "{}", o.message);
    assert_eq!(o.evidence["repairs"][0], pem_text::REPAIR_LITERAL_NEWLINES);

    let one_line = include_bytes!("../../../fixtures/key-one-line/server.key");
    let o = key_parse(&with_key(Loaded::Ok(decoded(one_line, None)), None), &ctx());
    assert_eq!(o.status, Status::Warn);
    assert!(o.fix.as_deref().unwrap().contains("base64 -w0 server.key"));
    assert_eq!(o.steps.as_deref(), Some(&[1u8, 7][..]));
}

#[test]
fn key_parse_passes_the_base64_of_a_key_file_and_says_to_decode_it() {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(VALID_KEY);
    let o = key_parse(
        &with_key(Loaded::Ok(decoded(b64.as_bytes(), None)), None),
        &ctx(),
    );
    // Storing the key as `base64 -w0 server.key` is what the one-line warning advises.
    assert_eq!(o.status, Status::Pass);
    assert!(o.message.contains("base64 -d"), "{}", o.message);
    assert_eq!(o.evidence["repairs"][0], pem_text::REPAIR_BASE64_PEM);
}

#[test]
fn key_parse_mentions_decryption() {
    let enc = include_bytes!("../../../fixtures/encrypted-key/server.key");
    let key = decoded(enc, Some(b"sfjwt-fixture-passphrase"));
    let o = key_parse(&with_key(Loaded::Ok(key), None), &ctx());
    assert_eq!(o.status, Status::Pass);
    assert!(o.message.contains("decrypted with the passphrase"));
    assert_eq!(o.evidence["encrypted"], true);
}

#[test]
fn key_parse_warns_when_not_given_and_fails_unreadable_and_invalid() {
    let o = key_parse(&Bundle::empty("x"), &ctx());
    assert_eq!(o.status, Status::Warn);
    assert!(
        o.message.starts_with("no private key was given"),
        "{}",
        o.message
    );
    assert!(
        o.message.ends_with(
            "key.strength, key.file-permissions, cert.matches-key, assertion.claims and assertion.signature did not run"
        ),
        "{}",
        o.message
    );

    let b = with_key(Loaded::Unreadable(ReadError::NotFound), file_origin());
    let o = key_parse(&b, &ctx());
    assert_eq!(o.status, Status::Fail);
    assert!(o.message.contains("fixtures/valid/server.key"));
    assert!(o.message.contains("does not exist"));
    assert!(o.fix.is_some());

    for err in [
        ReadError::IsDirectory,
        ReadError::NotARegularFile,
        ReadError::TooLarge { limit: 1024 },
        ReadError::PermissionDenied,
        ReadError::Other("boom".into()),
    ] {
        let o = key_parse(&with_key(Loaded::Unreadable(err), None), &ctx());
        assert_eq!(o.status, Status::Fail);
    }

    let b = with_key(
        Loaded::Invalid(KeyError::IsCertificate),
        Some(Origin::Env("SFJWT_PRIVATE_KEY".into())),
    );
    let o = key_parse(&b, &ctx());
    assert_eq!(o.status, Status::Fail);
    assert!(o.message.contains("certificate") && o.message.contains("$SFJWT_PRIVATE_KEY"));
    assert_eq!(o.evidence["error"], "is-certificate");
    assert_eq!(o.steps, None);

    let o = key_parse(
        &with_key(Loaded::Invalid(KeyError::Truncated), None),
        &ctx(),
    );
    assert_eq!(o.status, Status::Fail);
    assert_eq!(o.steps.as_deref(), Some(&[1u8, 7][..]));
}

#[test]
fn key_strength_passes_fails_informs_and_skips() {
    let o = key_strength(
        &with_key(Loaded::Ok(decoded(VALID_KEY, None)), None),
        &ctx(),
    );
    assert_eq!(
        (o.status, o.evidence["bits"].as_u64()),
        (Status::Pass, Some(2048))
    );

    let weak = include_bytes!("../../../fixtures/weak-key/server.key");
    let o = key_strength(&with_key(Loaded::Ok(decoded(weak, None)), None), &ctx());
    assert_eq!(o.status, Status::Fail);
    assert!(o.message.contains("1024"));
    assert!(o.fix.unwrap().contains("rsa_keygen_bits:2048"));

    let mut big = decoded(VALID_KEY, None);
    big.bits = 8192;
    let o = key_strength(&with_key(Loaded::Ok(big), None), &ctx());
    assert_eq!(o.status, Status::Info);

    let o = key_strength(&Bundle::empty("x"), &ctx());
    assert_eq!(o.status, Status::Skip);
    let o = key_strength(&with_key(Loaded::Invalid(KeyError::Empty), None), &ctx());
    assert_eq!(
        (o.status, o.message.as_str()),
        (Status::Skip, "the key did not read (see key.parse)")
    );
    let o = key_strength(
        &with_key(Loaded::Unreadable(ReadError::NotFound), None),
        &ctx(),
    );
    assert_eq!(o.status, Status::Skip);
}

#[test]
fn key_file_permissions_skips_without_a_file() {
    let o = key_file_permissions(&Bundle::empty("x"), &ctx());
    assert_eq!(o.status, Status::Skip);
    let b = with_key(
        Loaded::Ok(decoded(VALID_KEY, None)),
        Some(Origin::Env("SFJWT_PRIVATE_KEY".into())),
    );
    let o = key_file_permissions(&b, &ctx());
    assert_eq!(o.status, Status::Skip);
    assert!(o.message.contains("did not come from a file"));
    let b = with_key(Loaded::Ok(decoded(VALID_KEY, None)), None);
    assert_eq!(key_file_permissions(&b, &ctx()).status, Status::Skip);
}

#[cfg(unix)]
#[test]
fn key_file_permissions_warns_on_group_or_other_access() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("server key.pem");
    std::fs::write(&path, VALID_KEY).unwrap();
    let check = |mode: u32| {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        let b = with_key(
            Loaded::Ok(decoded(VALID_KEY, None)),
            Some(Origin::File(path.clone())),
        );
        key_file_permissions(&b, &ctx())
    };
    let o = check(0o600);
    assert_eq!(o.status, Status::Pass);
    assert_eq!(o.evidence["mode"], "0600");
    assert_eq!(check(0o400).status, Status::Pass);

    let o = check(0o644);
    assert_eq!(o.status, Status::Warn);
    assert!(o.message.contains("group can read") && o.message.contains("others can read"));
    let fix = o.fix.unwrap();
    assert!(fix.contains("chmod 600 '"), "{fix}");
    assert!(fix.contains("server key.pem'"));
    let o = check(0o640);
    assert_eq!(o.status, Status::Warn);
    assert!(!o.message.contains("others"));

    // A file that went away since it was read: skipped, not failed.
    std::fs::remove_file(&path).unwrap();
    let b = with_key(
        Loaded::Unreadable(ReadError::NotFound),
        Some(Origin::File(path.clone())),
    );
    assert_eq!(key_file_permissions(&b, &ctx()).status, Status::Skip);
}

#[test]
fn shell_quoting() {
    assert_eq!(
        shell_quote("fixtures/valid/server.key"),
        "fixtures/valid/server.key"
    );
    assert_eq!(shell_quote("my key"), "'my key'");
    assert_eq!(shell_quote("it's"), "'it'\\''s'");
}
