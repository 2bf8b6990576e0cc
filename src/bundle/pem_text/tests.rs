use super::*;

const PEM: &str = "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASC\nAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----\n";

fn body_lines() -> Vec<&'static str> {
    PEM.lines().collect()
}

#[test]
fn clean_pem_needs_no_repair() {
    let r = repair(PEM);
    assert_eq!(r.text, PEM);
    assert!(r.repairs.is_empty(), "{:?}", r.repairs);
}

#[test]
fn literal_newlines_are_repaired() {
    let mangled = PEM.replace('\n', "\\n");
    let r = repair(&mangled);
    assert_eq!(r.text, PEM);
    assert_eq!(r.repairs, vec![REPAIR_LITERAL_NEWLINES]);
}

#[test]
fn literal_crlf_escapes_and_quotes_are_repaired() {
    let mangled = format!("\"{}\"", PEM.trim_end().replace('\n', "\\r\\n"));
    let r = repair(&mangled);
    assert_eq!(r.text, PEM);
    assert_eq!(r.repairs, vec![REPAIR_QUOTES, REPAIR_LITERAL_NEWLINES]);
}

#[test]
fn doubly_escaped_newlines_and_json_slashes_are_repaired() {
    let pem = PEM.replace("AT8w", "A/8w");
    let mangled = pem.replace('\n', "\\\\n").replace('/', "\\/");
    let r = repair(&mangled);
    assert_eq!(r.text, pem);
    assert!(r.repairs.contains(&REPAIR_JSON_SLASHES.to_string()));
}

#[test]
fn crlf_and_lone_cr_are_repaired() {
    let r = repair(&PEM.replace('\n', "\r\n"));
    assert_eq!(r.text, PEM);
    assert_eq!(r.repairs, vec![REPAIR_CRLF]);
    let r = repair(&PEM.replace('\n', "\r"));
    assert_eq!(r.text, PEM);
    assert_eq!(r.repairs, vec![REPAIR_CR]);
}

#[test]
fn indentation_is_repaired() {
    let indented: String = body_lines()
        .iter()
        .map(|l| format!("    {l}  \n"))
        .collect();
    let r = repair(&indented);
    assert_eq!(r.text, PEM);
    assert_eq!(r.repairs, vec![REPAIR_INDENT]);
}

#[test]
fn one_line_with_spaces_is_repaired() {
    let r = repair(&body_lines().join(" "));
    assert_eq!(r.text, PEM);
    assert_eq!(r.repairs, vec![REPAIR_ONE_LINE]);
}

#[test]
fn pem_without_line_breaks_is_repaired() {
    let r = repair(&body_lines().join(""));
    assert_eq!(
        r.text,
        "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----\n"
    );
    assert_eq!(r.repairs, vec![REPAIR_NO_BREAKS]);
}

#[test]
fn one_line_with_headers_keeps_the_headers() {
    let line = "-----BEGIN RSA PRIVATE KEY----- Proc-Type: 4,ENCRYPTED DEK-Info: AES-256-CBC,00FF  QUJD REVG -----END RSA PRIVATE KEY-----";
    let r = repair(line);
    let b = blocks(&r.text);
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].header("proc-type"), Some("4,ENCRYPTED"));
    assert_eq!(b[0].header("DEK-Info"), Some("AES-256-CBC,00FF"));
    assert_eq!(b[0].body, Ok(b"ABCDEF".to_vec()));
    assert!(b[0].complete);
}

#[test]
fn bom_and_utf16_are_decoded() {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(PEM.as_bytes());
    let r = decode_text(&bytes).unwrap();
    assert_eq!(r.text, PEM);
    assert_eq!(r.repairs, vec![REPAIR_BOM]);

    let mut utf16 = vec![0xFF, 0xFE];
    for u in PEM.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let r = decode_text(&utf16).unwrap();
    assert_eq!(r.text, PEM);
    assert_eq!(r.repairs, vec![REPAIR_UTF16]);
}

/// Standard base64 with padding, wrapped at `wrap` characters (0: one line), as `base64` does.
fn base64_of(bytes: &[u8], wrap: usize) -> String {
    use base64::Engine as _;
    let one = base64::engine::general_purpose::STANDARD.encode(bytes);
    if wrap == 0 {
        return one;
    }
    let lines: Vec<&str> = one
        .as_bytes()
        .chunks(wrap)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    lines.join("\n") + "\n"
}

#[test]
fn the_base64_of_a_pem_file_is_decoded_one_line_wrapped_or_quoted() {
    for input in [
        base64_of(PEM.as_bytes(), 0),
        base64_of(PEM.as_bytes(), 76),
        format!("\"{}\"", base64_of(PEM.as_bytes(), 0)),
    ] {
        let r = decode_text(input.as_bytes()).unwrap();
        assert_eq!(r.text, PEM, "{input}");
        assert!(
            r.repairs.contains(&REPAIR_BASE64_PEM.to_string()),
            "{input}"
        );
    }
    // What was wrong inside is repaired and named too.
    let inner = PEM.replace('\n', "\r\n");
    let r = decode_text(base64_of(inner.as_bytes(), 0).as_bytes()).unwrap();
    assert_eq!(r.text, PEM);
    assert_eq!(r.repairs, vec![REPAIR_BASE64_PEM, REPAIR_CRLF]);
}

#[test]
fn base64_that_is_not_of_a_pem_file_is_left_alone() {
    // DER (the key and certificate decoders handle it), other bytes, and base64 twice.
    for bytes in [
        [0x30u8, 0x82, 0x01, 0x0a, 0x02, 0x82, 0x01, 0x01, 0x00].repeat(8),
        b"not a pem file at all, just some words in base64 ".to_vec(),
        base64_of(PEM.as_bytes(), 0).into_bytes(),
    ] {
        let input = base64_of(&bytes, 0);
        let r = decode_text(input.as_bytes()).unwrap();
        assert_eq!(r.text.trim(), input, "{input}");
        assert!(r.repairs.is_empty(), "{:?}", r.repairs);
    }
}

#[test]
fn binary_is_not_text() {
    assert!(decode_text(&[0x30, 0x82, 0x01, 0x00, 0x02, 0x01, 0x00]).is_none());
    assert!(decode_text(&[0xFF, 0x00, 0x9C, 0x80]).is_none());
}

#[test]
fn blocks_are_split_with_labels_and_completeness() {
    let text = format!("Bag Attributes\n{PEM}-----BEGIN CERTIFICATE-----\nQUJD\n");
    let b = blocks(&text);
    assert_eq!(b.len(), 2);
    assert_eq!(b[0].label, "PRIVATE KEY");
    assert!(b[0].complete);
    assert_eq!(b[1].label, "CERTIFICATE");
    assert!(!b[1].complete);
    assert_eq!(b[1].body, Ok(b"ABC".to_vec()));
}

#[test]
fn base64_decoding() {
    assert_eq!(base64_decode("QUJD"), Ok(b"ABC".to_vec()));
    assert_eq!(base64_decode("QUI="), Ok(b"AB".to_vec()));
    assert_eq!(base64_decode("QQ=="), Ok(b"A".to_vec()));
    assert_eq!(base64_decode("QQ"), Ok(b"A".to_vec()));
    assert_eq!(base64_decode("Q"), Err(Base64Error::BadLength));
    assert_eq!(base64_decode("QU*D"), Err(Base64Error::InvalidCharacter));
    assert_eq!(
        base64_decode("QQ==QQ=="),
        Err(Base64Error::InvalidCharacter)
    );
}

#[test]
fn der_reader_tells_truncated_from_malformed() {
    assert_eq!(
        der::read(&[0x30, 0x05, 0x02, 0x01]),
        Err(der::DerError::Truncated)
    );
    assert_eq!(der::read(&[0x30, 0x80]), Err(der::DerError::Malformed));
    assert_eq!(der::read(&[]), Err(der::DerError::Truncated));
    let (t, rest) = der::read(&[0x02, 0x01, 0x05, 0xFF]).unwrap();
    assert_eq!((t.tag, t.value, rest), (0x02, &[5u8][..], &[0xFFu8][..]));
}

#[test]
fn oids_are_dotted() {
    assert_eq!(
        der::oid_string(&[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]).as_deref(),
        Some("1.2.840.113549.1.1.1")
    );
    assert_eq!(
        der::oid_string(&[0x2B, 0x65, 0x70]).as_deref(),
        Some("1.3.101.112")
    );
    assert_eq!(der::oid_string(&[0x86]), None);
}

#[test]
fn nothing_panics_on_odd_text() {
    for s in [
        "",
        "\\",
        "\\\\\\",
        "-----BEGIN",
        "-----BEGIN -----",
        "-----BEGIN X----- -----END Y-----",
        "-----END X-----",
        "\"",
        "''",
        "-----BEGIN A-----BEGIN B-----",
        "é-----BEGIN ü-----ñ",
        "-----BEGIN X----- a: b: c:",
    ] {
        let r = repair(s);
        let _ = blocks(&r.text);
    }
}
