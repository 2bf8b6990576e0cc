use super::*;

const PEM: &str = include_str!("../../fixtures/valid/server.key");
const CERT: &str = include_str!("../../fixtures/valid/server.crt");

fn body(pem: &str) -> String {
    pem.lines().filter(|l| !l.starts_with("-----")).collect()
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[test]
fn keys_in_every_encoding_are_private_keys() {
    let what = |v: &str| secret_shape(v).map(|s| (s.what, s.secret()));
    assert_eq!(what(PEM), Some(("a PEM private key", true)));
    assert_eq!(
        what(&PEM.replace('\n', "\\n")),
        Some(("a PEM private key", true))
    );
    assert_eq!(
        what(&b64(PEM.as_bytes())),
        Some(("the base64 of a PEM private key", true))
    );
    assert_eq!(
        what(&body(PEM)),
        Some(("the base64 of a DER private key", true))
    );
    assert_eq!(
        what(&body(PEM)[..120]),
        Some(("the base64 of a DER private key", true))
    );
    let encrypted = include_str!("../../fixtures/encrypted-key/server.key");
    assert_eq!(what(encrypted), Some(("a PEM private key", true)));
    assert_eq!(
        what(&body(encrypted)),
        Some(("the base64 of an encrypted DER private key", true))
    );
    let pkcs1 = include_str!("../../fixtures/pkcs1-key/server.key");
    assert_eq!(
        what(&body(pkcs1)),
        Some(("the base64 of a DER private key", true))
    );
}

#[test]
fn certificates_are_named_but_are_no_secret() {
    let what = |v: &str| secret_shape(v).map(|s| (s.what, s.secret()));
    assert_eq!(what(CERT), Some(("a PEM certificate", false)));
    assert_eq!(
        what(&b64(CERT.as_bytes())),
        Some(("the base64 of a PEM certificate", false))
    );
    assert_eq!(
        what(&body(CERT)),
        Some(("the base64 of a DER certificate", false))
    );
}

#[test]
fn tokens_and_secrets_have_their_shapes() {
    let shape = |v: &str| secret_shape(v).map(|s| s.what);
    assert!(
        shape("eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl")
            .unwrap()
            .contains("JWT")
    );
    assert!(
        shape("00Dxx0000001gPL!AQ4AQFakeTokenValue.abc")
            .unwrap()
            .contains("access token")
    );
    assert!(
        shape(&"C0FFEE00".repeat(8))
            .unwrap()
            .contains("consumer secret")
    );
    assert!(shape("8814408051617436252").unwrap().contains("19 digits"));
}

#[test]
fn ordinary_values_are_not_secrets() {
    for v in [
        "integration@acme.com",
        "https://login.salesforce.com",
        "3MVG9fe4g9fhX0E5kpoZMYGR0gqPt.ZHuBQ1DJ6y7PqvjBfRyCfQSvOCUMfDsX9Pbq4zWv4F0y3qKg09t_a7Q",
        "fixtures/valid/server.key",
        "eyJ",
        "00D",
        "server.key",
        "aGVsbG8gd29ybGQgdGhpcyBpcyBub3QgYSBrZXkgYXQgYWxsLCBqdXN0IHRleHQ=",
    ] {
        assert_eq!(secret_shape(v), None, "{v}");
    }
}

#[test]
fn key_material_is_known_in_every_encoding_it_is_given_in() {
    let one_line = PEM.replace('\n', " ");
    let escaped = PEM.replace('\n', "\\n");
    let base64_file = b64(PEM.as_bytes());
    let der = base64::engine::general_purpose::STANDARD
        .decode(body(PEM))
        .unwrap();
    for given in [
        PEM.as_bytes(),
        one_line.as_bytes(),
        escaped.as_bytes(),
        base64_file.as_bytes(),
        &der,
    ] {
        let mut r = Redactor::new();
        add_key_material(&mut r, given);
        let lines: Vec<&str> = PEM.lines().filter(|l| !l.starts_with("-----")).collect();
        for window in [
            &lines[3][10..26],
            lines[5],
            &format!("{}{}", &lines[1][56..], &lines[2][..8]),
        ] {
            assert!(
                r.finds_in(&format!("x {window} y")),
                "{window} from {:?}",
                &given[..12]
            );
        }
        assert!(!r.finds_in("BEGIN PRIVATE KEY and ordinary words of a report"));
    }
    let mut r = Redactor::new();
    add_key_material(&mut r, base64_file.as_bytes());
    assert!(
        r.finds_in(&base64_file[100..120]),
        "the base64 of the file itself"
    );
}

#[test]
fn texts_keep_their_words_and_lose_their_credentials() {
    let secret = "C0FFEE00".repeat(8);
    let text = format!("error: invalid value '{secret}' for '--timeout <SECONDS>'");
    assert_eq!(
        redact_lookalikes(&text),
        "error: invalid value '[redacted: a value with a consumer secret's shape (64 hex digits)]' for '--timeout <SECONDS>'"
    );
    let text = format!("unexpected argument '{PEM}' found\n  tip: use '-- {PEM}'");
    let out = redact_lookalikes(&text);
    assert!(!out.contains("MII"), "{out}");
    assert_eq!(
        out.matches("[redacted: a PEM private key]").count(),
        2,
        "{out}"
    );
    assert!(
        out.contains("use '-- [redacted: a PEM private key]\n'"),
        "{out}"
    );
    let cut = &PEM[..200];
    assert!(!redact_lookalikes(&format!("x {cut}")).contains("MII"));
    assert_eq!(
        redact_lookalikes("key=eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl done"),
        "key=[redacted: a signed JWT (an assertion or a token)] done"
    );
    assert!(matches!(
        redact_lookalikes("nothing to see"),
        Cow::Borrowed(_)
    ));
}
