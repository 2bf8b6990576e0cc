pub const SEQUENCE: u8 = 0x30;
pub const SET: u8 = 0x31;
pub const INTEGER: u8 = 0x02;
pub const BIT_STRING: u8 = 0x03;
pub const OCTET_STRING: u8 = 0x04;
pub const NULL: u8 = 0x05;
pub const OID: u8 = 0x06;
/// `[0]` constructed, context-specific.
pub const CONTEXT_0: u8 = 0xA0;
pub const CONTEXT_1: u8 = 0xA1;

/// Why DER did not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DerError {
    /// The data ends before the length its header announces.
    Truncated,
    /// Not DER at all, or broken.
    Malformed,
}

/// One tag-length-value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tlv<'a> {
    pub tag: u8,
    pub value: &'a [u8],
    /// The whole encoding, header included.
    pub raw: &'a [u8],
}

/// A DER TLV: the tag, the definite length, the content.
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

/// Reads one TLV from the start of `input`; returns it and the rest.
pub fn read(input: &[u8]) -> Result<(Tlv<'_>, &[u8]), DerError> {
    let (&tag, rest) = input.split_first().ok_or(DerError::Truncated)?;
    if tag & 0x1F == 0x1F {
        // Multi-byte tags never occur in the structures read here.
        return Err(DerError::Malformed);
    }
    let (&first, mut rest) = rest.split_first().ok_or(DerError::Truncated)?;
    let len: usize = if first < 0x80 {
        usize::from(first)
    } else {
        let n = usize::from(first & 0x7F);
        if n == 0 || n > 4 {
            // Indefinite length (BER) or absurdly long.
            return Err(DerError::Malformed);
        }
        let mut len = 0usize;
        for _ in 0..n {
            let (&b, r) = rest.split_first().ok_or(DerError::Truncated)?;
            len = (len << 8) | usize::from(b);
            rest = r;
        }
        len
    };
    let header_len = input.len() - rest.len();
    if rest.len() < len {
        return Err(DerError::Truncated);
    }
    let (value, after) = rest.split_at(len);
    let raw = input.get(..header_len + len).ok_or(DerError::Truncated)?;
    Ok((Tlv { tag, value, raw }, after))
}

/// Reads all TLVs in `input` (the contents of a constructed value).
pub fn children(input: &[u8]) -> Result<Vec<Tlv<'_>>, DerError> {
    let mut out = Vec::new();
    let mut rest = input;
    while !rest.is_empty() {
        let (tlv, r) = read(rest)?;
        out.push(tlv);
        rest = r;
        if out.len() > 10_000 {
            return Err(DerError::Malformed);
        }
    }
    Ok(out)
}

/// Dotted form of an OID's content bytes, e.g. `1.2.840.113549.1.1.1`.
pub fn oid_string(content: &[u8]) -> Option<String> {
    if content.is_empty() || content.len() > 64 {
        return None;
    }
    let mut arcs: Vec<u64> = Vec::new();
    let mut acc: u64 = 0;
    let mut in_arc = false;
    for &b in content {
        if acc > (u64::MAX >> 8) {
            return None;
        }
        acc = (acc << 7) | u64::from(b & 0x7F);
        in_arc = true;
        if b & 0x80 == 0 {
            if arcs.is_empty() {
                let (a, b) = match acc {
                    0..=39 => (0, acc),
                    40..=79 => (1, acc - 40),
                    _ => (2, acc - 80),
                };
                arcs.push(a);
                arcs.push(b);
            } else {
                arcs.push(acc);
            }
            acc = 0;
            in_arc = false;
        }
    }
    if in_arc {
        return None;
    }
    Some(
        arcs.iter()
            .map(|a| a.to_string())
            .collect::<Vec<_>>()
            .join("."),
    )
}

/// The OID of an AlgorithmIdentifier (`SEQUENCE { OID, params }`) and its parameters.
pub fn algorithm<'a>(tlv: &Tlv<'a>) -> Option<(String, Option<Tlv<'a>>)> {
    if tlv.tag != SEQUENCE {
        return None;
    }
    let kids = children(tlv.value).ok()?;
    let oid = kids.first().filter(|t| t.tag == OID)?;
    Some((oid_string(oid.value)?, kids.get(1).copied()))
}

/// Number of bits of a big-endian unsigned INTEGER's content (leading zeros ignored).
pub fn integer_bits(content: &[u8]) -> usize {
    let mut bytes = content;
    while let Some((&0, rest)) = bytes.split_first() {
        bytes = rest;
    }
    match bytes.first() {
        None => 0,
        Some(&b) => bytes.len() * 8 - b.leading_zeros() as usize,
    }
}

/// What a DER structure holds, as far as its shape tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// PKCS#8 `PrivateKeyInfo` with this algorithm OID and curve (for EC keys).
    Pkcs8 {
        algorithm: String,
        curve: Option<String>,
    },
    /// PKCS#8 `EncryptedPrivateKeyInfo` with this encryption algorithm OID.
    EncryptedPkcs8 { algorithm: String },
    /// PKCS#1 `RSAPrivateKey`.
    Pkcs1PrivateKey,
    /// SEC 1 `ECPrivateKey`, with its curve OID if given.
    Sec1EcKey { curve: Option<String> },
    /// An X.509 certificate.
    Certificate,
    /// A PKCS#10 certificate signing request.
    Csr,
    /// `SubjectPublicKeyInfo` with this algorithm OID.
    Spki { algorithm: String },
    /// PKCS#1 `RSAPublicKey`.
    Pkcs1PublicKey,
    /// A PKCS#12 (`.p12` / `.pfx`) file.
    Pkcs12,
    /// A PKCS#7 / CMS structure (`.p7b`), with its content type OID.
    Pkcs7 { content_type: String },
    /// A well-formed DER SEQUENCE of another kind.
    Other,
}

/// Recognises the shape of `input`, which must start with one complete DER SEQUENCE.
pub fn shape(input: &[u8]) -> Result<Shape, DerError> {
    let (outer, _) = read(input)?;
    if outer.tag != SEQUENCE {
        return Err(DerError::Malformed);
    }
    let kids = children(outer.value).map_err(|_| DerError::Malformed)?;
    let tags: Vec<u8> = kids.iter().map(|k| k.tag).collect();
    let first = kids.first();
    let second = kids.get(1);

    // PKCS#7 / CMS: SEQUENCE { OID contentType, [0] content }
    if let (Some(f), Some(s)) = (first, second)
        && f.tag == OID
        && s.tag == CONTEXT_0
    {
        let ct = oid_string(f.value).unwrap_or_default();
        if ct.starts_with("1.2.840.113549.1.7.") {
            return Ok(Shape::Pkcs7 { content_type: ct });
        }
    }

    // Everything else starts with INTEGER or SEQUENCE.
    match tags.as_slice() {
        // PKCS#1 RSAPrivateKey: version, n, e, d, p, q, dp, dq, qinv (+ optional others)
        [
            INTEGER,
            INTEGER,
            INTEGER,
            INTEGER,
            INTEGER,
            INTEGER,
            INTEGER,
            INTEGER,
            INTEGER,
            ..,
        ] => {
            return Ok(Shape::Pkcs1PrivateKey);
        }
        // PKCS#1 RSAPublicKey: n, e
        [INTEGER, INTEGER] => return Ok(Shape::Pkcs1PublicKey),
        // PKCS#8 PrivateKeyInfo: version, algorithm, OCTET STRING, ...
        [INTEGER, SEQUENCE, OCTET_STRING, ..] => {
            let alg = second.and_then(algorithm);
            if let Some((algorithm, params)) = alg {
                let curve = params
                    .filter(|p| p.tag == OID)
                    .and_then(|p| oid_string(p.value));
                return Ok(Shape::Pkcs8 { algorithm, curve });
            }
        }
        // SEC 1 ECPrivateKey: version 1, OCTET STRING, [0] curve, [1] public key
        [INTEGER, OCTET_STRING, ..] => {
            let curve = kids
                .iter()
                .find(|k| k.tag == CONTEXT_0)
                .and_then(|k| read(k.value).ok())
                .filter(|(t, _)| t.tag == OID)
                .and_then(|(t, _)| oid_string(t.value));
            return Ok(Shape::Sec1EcKey { curve });
        }
        // PKCS#12 PFX: version 3, SEQUENCE authSafe { OID data, [0] ... }, macData
        [INTEGER, SEQUENCE, ..] if first.map(|f| f.value) == Some(&[3u8][..]) => {
            return Ok(Shape::Pkcs12);
        }
        // EncryptedPrivateKeyInfo: algorithm, OCTET STRING
        [SEQUENCE, OCTET_STRING] => {
            if let Some((algorithm, _)) = first.and_then(algorithm) {
                return Ok(Shape::EncryptedPkcs8 { algorithm });
            }
        }
        // SubjectPublicKeyInfo: algorithm, BIT STRING
        [SEQUENCE, BIT_STRING] => {
            if let Some((algorithm, _)) = first.and_then(algorithm) {
                return Ok(Shape::Spki { algorithm });
            }
        }
        // Certificate or CSR: SEQUENCE { tbs, algorithm, BIT STRING }
        [SEQUENCE, SEQUENCE, BIT_STRING] => {
            if let Some(tbs) = first
                && let Some(shape) = signed_shape(tbs)?
            {
                return Ok(shape);
            }
        }
        _ => {}
    }
    Ok(Shape::Other)
}

/// A certificate or a CSR, told apart by their to-be-signed part; `None` for neither.
fn signed_shape(tbs: &Tlv<'_>) -> Result<Option<Shape>, DerError> {
    let tbs_kids = children(tbs.value).map_err(|_| DerError::Malformed)?;
    let tbs_tags: Vec<u8> = tbs_kids.iter().map(|k| k.tag).collect();
    match tbs_tags.as_slice() {
        [CONTEXT_0, INTEGER, SEQUENCE, ..] => Ok(Some(Shape::Certificate)),
        [INTEGER, SEQUENCE, SEQUENCE, ..] => {
            // Certificate v1: serial, signature AlgorithmIdentifier (OID first);
            // CSR: version, subject Name (SETs), SPKI.
            let second_is_alg = tbs_kids
                .get(1)
                .and_then(|s| read(s.value).ok())
                .is_some_and(|(t, _)| t.tag == OID);
            Ok(Some(if second_is_alg {
                Shape::Certificate
            } else {
                Shape::Csr
            }))
        }
        _ => Ok(None),
    }
}
