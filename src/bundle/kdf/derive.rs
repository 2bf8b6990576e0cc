//! The key derivations sfjwt runs itself, for the schemes the `pkcs5` crate does not decrypt:
//! PKCS#12's (RFC 7292 appendix B.2, for `openssl pkcs8 -v1 PBE-SHA1-3DES`), PBKDF1 (RFC 8018
//! §5.1, for PBES1) and OpenSSL's `EVP_BytesToKey` (for `Proc-Type: 4,ENCRYPTED` PEM).
//!
//! Each runs as many hash rounds as its caller asks: the caller has checked the count read from
//! the file against `MAX_PBE_ITERATIONS` (`bundle::key`) first. What they return is key material, wiped
//! when dropped.

use md5::Md5;
use sha1::{Digest, Sha1};
use zeroize::{Zeroize, Zeroizing};

/// The hash's block size (v), in bytes, as RFC 7292 B.2 names it: 64 for SHA-1 and SHA-256,
/// the only hashes sfjwt runs it with (the output size, u, is the hash's own).
const V: usize = 64;

/// What a PKCS#12 derivation makes (RFC 7292 B.3, the diversifier ID).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pkcs12Purpose {
    Key = 1,
    Iv = 2,
    Mac = 3,
}

/// The password as PKCS#12 takes it: a BMPString, UTF-16 big-endian with a 2-byte NUL at the
/// end (RFC 7292 B.1). A passphrase that is not UTF-8 is read as Latin-1, byte for byte, as
/// OpenSSL does (`OPENSSL_utf82uni` falls back to `OPENSSL_asc2uni`).
pub fn bmp_password(passphrase: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(passphrase.len() * 4 + 2));
    match std::str::from_utf8(passphrase) {
        Ok(text) => {
            for unit in text.encode_utf16() {
                out.extend_from_slice(&unit.to_be_bytes());
            }
        }
        Err(_) => {
            for &b in passphrase {
                out.extend_from_slice(&[0, b]);
            }
        }
    }
    out.extend_from_slice(&[0, 0]);
    out
}

/// `src` repeated to fill a whole number of `V`-byte blocks (none for an empty `src`), into `out`.
fn fill_blocks(src: &[u8], out: &mut Vec<u8>) {
    if !src.is_empty() {
        let n = V * src.len().div_ceil(V);
        out.extend((0..n).map(|i| src[i % src.len()]));
    }
}

/// The PKCS#12 key derivation with SHA-1 (RFC 7292 B.2): `len` bytes for `purpose`, from the
/// password as [`bmp_password`] makes it, the salt and the iteration count (at least 1).
pub fn pkcs12_sha1(
    bmp: &[u8],
    salt: &[u8],
    iterations: u32,
    purpose: Pkcs12Purpose,
    len: usize,
) -> Zeroizing<Vec<u8>> {
    pkcs12_kdf::<Sha1>(bmp, salt, iterations, purpose, len)
}

/// The PKCS#12 key derivation (RFC 7292 B.2) with a hash of 64-byte blocks (SHA-1, SHA-224,
/// SHA-256): the MAC of a PKCS#12 file OpenSSL 3 or keytool writes uses SHA-256.
pub fn pkcs12_kdf<D: Digest>(
    bmp: &[u8],
    salt: &[u8],
    iterations: u32,
    purpose: Pkcs12Purpose,
    len: usize,
) -> Zeroizing<Vec<u8>> {
    let u = <D as Digest>::output_size();
    let diversifier = [purpose as u8; V];
    // I = S || P, each filled to whole blocks.
    let mut input = Zeroizing::new(Vec::with_capacity(
        V * (salt.len() + bmp.len()).div_ceil(V) + V,
    ));
    fill_blocks(salt, &mut input);
    fill_blocks(bmp, &mut input);
    let mut out = Zeroizing::new(Vec::with_capacity(len));
    let mut a = Zeroizing::new(vec![0u8; u]);
    while out.len() < len {
        let mut hash = D::new();
        hash.update(diversifier);
        hash.update(&*input);
        a.copy_from_slice(&hash.finalize());
        for _ in 1..iterations {
            let mut next = D::digest(a.as_slice());
            a.copy_from_slice(&next);
            next.zeroize();
        }
        let take = (len - out.len()).min(u);
        out.extend_from_slice(&a[..take]);
        if out.len() == len {
            break;
        }
        // Each block I_j of I becomes (I_j + B + 1) mod 2^(8v), B being A repeated to v bytes.
        for block in input.chunks_mut(V) {
            let mut carry = 1u16;
            for k in (0..V).rev() {
                let sum = u16::from(block[k]) + u16::from(a[k % u]) + carry;
                block[k] = (sum & 0xFF) as u8;
                carry = sum >> 8;
            }
        }
    }
    out
}

/// PBKDF1 (RFC 8018 §5.1): `T_1 = H(P || S)`, `T_i = H(T_{i-1})`, the first `len` bytes of
/// `T_c`. `len` is at most the hash's output (16 for MD5, 20 for SHA-1; PBES1 takes 16).
pub fn pbkdf1<D: Digest>(
    passphrase: &[u8],
    salt: &[u8],
    iterations: u32,
    len: usize,
) -> Zeroizing<Vec<u8>> {
    let mut hash = D::new();
    hash.update(passphrase);
    hash.update(salt);
    let mut t = Zeroizing::new(hash.finalize().to_vec());
    for _ in 1..iterations {
        let mut next = D::digest(&*t);
        t.copy_from_slice(&next);
        next.zeroize();
    }
    t.truncate(len);
    t
}

/// OpenSSL's `EVP_BytesToKey` with MD5 and one round, as `PEM_do_header` runs it for a
/// `Proc-Type: 4,ENCRYPTED` PEM. The salt is the first 8 bytes of the IV that `DEK-Info` gives.
pub fn evp_bytes_to_key_md5(passphrase: &[u8], salt: &[u8], len: usize) -> Zeroizing<Vec<u8>> {
    evp_bytes_to_key::<Md5>(passphrase, salt, len)
}

/// OpenSSL's `EVP_BytesToKey` with the digest `D` and one round (what `PEM_do_header` and
/// `openssl enc` without `-pbkdf2` run): `D_i = D(D_{i-1} || passphrase || salt)`, concatenated
/// to `len` bytes.
pub fn evp_bytes_to_key<D: Digest>(
    passphrase: &[u8],
    salt: &[u8],
    len: usize,
) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(len + 64));
    let mut previous = Zeroizing::new(Vec::new());
    while out.len() < len {
        let mut hash = D::new();
        hash.update(&*previous);
        hash.update(passphrase);
        hash.update(salt);
        let mut next = hash.finalize();
        previous.clear();
        previous.extend_from_slice(&next);
        next.zeroize();
        out.extend_from_slice(&previous);
    }
    out.truncate(len);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    /// Known-answer values of the PKCS#12 derivation with SHA-1, as GnuTLS
    /// (`tests/pkcs12_s2k.c`) tests it; each was also computed with `openssl kdf -keylen N
    /// -kdfopt digest:SHA1 -kdfopt hexpass:BMP -kdfopt hexsalt:SALT -kdfopt iter:C -kdfopt
    /// id:ID PKCS12KDF` (OpenSSL 3.0; BMP is the password as [`bmp_password`] makes it, since
    /// that KDF takes it as given). The last case (70-byte salt and password, 50 bytes out)
    /// crosses block boundaries and the carry of the I_j update.
    /// ID, password, salt, iterations, bytes out, the value.
    const PKCS12_CASES: &[&str] = &[
        "1 smeg 0A58CF64530D823F 1 24 8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3",
        "2 smeg 0A58CF64530D823F 1 8 79993DFE048D3B76",
        "1 smeg 642B99AB44FB4B1F 1 24 F3A95FEC48D7711E985CFE67908C5AB79FA3D7C5CAA5D966",
        "2 smeg 642B99AB44FB4B1F 1 8 C0A38D64A79BEA1D",
        "3 smeg 3D83C0E4546AC140 1 20 8D967D88F6CAA9D714800AB3D48051D63F73A312",
        "1 queeg 05DEC959ACFF72F7 1000 24 ED2034E36328830FF09DF1E1A07DD357185DAC0D4F9EB3D4",
        "2 queeg 05DEC959ACFF72F7 1000 8 11DEDAD7758D4860",
        "1 queeg 1682C0FC5B3F7EC5 1000 24 483DD6E919D7DE2E8E648BA8F862F3FBFBDC2BCB2C02957F",
        "2 queeg 1682C0FC5B3F7EC5 1000 8 9D461D1B00355C50",
        "3 queeg 263216FCC2FAB31C 1000 20 5EC4C7A80DF652294C3925B6489A7AB857C83476",
    ];

    #[test]
    fn pkcs12_known_answers() {
        for case in PKCS12_CASES {
            let [id, pass, salt, iterations, len, want] =
                case.split_whitespace().collect::<Vec<_>>()[..]
            else {
                panic!("{case}");
            };
            let purpose = match id {
                "1" => Pkcs12Purpose::Key,
                "2" => Pkcs12Purpose::Iv,
                _ => Pkcs12Purpose::Mac,
            };
            let got = pkcs12_sha1(
                &bmp_password(pass.as_bytes()),
                &hex(salt),
                iterations.parse().unwrap(),
                purpose,
                len.parse().unwrap(),
            );
            assert_eq!(*got, hex(want), "{case}");
        }
        let long = pkcs12_sha1(
            &bmp_password(&[b'p'; 70]),
            &[b's'; 70],
            3,
            Pkcs12Purpose::Key,
            50,
        );
        assert_eq!(
            *long,
            hex(
                "5A3CA015C8CB3EC0D168EFAC4F82C4A896E36B6B8036639D9184F20BA9041FDFD569595DE06992B8700DA838162D14020586"
            )
        );
    }

    #[test]
    fn the_pkcs12_password_is_a_bmp_string() {
        assert_eq!(*bmp_password(b""), [0, 0]);
        assert_eq!(*bmp_password(b"ab"), [0, b'a', 0, b'b', 0, 0]);
        // é (U+00E9) as UTF-8 is one UTF-16 unit; an invalid UTF-8 byte is taken as Latin-1.
        assert_eq!(*bmp_password("é".as_bytes()), [0x00, 0xE9, 0, 0]);
        assert_eq!(*bmp_password(&[0xE9]), [0x00, 0xE9, 0, 0]);
        // Outside the BMP: a surrogate pair, as OpenSSL writes it.
        assert_eq!(
            *bmp_password("😀".as_bytes()),
            [0xD8, 0x3D, 0xDE, 0x00, 0, 0]
        );
    }

    /// `openssl enc -aes-256-cbc -md md5 -S 0102030405060708 -pass pass:sfjwt -P` (OpenSSL
    /// 3.0, no -pbkdf2: EVP_BytesToKey with MD5 and one round) printed this key (and IV, the
    /// bytes that follow it).
    #[test]
    fn evp_bytes_to_key_matches_openssl_enc() {
        let key = evp_bytes_to_key_md5(b"sfjwt", &hex("0102030405060708"), 32);
        assert_eq!(*key, hex(EVP_KEY_AES256));
        let short = evp_bytes_to_key_md5(b"sfjwt", &hex("0102030405060708"), 16);
        assert_eq!(*short, hex(&EVP_KEY_AES256[..32]));
        let with_iv = evp_bytes_to_key_md5(b"sfjwt", &hex("0102030405060708"), 48);
        assert_eq!(with_iv[32..], hex("1D5A8EFA3CB1EA9542A82C0116E2DFD4")[..]);
    }
    const EVP_KEY_AES256: &str = "FA29136F23A6C11AA052BA44DAF420386957F3286D1269327AE9D87EE2E8BB0F";

    #[test]
    fn pbkdf1_is_the_hash_iterated() {
        let once = pbkdf1::<Sha1>(b"pw", b"saltsalt", 1, 16);
        assert_eq!(*once, Sha1::digest(b"pwsaltsalt")[..16]);
        let thrice = pbkdf1::<Md5>(b"pw", b"saltsalt", 3, 16);
        let t1 = Md5::digest(b"pwsaltsalt");
        let t3 = Md5::digest(Md5::digest(t1));
        assert_eq!(*thrice, t3[..]);
    }
}
