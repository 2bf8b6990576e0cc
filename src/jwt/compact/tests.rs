use super::*;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

fn b64(s: &str) -> String {
    URL_SAFE_NO_PAD.encode(s)
}

fn token(header: &str, claims: &str, sig: &[u8]) -> String {
    format!(
        "{}.{}.{}",
        b64(header),
        b64(claims),
        URL_SAFE_NO_PAD.encode(sig)
    )
}

fn good() -> String {
    token(
        r#"{"alg":"RS256"}"#,
        r#"{"iss":"k","sub":"u@a.com","aud":"https://login.salesforce.com","exp":1}"#,
        &[7u8; 256],
    )
}

fn err(input: &str) -> DecodeError {
    decode(input).expect_err(input)
}

#[test]
fn a_plain_token_decodes_into_header_claims_and_signature() {
    let d = decode(&good()).unwrap();
    assert_eq!(d.alg(), Some("RS256"));
    assert_eq!(d.claims["sub"], "u@a.com");
    assert_eq!(d.signature_len(), 256);
    assert!(d.notes.is_empty() && d.encoding.is_empty() && d.duplicates.is_empty());
    assert_eq!(d.signing_input(), good().rsplit_once('.').unwrap().0);
    assert!(
        !format!("{d:?}").contains("BwcH"),
        "Debug hides the signature"
    );
    assert_eq!(d.header_json(), r#"{"alg":"RS256"}"#);
}

#[test]
fn what_surrounds_a_pasted_token_is_dropped_and_noted() {
    let t = good();
    for (input, note) in [
        (format!("  {t}\n"), None),
        (format!("{t}\r\n"), None),
        (format!("Bearer {t}"), Some("Bearer")),
        (format!("Authorization: Bearer {t}"), Some("Authorization")),
        (format!("\"{t}\""), Some("quotes")),
        (format!("'{t}'"), Some("quotes")),
        (
            format!("grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion={t}"),
            Some("form body"),
        ),
        (
            format!("{}\n{}", &t[..40], &t[40..]),
            Some("1 space or line break"),
        ),
    ] {
        let d = decode(&input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
        assert_eq!(d.claims["sub"], "u@a.com");
        match note {
            None => assert!(d.notes.is_empty(), "{:?}", d.notes),
            Some(n) => assert!(d.notes.iter().any(|x| x.contains(n)), "{:?}", d.notes),
        }
    }
}

#[test]
fn non_jwt_input_is_named() {
    assert_eq!(err(""), DecodeError::Empty);
    assert_eq!(err(" \n\t"), DecodeError::WhitespaceOnly);
    assert_eq!(err("\"\""), DecodeError::WhitespaceOnly);
    assert_eq!(err(&"a".repeat(MAX_TOKEN_LEN + 1)).code(), "too-large");
    assert_eq!(
        err("-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n"),
        DecodeError::PrivateKey
    );
    assert_eq!(
        err("-----BEGIN RSA PRIVATE KEY-----\nMIIE"),
        DecodeError::PrivateKey
    );
    assert_eq!(
        err("-----BEGIN CERTIFICATE-----\nMIIE"),
        DecodeError::PemBlock {
            label: "CERTIFICATE".into()
        }
    );
    assert_eq!(
        err("00D5g000004ABCD!AQ8AQPkz.abc"),
        DecodeError::AccessToken
    );
    assert_eq!(err(r#"{"iss":"x"}"#), DecodeError::Json);
    assert_eq!(err("hello"), DecodeError::Parts { count: 1 });
    assert_eq!(err("a.b"), DecodeError::Parts { count: 2 });
    assert_eq!(err("a.b.c.d.e"), DecodeError::Parts { count: 5 });
    assert_eq!(err("a.b.c.d"), DecodeError::Parts { count: 4 });
    assert_eq!(
        err(".eyJ9.x"),
        DecodeError::EmptyPart { part: Part::Header }
    );
    assert_eq!(
        err(&format!("{}..x", b64("{}"))),
        DecodeError::EmptyPart {
            part: Part::Payload
        }
    );
    assert_eq!(
        err("ey!J.e30.x"),
        DecodeError::BadCharacter {
            part: Part::Header,
            ch: '!',
            position: 3
        }
    );
    assert!(err("eyJ%2E.e30.x").message().contains("URL-encoded"));
}

#[test]
fn truncation_is_recognised() {
    let t = good();
    let (hp, _) = t.rsplit_once('.').unwrap();
    // Cut inside the payload: its JSON ends early.
    let (h, p) = hp.split_once('.').unwrap();
    let cut = format!("{h}.{}.", &p[..p.len() - 8]);
    assert_eq!(
        err(&cut),
        DecodeError::Truncated {
            part: Part::Payload
        }
    );
    // A base64 group cut to one character.
    assert_eq!(
        err(&format!("{h}.{p}.AAAAA")),
        DecodeError::Truncated {
            part: Part::Signature
        }
    );
    // Cut after the payload: two parts.
    assert_eq!(err(hp), DecodeError::Parts { count: 2 });
    // Cut inside the payload: two parts, the second ending early.
    assert_eq!(
        err(&t[..60]),
        DecodeError::Truncated {
            part: Part::Payload
        }
    );
    // Cut inside the signature: it still decodes, shorter (verification says so).
    let short = &t[..t.len() - 10];
    assert!(decode(short).unwrap().signature_len() < 256);
}

#[test]
fn parts_that_are_not_json_objects_are_named() {
    let e = err(&format!("{}.{}.", b64("not json"), b64("{}")));
    assert_eq!(e.code(), "not-json");
    assert!(e.message().contains("header"));
    let e = err(&format!("{}.{}.", b64("{}"), b64("[1,2]")));
    assert_eq!(
        e,
        DecodeError::NotObject {
            part: Part::Payload,
            found: "an array"
        }
    );
    let e = err(&format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode([0xff, 0xfe, 0x00]),
        b64("{}")
    ));
    assert!(e.message().contains("binary"), "{e}");
}

#[test]
fn padding_standard_alphabet_and_duplicates_are_tolerated_and_recorded() {
    use base64::engine::general_purpose::STANDARD;
    let header = STANDARD.encode(r#"{"alg":"RS256"}"#);
    let claims = STANDARD.encode(r#"{"sub":"a??>b","exp":1,"exp":2}"#);
    assert!(claims.contains('+') && claims.ends_with("=="), "{claims}");
    let d = decode(&format!("{header}.{claims}.AAAA")).unwrap();
    assert!(
        d.encoding.contains(&EncodingIssue::Padding),
        "{:?}",
        d.encoding
    );
    assert!(d.encoding.contains(&EncodingIssue::StandardAlphabet));
    assert_eq!(d.duplicates, vec!["claims.exp".to_string()]);
    assert_eq!(d.claims["exp"], 2);
    assert_eq!(d.claims["sub"], "a??>b");
}

#[test]
fn bytes_input_refuses_binary_and_utf16() {
    assert_eq!(
        decode_bytes(b"\xFF\xFEe\0y\0").unwrap_err(),
        DecodeError::NotText { utf16: true }
    );
    assert_eq!(
        decode_bytes(b"\x80\x81").unwrap_err(),
        DecodeError::NotText { utf16: false }
    );
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend_from_slice(good().as_bytes());
    assert!(decode_bytes(&with_bom).is_ok());
}

#[test]
fn never_panics_on_odd_input() {
    for input in [
        "...",
        "..",
        ".",
        "=.=.=",
        "Bearer",
        "Bearer ",
        "assertion=",
        "assertion=&x",
        "\"",
        "'a'",
        "é.é.é",
        "eyJ.eyJ.",
        "-----BEGIN ",
        "Authorization:",
        "\u{FEFF}",
        "🙂.🙂.🙂",
    ] {
        let _ = decode(input);
    }
    let mut s = String::new();
    for i in 0..2000u32 {
        s.push(char::from_u32(i).unwrap_or('x'));
        let _ = decode(&s);
    }
}

/// The part names are derived from the variant names: pinned here.
#[test]
fn part_names() {
    let names = [Part::Header, Part::Payload, Part::Signature].map(Part::as_str);
    assert_eq!(names, ["header", "payload", "signature"]);
}

/// The codes are derived from the variant names (some renamed): pinned here, every variant.
#[test]
fn error_codes() {
    let codes = [
        (DecodeError::Empty, "empty"),
        (DecodeError::WhitespaceOnly, "whitespace-only"),
        (DecodeError::TooLarge { bytes: 0 }, "too-large"),
        (DecodeError::NotText { utf16: false }, "not-text"),
        (DecodeError::PrivateKey, "private-key"),
        (
            DecodeError::PemBlock {
                label: String::new(),
            },
            "pem",
        ),
        (DecodeError::AccessToken, "access-token"),
        (DecodeError::Json, "json"),
        (DecodeError::Parts { count: 0 }, "parts"),
        (DecodeError::EmptyPart { part: Part::Header }, "empty-part"),
        (
            DecodeError::BadCharacter {
                part: Part::Header,
                ch: 'x',
                position: 0,
            },
            "bad-character",
        ),
        (DecodeError::Truncated { part: Part::Header }, "truncated"),
        (
            DecodeError::NotJson {
                part: Part::Header,
                detail: String::new(),
            },
            "not-json",
        ),
        (
            DecodeError::NotObject {
                part: Part::Header,
                found: "",
            },
            "not-object",
        ),
    ];
    for (error, code) in codes {
        assert_eq!(error.code(), code, "{error:?}");
    }
}
